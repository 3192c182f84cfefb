/**
 * Where the text is in a line image (after normaliseInk: ink 1, paper 0): the box around
 * the ink, the bands of rows that hold text (one for a line; more for a paragraph or a
 * page), and the image cropped to its ink with a margin in proportion to the ink's height,
 * so that a tight crop and a wide margin reach a model alike.
 */
import type { GreyImage } from './decode-image.js';

/** A pixel holds ink when its normalised value is at least this. */
const INK = 0.35;

/** The ink's bounding box (inclusive rows and columns), or undefined for an image without ink. */
export interface InkBox { top: number; bottom: number; left: number; right: number }

/**
 * Rows and columns with ink. A row or column counts when at least `minPixels` of its
 * pixels are ink (specks of noise do not stretch the box).
 */
export function inkBox(img: GreyImage, minPixels = 2): InkBox | undefined {
  const { width, height, data } = img;
  const rows = new Int32Array(height), cols = new Int32Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]! >= INK) {
        rows[y]! += 1;
        cols[x]! += 1;
      }
    }
  }
  const need = Math.min(minPixels, Math.max(1, Math.min(width, height) >> 2));
  const first = (a: Int32Array): number => a.findIndex((n) => n >= need);
  const last = (a: Int32Array): number => a.length - 1 - [...a].reverse().findIndex((n) => n >= need);
  const top = first(rows), left = first(cols);
  if (top < 0 || left < 0) return undefined;
  return { top, bottom: last(rows), left, right: last(cols) };
}

/** A band of rows holding text: first and last row (inclusive). */
export interface TextBand { top: number; bottom: number }

/**
 * The bands of text rows: runs of rows where at least 1% of the pixels are ink, with rules
 * and underlines dropped: runs under a third of the tallest band's height, runs with no
 * vertical stroke (no column holds ink over more than a third of the tallest band's height:
 * a slanted underline spans several rows but is one stroke thick in every column), and runs
 * holding an unbroken stroke of ink at least 8 times their height long (an underline as
 * thick as faint text's band: letters and the gaps between words break text's strokes long
 * before that).
 */
export function textBands(img: GreyImage): TextBand[] {
  const { width, height, data } = img;
  const need = Math.max(1, Math.round(width * 0.01));
  const bands: TextBand[] = [];
  let start = -1;
  for (let y = 0; y <= height; y++) {
    let n = 0;
    if (y < height) for (let x = 0; x < width; x++) if (data[y * width + x]! >= INK) n++;
    if (n >= need && start < 0) start = y;
    else if (n < need && start >= 0) {
      bands.push({ top: start, bottom: y - 1 });
      start = -1;
    }
  }
  const tallest = Math.max(0, ...bands.map((b) => b.bottom - b.top + 1));
  return bands.filter((b) => b.bottom - b.top + 1 >= tallest / 3 && tallestStroke(img, b) > tallest / 3
    && longestRun(img, b) < 8 * (b.bottom - b.top + 1));
}

/** The longest unbroken run of ink pixels along any row of band `b`. */
function longestRun(img: GreyImage, b: TextBand): number {
  let most = 0;
  for (let y = b.top; y <= b.bottom; y++) {
    let run = 0;
    for (let x = 0; x < img.width; x++) {
      run = img.data[y * img.width + x]! >= INK ? run + 1 : 0;
      if (run > most) most = run;
    }
  }
  return most;
}

/** The most ink pixels any one column holds within band `b`. */
function tallestStroke(img: GreyImage, b: TextBand): number {
  let most = 0;
  for (let x = 0; x < img.width; x++) {
    let n = 0;
    for (let y = b.top; y <= b.bottom; y++) if (img.data[y * img.width + x]! >= INK) n++;
    if (n > most) most = n;
  }
  return most;
}

/**
 * Bands that are separate lines of text: bands closer than a quarter of the tallest
 * band's height are parts of one line (the dot of an i, a detached accent or descender).
 */
export function textLines(img: GreyImage): TextBand[] {
  const bands = textBands(img);
  const tallest = Math.max(0, ...bands.map((b) => b.bottom - b.top + 1));
  const lines: TextBand[] = [];
  for (const b of bands) {
    const prev = lines[lines.length - 1];
    if (prev && b.top - prev.bottom - 1 < tallest / 4) prev.bottom = b.bottom;
    else lines.push({ ...b });
  }
  return lines;
}
