/** A JSON file read whole (bounded) and parsed, with errors that name the file. */
import { readFileBounded } from './read-bounded.js';

/** The parsed JSON in `path`; `what` says what it holds ("run state"), for errors. */
export function readJsonFile(path: string, what = 'JSON file'): unknown {
  const text = readFileBounded(path, what).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${path}: ${what} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}
