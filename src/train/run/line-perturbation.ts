/**
 * Resolution, stretch and zoom perturbation of training line images, drawn afresh per
 * batch from the cached column features (ink 1, paper 0, the model's height). Real inputs
 * come at any resolution and with ink boxes a pixel or two off (faint edges, resampled
 * scans); the corpus renders each line once, so without this a model learns the exact
 * pixels of one rasterisation and may read an enlarged copy of a line differently.
 */
import type { Features } from '../../util/features.js';
import type { GreyImage } from '../../image/decode-image.js';
import { columnsToImage, imageToColumns } from '../../image/line-image.js';
import { placeImage } from '../../image/place-image.js';
import { resize } from '../../image/resize.js';
import type { Random } from '../../math/random.js';

/** The recipe's `linePerturbation`. */
export interface LinePerturbation {
  /** Share of training lines perturbed. */
  share: number;
  /** Scale of the low-resolution copy the line is rebuilt from, e.g. [0.4, 1]: 0.5 keeps half the pixels on each axis. */
  resolution?: [number, number];
  /** Horizontal stretch, e.g. [0.9, 1.1]. */
  stretch?: [number, number];
  /** Size of the line within its rows, e.g. [0.85, 1.05] (under 1: as if the ink box were found too tall; placed at a random height). */
  zoom?: [number, number];
}

const FIELDS = ['share', 'resolution', 'stretch', 'zoom'] as const;

function checkRange(r: unknown, name: string, lo: number, hi: number, where: string): void {
  if (r === undefined) return;
  if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number' && x >= lo && x <= hi) || r[0] > r[1]) {
    throw new Error(`${where}: linePerturbation.${name} must be [low, high] with ${lo} <= low <= high <= ${hi}, got ${JSON.stringify(r)}`);
  }
}

/** Checks the recipe field; throws naming the bad field. */
export function checkLinePerturbation(p: LinePerturbation, where: string): void {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new Error(`${where}: linePerturbation must be an object or null`);
  for (const k of Object.keys(p)) if (!(FIELDS as readonly string[]).includes(k)) throw new Error(`${where}: unknown linePerturbation field "${k}" (known: ${FIELDS.join(', ')})`);
  if (!(typeof p.share === 'number' && p.share >= 0 && p.share <= 1)) throw new Error(`${where}: linePerturbation.share must be in [0, 1]`);
  checkRange(p.resolution, 'resolution', 0.1, 1, where);
  checkRange(p.stretch, 'stretch', 0.5, 2, where);
  checkRange(p.zoom, 'zoom', 0.5, 1.5, where);
}

/** Column features [frames, dim] as an image [dim rows, frames columns], and back. */
const toImage = (f: Features): GreyImage => columnsToImage({ frames: f.data, width: f.frames, height: f.dim });
function toFeatures(img: GreyImage): Features {
  const c = imageToColumns(img);
  return { data: c.frames, frames: c.width, dim: c.height };
}

/**
 * Draws a perturbation for one line and applies it, or returns `f` itself (not perturbed
 * this time). The result keeps `f.dim` rows; its width follows stretch and zoom. `fits`
 * says whether a width still leaves CTC enough frames; a draw that does not fit is dropped.
 */
export function perturbLine(f: Features, rng: Random, p: LinePerturbation, fits: (frames: number) => boolean): Features {
  if (rng.uniform() >= p.share || f.frames === 0) return f;
  const draw = (r: [number, number] | undefined): number => (r ? r[0] + (r[1] - r[0]) * rng.uniform() : 1);
  const resolution = draw(p.resolution), stretch = draw(p.stretch), zoom = draw(p.zoom);
  const H = f.dim;
  let img = toImage(f);
  if (resolution < 1) {
    // Area-average down to the coarse copy (at least 4 rows), then back up: the detail a low-resolution scan loses.
    const low = resize(img, Math.max(1, Math.round(img.width * resolution)), Math.max(4, Math.round(H * resolution)));
    img = resize(low, img.width, H);
  }
  const h = Math.max(1, Math.round(H * zoom));
  const w = Math.max(1, Math.round(img.width * stretch * zoom));
  if (w !== img.width || h !== H) img = resize(img, w, h);
  // Paper above and below a smaller line (at a random height), or the middle rows of a larger one.
  if (h !== H) img = placeImage(img, w, H, 0, h < H ? Math.floor(rng.uniform() * (H - h + 1)) : -Math.floor((h - H) / 2));
  return fits(img.width) ? toFeatures(img) : f;
}
