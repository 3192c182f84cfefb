/**
 * The text-line front end, as recorded in a run and in a model directory beside the speech
 * front end: an image is scaled to `height` rows (width following), ink-normalised to
 * [0, 1] and read as `width` column frames of `height` values (line-image.ts). No CMVN:
 * the normalisation is per image.
 */

/** A text-line model's front end. */
export interface ImageFrontEndConfig {
  type: 'image';
  /** Rows the images are scaled to (the CRNN's input height). */
  height: number;
}

/** True for a parsed front-end config that describes images (`"type": "image"`). */
export function isImageFrontEnd(value: unknown): value is ImageFrontEndConfig {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'image';
}

/** Checks a parsed image front-end config; throws naming the bad field. */
export function resolveImageFrontEnd(value: unknown, where = 'front end'): ImageFrontEndConfig {
  if (!isImageFrontEnd(value)) throw new Error(`${where}: expected {"type": "image", "height": N}`);
  for (const k of Object.keys(value)) if (k !== 'type' && k !== 'height') throw new Error(`${where}: unknown field "${k}" (known: type, height)`);
  const h = value.height;
  if (typeof h !== 'number' || !Number.isInteger(h) || h < 1) throw new Error(`${where}: "height" must be an integer >= 1, got ${JSON.stringify(h)}`);
  return { type: 'image', height: h };
}
