/** Reading the JSON files a model card is made from: objects only, errors naming the file. */

/** A plain JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `text` parsed as a JSON object; throws naming `path` when it is not JSON or not an object. */
export function parseJsonObject(text: string, path: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not JSON (${(err as Error).message})`);
  }
  if (!isObject(v)) throw new Error(`${path}: expected a JSON object`);
  return v;
}
