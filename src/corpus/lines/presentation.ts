/**
 * How one rendered line looks, drawn from a seed: size, margins (from a tight crop to
 * wide), ink and paper, contrast and polarity, per-word size, slant and baseline drift,
 * stroke width, shear, rotation, elastic distortion, blur, noise, JPEG artefacts, and an
 * occasional underline or ruled paper. Recorded in the manifest; render-line.ts draws it.
 */
import type { Random } from '../../math/random.js';

/** One word's own size, slant and baseline when a line is drawn word by word. */
export interface WordJitter {
  /** Point size factor. */
  scale: number;
  /** Extra slant in degrees. */
  slant: number;
  /** Baseline shift in pixels (positive: down). */
  shift: number;
}

/** How one line is presented (recorded in the manifest). */
export interface LineAugmentation {
  /** Font size in points at 72 dpi (about pixels). */
  pointSize: number;
  /** Horizontal shear in degrees (positive leans right). */
  slant: number;
  /** Rotation in degrees. */
  rotate: number;
  /** Extra stroke width in pixels (0: the font's own). */
  strokeWidth: number;
  /** Gaussian blur sigma in pixels (0: none). */
  blur: number;
  /** Gaussian noise strength (ImageMagick -attenuate; 0: none). */
  noise: number;
  /** Elastic distortion: sine displacement amplitude and wavelength in pixels (0: none). */
  waveAmplitude: number;
  waveLength: number;
  /** Background texture darkest level in percent (100: plain white paper). */
  paper: number;
  /** Ink grey level in percent (0: black). */
  ink: number;
  /** Seed of ImageMagick's noise for this image. */
  seed: number;
  /** Horizontal scale (narrower or wider letters); absent: 1. Only strong augmentation draws it. */
  stretch?: number;
  /** Paper around the ink in pixels: left, top, right, bottom (all 0: a tight crop). */
  margin: [number, number, number, number];
  /** Drawn word by word with these jitters (one per word) and `wordGap` pixels between words; absent: in one piece. */
  words?: WordJitter[];
  wordGap?: number;
  /** An underline this many pixels thick. */
  underline?: number;
  /** A ruled line (light grey) under the text, across the whole width. */
  ruled?: boolean;
  /** Low contrast: black and white mapped to these grey levels in percent. */
  contrast?: [number, number];
  /** Light ink on dark paper. */
  inverted?: boolean;
  /** Saved as a JPEG of this quality (1-100) before the PNG. */
  jpegQuality?: number;
}

/**
 * How hard lines are distorted: 'standard' (every split by default), or 'strong' for the
 * train split (more and larger slant, elastic distortion and stroke width, and horizontal
 * stretch: the variety of handwriting).
 */
export type AugmentationStrength = 'standard' | 'strong';

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** How often (p) and how far each distortion goes; stroke and wave amplitude top out at the point size over a divisor. */
interface DistortionRanges {
  slant: [p: number, lo: number, hi: number];
  rotate: [p: number, lo: number, hi: number];
  stroke: [p: number, sizeDivisor: number];
  wave: [p: number, sizeDivisor: number, shortest: number, longest: number];
  stretch: [p: number, lo: number, hi: number] | null;
  /** Chance of drawing word by word, and the largest size factor change, extra slant and baseline step (of the size). */
  words: [p: number, scale: number, slant: number, drift: number];
}

const DISTORTIONS: Record<AugmentationStrength, DistortionRanges> = {
  standard: { slant: [0.6, -12, 20], rotate: [0.5, -2, 2], stroke: [0.35, 30], wave: [0.4, 14, 60, 300], stretch: null, words: [0.3, 0.12, 6, 0.04] },
  strong: { slant: [0.75, -18, 28], rotate: [0.5, -3, 3], stroke: [0.5, 20], wave: [0.65, 9, 40, 240], stretch: [0.6, 0.7, 1.3], words: [0.4, 0.2, 10, 0.06] },
};

/** The plain rendering: 32 points, black on white, nothing else (ImageMagick's label as it comes, tight). */
export function plainAugmentation(): LineAugmentation {
  return { pointSize: 32, slant: 0, rotate: 0, strokeWidth: 0, blur: 0, noise: 0, waveAmplitude: 0, waveLength: 0, paper: 100, ink: 0, seed: 0, margin: [0, 0, 0, 0] };
}

/** Margins: a third tight, most small, some wide (up to three sizes left and right). */
function drawMargin(rng: Random, size: number): [number, number, number, number] {
  const u = rng.uniform();
  if (u < 0.3) return [0, 0, 0, 0];
  const scale = u < 0.75 ? [0.4, 0.3] : [3, 1.5];
  const side = (k: number): number => Math.round(rng.uniform() * scale[k]! * size);
  return [side(0), side(1), side(0), side(1)];
}

/**
 * Draws one presentation for a line of `words` words; `clean` gives an undistorted line
 * (size, margins and polarity still vary).
 */
export function drawAugmentation(rng: Random, clean: boolean, strength: AugmentationStrength = 'standard', words = 1): LineAugmentation {
  const u = (a: number, b: number): number => a + (b - a) * rng.uniform();
  const chance = (p: number): boolean => rng.uniform() < p;
  // Mostly 26-56 points; some small text (12-22), blocky once scaled to the model's height.
  const pointSize = Math.round(chance(0.15) ? u(12, 22) : u(26, 56));
  const aug: LineAugmentation = {
    pointSize, slant: 0, rotate: 0, strokeWidth: 0, blur: 0, noise: 0, waveAmplitude: 0, waveLength: 0,
    paper: 100, ink: 0, seed: rng.nextUint32() % 1_000_000, margin: drawMargin(rng, pointSize),
  };
  if (chance(0.1)) aug.inverted = true;
  if (clean) return aug;
  const d = DISTORTIONS[strength];
  if (chance(d.slant[0])) aug.slant = round(u(d.slant[1], d.slant[2]), 1);
  if (chance(d.rotate[0])) aug.rotate = round(u(d.rotate[1], d.rotate[2]), 1);
  if (chance(d.stroke[0])) aug.strokeWidth = round(u(0.3, Math.max(0.4, pointSize / d.stroke[1])), 1);
  if (chance(0.5)) aug.blur = round(u(0.3, 1.2));
  if (chance(0.5)) aug.noise = round(u(0.1, 0.6));
  if (chance(d.wave[0])) {
    aug.waveAmplitude = round(u(0.5, pointSize / d.wave[1]), 1);
    aug.waveLength = Math.round(u(d.wave[2], d.wave[3]));
  }
  if (chance(0.5)) aug.paper = Math.round(u(65, 95));
  if (chance(0.4)) aug.ink = Math.round(u(5, 40));
  if (d.stretch && chance(d.stretch[0])) aug.stretch = round(u(d.stretch[1], d.stretch[2]));
  if (words > 1 && chance(d.words[0])) {
    const [, ds, dslant, drift] = d.words;
    let shift = 0;
    aug.words = Array.from({ length: words }, () => {
      shift += Math.round(u(-drift, drift) * pointSize);
      return { scale: round(u(1 - ds, 1 + ds)), slant: round(u(-dslant, dslant), 1), shift };
    });
    aug.wordGap = Math.max(2, Math.round(u(0.2, 0.6) * pointSize));
  }
  const lines = rng.uniform();
  if (lines < 0.05) aug.underline = Math.max(1, Math.round(u(0.03, 0.08) * pointSize));
  else if (lines < 0.1) aug.ruled = true;
  if (chance(0.1)) {
    const lo = Math.round(u(20, 50));
    aug.contrast = [lo, Math.round(u(lo + 20, 90))];
  }
  if (chance(0.15)) aug.jpegQuality = Math.round(u(8, 50));
  return aug;
}
