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
}

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
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** Draws one augmentation; `clean` gives an undistorted line at a random size. */
export function drawAugmentation(rng: Random, clean: boolean): LineAugmentation {
  const u = (a: number, b: number): number => a + (b - a) * rng.uniform();
  const chance = (p: number): boolean => rng.uniform() < p;
  const pointSize = Math.round(u(26, 56));
  const aug: LineAugmentation = {
    pointSize, slant: 0, rotate: 0, strokeWidth: 0, blur: 0, noise: 0, waveAmplitude: 0, waveLength: 0,
    paper: 100, ink: 0, seed: rng.nextUint32() % 1_000_000,
  };
  if (clean) return aug;
  if (chance(0.6)) aug.slant = round(u(-12, 20), 1);
  if (chance(0.5)) aug.rotate = round(u(-2, 2), 1);
  if (chance(0.35)) aug.strokeWidth = round(u(0.3, pointSize / 30), 1);
  if (chance(0.5)) aug.blur = round(u(0.3, 1.2));
  if (chance(0.5)) aug.noise = round(u(0.1, 0.6));
  if (chance(0.4)) {
    aug.waveAmplitude = round(u(0.5, pointSize / 14), 1);
    aug.waveLength = Math.round(u(60, 300));
  }
  if (chance(0.5)) aug.paper = Math.round(u(65, 95));
  if (chance(0.4)) aug.ink = Math.round(u(5, 40));
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
      const fontSet = split === 'test' && reserved.length > 0 && k % 2 === 0 ? reserved : open;
      const font = fontSet[Math.floor(rng.uniform() * fontSet.length)]!;
      const augmentation = drawAugmentation(rng, rng.uniform() < cleanShare);
      out.push({ id: String(id++).padStart(7, '0'), split, text, font, augmentation });
    }
  }
  return out;
}
