/**
 * The plan of a text-line corpus, drawn entirely from the seed (so that a rerun resumes
 * the same corpus): which text, font and presentation each image gets, and its split.
 * Texts are split first, so no dev or test line appears in train. Train, dev and test use
 * the same fonts; the held-out families (fonts.ts) appear only in the held-out-font splits,
 * whose lines come from their own text and are each rendered twice: plainly (as
 * `convert -font F -pointsize 32 label:TEXT` would) and distorted.
 */
import { Random } from '../../math/random.js';
import { HELD_OUT_FAMILIES, type LineFont } from './fonts.js';
import { drawAugmentation, plainAugmentation, type AugmentationStrength, type LineAugmentation } from './presentation.js';

export type { AugmentationStrength, LineAugmentation } from './presentation.js';

export type LineSplit = 'train' | 'dev' | 'test' | 'heldout-dev' | 'heldout-test';
export const LINE_SPLITS: readonly LineSplit[] = ['train', 'dev', 'test', 'heldout-dev', 'heldout-test'];
/** The splits in the fonts of train. */
export const SEEN_FONT_SPLITS: readonly LineSplit[] = ['train', 'dev', 'test'];
/** The held-out-font splits. */
export const HELD_OUT_SPLITS = ['heldout-dev', 'heldout-test'] as const;
export type HeldOutSplit = (typeof HELD_OUT_SPLITS)[number];

/** How a line is drawn: 'plain' (ImageMagick's label at 32 points, nothing else) or 'varied' (its augmentation). */
export type LineRendering = 'plain' | 'varied';

export interface PlannedLine {
  id: string;
  split: LineSplit;
  text: string;
  font: LineFont;
  rendering: LineRendering;
  augmentation: LineAugmentation;
}

export interface LinePlanOptions {
  lines: number;
  seed: number;
  /** Shares of the lines for dev and test (default 0.05 each). */
  devShare?: number;
  testShare?: number;
  /** Share of lines rendered without distortion (margins and size still vary; default 0.15). */
  cleanShare?: number;
  /**
   * Share of train, dev and test lines rendered in handwriting-like fonts; by default
   * each line draws from all of their fonts alike.
   */
  handwritingShare?: number;
  /** Distortion of the train split (default 'standard'). */
  augmentation?: AugmentationStrength;
  /** Lines per held-out-font split, each rendered twice (default 0: no held-out splits). */
  heldOutLines?: number;
  /** The held-out splits' texts (needed when heldOutLines > 0). */
  heldOutTexts?: readonly string[];
  /** Held-out families by split (default HELD_OUT_FAMILIES). */
  heldOutFamilies?: Readonly<Record<HeldOutSplit, readonly string[]>>;
}

const familyKey = (f: string): string => f.toLowerCase().replace(/\s+/g, '');

function shuffled(n: number, rng: Random): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Plans `lines` images from the candidate texts and fonts, plus the held-out-font splits.
 * Texts are shuffled by the seed and dealt to test, dev and train (in that order, by
 * share); each image takes the next text of its split (cycling when a split has fewer
 * texts than images). Held-out lines cycle through their split's families.
 */
export function planLines(texts: readonly string[], fonts: readonly LineFont[], options: LinePlanOptions): PlannedLine[] {
  const { lines, seed } = options;
  if (!Number.isInteger(lines) || lines < 1) throw new Error(`planLines: lines must be a positive integer, got ${lines}`);
  const devShare = options.devShare ?? 0.05, testShare = options.testShare ?? 0.05, cleanShare = options.cleanShare ?? 0.15;
  if (!(devShare >= 0 && testShare >= 0 && devShare + testShare < 1)) throw new Error('planLines: dev and test shares must be >= 0 and leave some for train');
  const handShare = options.handwritingShare;
  if (handShare !== undefined && !(handShare >= 0 && handShare <= 1)) throw new Error(`planLines: handwritingShare must be in [0, 1], got ${handShare}`);
  const heldFamilies = options.heldOutFamilies ?? HELD_OUT_FAMILIES;
  const heldKeys = new Set(Object.values(heldFamilies).flat().map(familyKey));
  const open = fonts.filter((f) => !heldKeys.has(familyKey(f.family)));
  const openHand = open.filter((f) => f.handwriting), openPrint = open.filter((f) => !f.handwriting);
  if (open.length === 0) throw new Error('planLines: no fonts outside the held-out families to render train, dev and test with');
  if (texts.length < 3) throw new Error(`planLines: need at least 3 distinct texts, got ${texts.length}`);
  const rng = new Random(seed);
  const order = shuffled(texts.length, rng);
  const nTest = Math.max(1, Math.round(texts.length * testShare)), nDev = Math.max(1, Math.round(texts.length * devShare));
  const pool: Record<'train' | 'dev' | 'test', number[]> = {
    test: order.slice(0, nTest), dev: order.slice(nTest, nTest + nDev), train: order.slice(nTest + nDev),
  };
  const count = {
    test: testShare > 0 ? Math.max(1, Math.round(lines * testShare)) : 0,
    dev: devShare > 0 ? Math.max(1, Math.round(lines * devShare)) : 0,
    train: 0,
  };
  // A tiny corpus keeps at least one train line: dev, then test, give way.
  while (count.test + count.dev >= lines && count.test + count.dev > 0) count[count.dev > 0 ? 'dev' : 'test']--;
  count.train = lines - count.test - count.dev;
  const out: PlannedLine[] = [];
  let id = 0;
  const push = (split: LineSplit, text: string, font: LineFont, rendering: LineRendering, augmentation: LineAugmentation): void => {
    out.push({ id: String(id++).padStart(7, '0'), split, text: font.unicase ? text.toUpperCase() : text, font, rendering, augmentation });
  };
  for (const split of ['train', 'dev', 'test'] as const) {
    for (let k = 0; k < count[split]; k++) {
      const text = texts[pool[split][k % pool[split].length]!]!;
      let fontSet = open;
      if (handShare !== undefined && openHand.length > 0 && openPrint.length > 0) fontSet = rng.uniform() < handShare ? openHand : openPrint;
      const font = fontSet[rng.int(fontSet.length)]!;
      const words = text.split(' ').length;
      const augmentation = drawAugmentation(rng, rng.uniform() < cleanShare, split === 'train' ? options.augmentation : 'standard', words);
      push(split, text, font, 'varied', augmentation);
    }
  }
  planHeldOut(options, fonts, rng, push);
  return out;
}

/** The held-out-font splits: each line plain, then distorted, in its split's families in turn. */
function planHeldOut(options: LinePlanOptions, fonts: readonly LineFont[], rng: Random,
  push: (split: LineSplit, text: string, font: LineFont, rendering: LineRendering, a: LineAugmentation) => void): void {
  const n = options.heldOutLines ?? 0;
  if (n === 0) return;
  if (!Number.isInteger(n) || n < 0) throw new Error(`planLines: heldOutLines must be a whole number, got ${n}`);
  const texts = options.heldOutTexts ?? [];
  if (texts.length < 2) throw new Error('planLines: held-out lines need held-out texts (at least 2)');
  const heldFamilies = options.heldOutFamilies ?? HELD_OUT_FAMILIES;
  const order = shuffled(texts.length, rng);
  const half = Math.floor(texts.length / 2);
  const pools: Record<HeldOutSplit, number[]> = { 'heldout-dev': order.slice(0, half), 'heldout-test': order.slice(half) };
  for (const split of HELD_OUT_SPLITS) {
    const families = heldFamilies[split].map((fam) => fonts.filter((f) => familyKey(f.family) === familyKey(fam))).filter((fs) => fs.length > 0);
    if (families.length === 0) throw new Error(`planLines: none of the ${split} families (${heldFamilies[split].join(', ')}) is installed`);
    for (let k = 0; k < n; k++) {
      const text = texts[pools[split][k % pools[split].length]!]!;
      const faces = families[k % families.length]!;
      const font = faces[rng.int(faces.length)]!;
      push(split, text, font, 'plain', plainAugmentation());
      push(split, text, font, 'varied', drawAugmentation(rng, false, 'standard', text.split(' ').length));
    }
  }
}
