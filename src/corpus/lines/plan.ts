/**
 * The plan of a text-line corpus, drawn entirely from the seed (so that a rerun resumes
 * the same corpus): which text, font and augmentation each image gets, and its split.
 * Texts are split first, so no dev or test line appears in train. Train and dev use only
 * unreserved fonts; the test split renders half of its lines in the reserved
 * handwriting fonts and half in the others.
 */
import { Random } from '../../math/random.js';
import type { LineFont } from './fonts.js';

export type LineSplit = 'train' | 'dev' | 'test';
export const LINE_SPLITS: readonly LineSplit[] = ['train', 'dev', 'test'];

/** How one line is distorted (recorded in the manifest). */
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
}

/**
 * How hard lines are distorted: 'standard' (every split by default), or 'strong' for the
 * train split (more and larger slant, elastic distortion and stroke width, and horizontal
 * stretch: the variety of handwriting); dev and test keep the standard distortions.
 */
export type AugmentationStrength = 'standard' | 'strong';

export interface PlannedLine {
  id: string;
  split: LineSplit;
  text: string;
  font: LineFont;
  augmentation: LineAugmentation;
}

export interface LinePlanOptions {
  lines: number;
  seed: number;
  /** Shares of the lines for dev and test (default 0.05 each). */
  devShare?: number;
  testShare?: number;
  /** Share of lines rendered without any augmentation (default 0.15). */
  cleanShare?: number;
  /**
   * Share of train and dev lines rendered in (unreserved) handwriting-like fonts; by
   * default each line draws from all unreserved fonts alike.
   */
  handwritingShare?: number;
  /** Distortion of the train split (default 'standard'). */
  augmentation?: AugmentationStrength;
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** How often (p) and how far each distortion goes; stroke and wave amplitude top out at the point size over a divisor. */
interface DistortionRanges {
  slant: [p: number, lo: number, hi: number];
  rotate: [p: number, lo: number, hi: number];
  stroke: [p: number, sizeDivisor: number];
  wave: [p: number, sizeDivisor: number, shortest: number, longest: number];
  stretch: [p: number, lo: number, hi: number] | null;
}

const DISTORTIONS: Record<AugmentationStrength, DistortionRanges> = {
  standard: { slant: [0.6, -12, 20], rotate: [0.5, -2, 2], stroke: [0.35, 30], wave: [0.4, 14, 60, 300], stretch: null },
  strong: { slant: [0.75, -18, 28], rotate: [0.5, -3, 3], stroke: [0.5, 20], wave: [0.65, 9, 40, 240], stretch: [0.6, 0.7, 1.3] },
};

/** Draws one augmentation; `clean` gives an undistorted line at a random size. */
export function drawAugmentation(rng: Random, clean: boolean, strength: AugmentationStrength = 'standard'): LineAugmentation {
  const u = (a: number, b: number): number => a + (b - a) * rng.uniform();
  const chance = (p: number): boolean => rng.uniform() < p;
  const pointSize = Math.round(u(26, 56));
  const aug: LineAugmentation = {
    pointSize, slant: 0, rotate: 0, strokeWidth: 0, blur: 0, noise: 0, waveAmplitude: 0, waveLength: 0,
    paper: 100, ink: 0, seed: rng.nextUint32() % 1_000_000,
  };
  if (clean) return aug;
  const d = DISTORTIONS[strength];
  if (chance(d.slant[0])) aug.slant = round(u(d.slant[1], d.slant[2]), 1);
  if (chance(d.rotate[0])) aug.rotate = round(u(d.rotate[1], d.rotate[2]), 1);
  if (chance(d.stroke[0])) aug.strokeWidth = round(u(0.3, pointSize / d.stroke[1]), 1);
  if (chance(0.5)) aug.blur = round(u(0.3, 1.2));
  if (chance(0.5)) aug.noise = round(u(0.1, 0.6));
  if (chance(d.wave[0])) {
    aug.waveAmplitude = round(u(0.5, pointSize / d.wave[1]), 1);
    aug.waveLength = Math.round(u(d.wave[2], d.wave[3]));
  }
  if (chance(0.5)) aug.paper = Math.round(u(65, 95));
  if (chance(0.4)) aug.ink = Math.round(u(5, 40));
  if (d.stretch && chance(d.stretch[0])) aug.stretch = round(u(d.stretch[1], d.stretch[2]));
  return aug;
}

/**
 * Plans `lines` images from the candidate texts and fonts. Texts are shuffled by the seed
 * and dealt to test, dev and train (in that order, by share); each image takes the next
 * text of its split (cycling when a split has fewer texts than images).
 */
export function planLines(texts: readonly string[], fonts: readonly LineFont[], options: LinePlanOptions): PlannedLine[] {
  const { lines, seed } = options;
  if (!Number.isInteger(lines) || lines < 1) throw new Error(`planLines: lines must be a positive integer, got ${lines}`);
  const devShare = options.devShare ?? 0.05, testShare = options.testShare ?? 0.05, cleanShare = options.cleanShare ?? 0.15;
  if (!(devShare >= 0 && testShare >= 0 && devShare + testShare < 1)) throw new Error('planLines: dev and test shares must be >= 0 and leave some for train');
  const open = fonts.filter((f) => !f.reserved), reserved = fonts.filter((f) => f.reserved);
  const handShare = options.handwritingShare;
  if (handShare !== undefined && !(handShare >= 0 && handShare <= 1)) throw new Error(`planLines: handwritingShare must be in [0, 1], got ${handShare}`);
  const openHand = open.filter((f) => f.handwriting), openPrint = open.filter((f) => !f.handwriting);
  if (open.length === 0) throw new Error('planLines: no unreserved fonts to render train and dev lines with');
  if (texts.length < 3) throw new Error(`planLines: need at least 3 distinct texts, got ${texts.length}`);
  const rng = new Random(seed);
  const order = texts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTest = Math.max(1, Math.round(texts.length * testShare)), nDev = Math.max(1, Math.round(texts.length * devShare));
  const pool: Record<LineSplit, number[]> = {
    test: order.slice(0, nTest), dev: order.slice(nTest, nTest + nDev), train: order.slice(nTest + nDev),
  };
  const count: Record<LineSplit, number> = {
    test: testShare > 0 ? Math.max(1, Math.round(lines * testShare)) : 0,
    dev: devShare > 0 ? Math.max(1, Math.round(lines * devShare)) : 0,
    train: 0,
  };
  // A tiny corpus keeps at least one train line: dev, then test, give way.
  while (count.test + count.dev >= lines && count.test + count.dev > 0) count[count.dev > 0 ? 'dev' : 'test']--;
  count.train = lines - count.test - count.dev;
  const out: PlannedLine[] = [];
  let id = 0;
  for (const split of LINE_SPLITS) {
    for (let k = 0; k < count[split]; k++) {
      const text = texts[pool[split][k % pool[split].length]!]!;
      let fontSet = split === 'test' && reserved.length > 0 && k % 2 === 0 ? reserved : open;
      if (split !== 'test' && handShare !== undefined && openHand.length > 0 && openPrint.length > 0) {
        fontSet = rng.uniform() < handShare ? openHand : openPrint;
      }
      const font = fontSet[Math.floor(rng.uniform() * fontSet.length)]!;
      const augmentation = drawAugmentation(rng, rng.uniform() < cleanShare, split === 'train' ? options.augmentation : 'standard');
      out.push({ id: String(id++).padStart(7, '0'), split, text: font.unicase ? text.toUpperCase() : text, font, augmentation });
    }
  }
  return out;
}
