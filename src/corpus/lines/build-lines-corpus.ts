/**
 * Builds a text-line image corpus: plans it from the seed (plan.ts), renders the images in
 * parallel with ImageMagick (render-line.ts), and writes one manifest per split
 * (train/dev/test.jsonl in the seen fonts, heldout-dev/heldout-test.jsonl in the held-out
 * families: `{"image": "images/train/0000001.png", "text": ..., "font": ..., "rendering":
 * "varied", "augmentation": {...}}`, paths relative to the manifest), corpus.json, and
 * texts.txt (every candidate text, one a line: the line LM's text, less dev and test).
 * With `extend`, only the train lines of the plan that may join another corpus's train
 * (extend-lines-corpus.ts), and only train.jsonl. Resumable: an image already there and
 * complete is not redone; manifests list only the images that exist.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { FortuneSentence } from '../fortune-sentences.js';
import { type LineFont, installedFonts, missingListedFamilies } from './fonts.js';
import { corpusLineTexts, heldOutLineTexts } from './line-texts.js';
import { extensionLines, type LinesExtensionDropped, readExtendedLinesCorpus } from './extend-lines-corpus.js';
import { LINE_SPLITS, type LineAugmentation, type LinePlanOptions, type LineRendering, type LineSplit, type PlannedLine, planLines } from './plan.js';
import { readJargonParagraphs } from './texts/jargon.js';
import { renderLine } from './render-line.js';

/** One line of a line manifest. */
export interface LineManifestEntry {
  /** PNG path relative to the manifest's folder. */
  image: string;
  /** What the line says, exactly as rendered. */
  text: string;
  /** Family and style. */
  font: string;
  family: string;
  handwriting: boolean;
  rendering: LineRendering;
  augmentation: LineAugmentation;
}

export interface LinesCorpusProgress {
  done: number;
  total: number;
  generated: number;
  skipped: number;
  failed: number;
}

export interface LinesCorpusOptions extends Omit<LinePlanOptions, 'heldOutTexts'> {
  outDir: string;
  /** Parallel renders (default: CPUs). */
  jobs?: number;
  /** Texts instead of the fortune files, WordNet and GCIDE (tests). */
  sentences?: FortuneSentence[];
  fortuneDirs?: string[];
  /** Paragraphs instead of the Jargon File for the held-out splits (tests). */
  heldOutParagraphs?: string[];
  /** Fonts instead of every installed one (tests). */
  fonts?: LineFont[];
  /** Refuse to build when a listed handwriting-like or held-out family is missing (else: a warning, and corpus.json says which). */
  requireAllFonts?: boolean;
  /**
   * A complete corpus folder to extend: render only this plan's train lines, less those that
   * read one of its evaluation texts or use one of its held-out families (another seed is needed).
   */
  extend?: string;
  signal?: AbortSignal;
  onProgress?: (p: LinesCorpusProgress) => void;
  log?: (message: string) => void;
}

export interface LinesCorpusResult {
  plan: PlannedLine[];
  progress: LinesCorpusProgress;
  /** Every planned image exists. */
  complete: boolean;
  /** Lines per split in the manifests. */
  counts: Record<LineSplit, number>;
  wallSeconds: number;
  /** With `extend`: the corpus extended and the planned train lines left out, by reason. */
  extends?: { corpus: string; dropped: LinesExtensionDropped };
}

/** True when `path` is a whole PNG (signature at the start, IEND chunk at the end). */
export function isCompletePng(path: string): boolean {
  if (!existsSync(path)) return false;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 20) return false;
    const head = Buffer.alloc(8), tail = Buffer.alloc(12);
    readSync(fd, head, 0, 8, 0);
    readSync(fd, tail, 0, 12, size - 12);
    return head.toString('latin1', 1, 4) === 'PNG' && tail.toString('latin1', 4, 8) === 'IEND';
  } finally {
    closeSync(fd);
  }
}

/**
 * Resuming is only sound with the same plan (images are found by id): the plan's hash is
 * kept in plan.json, and a rerun with other options, texts or fonts is refused.
 */
function guardPlan(outDir: string, plan: readonly PlannedLine[]): void {
  const h = createHash('sha256');
  for (const l of plan) h.update(JSON.stringify([l.id, l.split, l.text, l.font.file, l.rendering, l.augmentation]));
  const fingerprint = h.digest('hex').slice(0, 16);
  const path = join(outDir, 'plan.json');
  if (existsSync(path)) {
    const old = (JSON.parse(readFileSync(path, 'utf8')) as { fingerprint?: string }).fingerprint;
    if (old !== fingerprint) {
      throw new Error(`${outDir} holds a line corpus planned with other options, texts or fonts (plan ${old}, now ${fingerprint}); use the same --lines, --held-out-lines, --seed and shares, or another --out`);
    }
    return;
  }
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(path, JSON.stringify({ fingerprint, lines: plan.length }) + '\n');
}

/**
 * The order to render in: the splits interleaved in proportion (a build stopped part way
 * leaves train, dev and test in their planned shares, every one usable).
 */
export function renderOrder(plan: readonly PlannedLine[]): number[] {
  const total = splitCounts(), seen = splitCounts();
  for (const l of plan) total[l.split]++;
  const key = plan.map((l) => (seen[l.split]++ + 0.5) / total[l.split]);
  return plan.map((_, i) => i).sort((a, b) => key[a]! - key[b]! || a - b);
}

const splitCounts = (): Record<LineSplit, number> => Object.fromEntries(LINE_SPLITS.map((s) => [s, 0])) as Record<LineSplit, number>;

const imagePath = (line: PlannedLine): string => join('images', line.split, `${line.id}.png`);

/** Builds (or resumes) the corpus in options.outDir. */
export async function buildLinesCorpus(options: LinesCorpusOptions): Promise<LinesCorpusResult> {
  const start = Date.now();
  const { outDir } = options;
  // read first: a wrong --extend is refused before anything is planned or written
  const base = options.extend === undefined ? undefined : readExtendedLinesCorpus(options.extend);
  if (base && (options.heldOutLines ?? 0) > 0) throw new Error('corpus lines: an extension (--extend) renders train lines only; leave out --held-out-lines');
  const texts = corpusLineTexts(options.seed, { ...(options.sentences ? { sentences: options.sentences } : {}), ...(options.fortuneDirs ? { fortuneDirs: options.fortuneDirs } : {}) });
  const heldOutTexts = (options.heldOutLines ?? 0) > 0
    ? heldOutLineTexts(options.seed, options.heldOutParagraphs ?? readJargonParagraphs(), new Set(texts)) : [];
  const fonts = options.fonts ?? installedFonts();
  const missingFamilies = missingListedFamilies(fonts);
  if (missingFamilies.length > 0) {
    const what = `${missingFamilies.length} listed font famil${missingFamilies.length === 1 ? 'y is' : 'ies are'} not installed: ${missingFamilies.join(', ')} (docs/line-corpus.md names their packages)`;
    if (options.requireAllFonts) throw new Error(`corpus lines: ${what}`);
    options.log?.(`warning: ${what}; the corpus has fewer hands, and its held-out figures are not comparable with a full corpus's`);
  }
  const full = planLines(texts, fonts, { ...options, heldOutTexts });
  const extension = base ? extensionLines(full, options.seed, base) : undefined;
  const plan = extension?.lines ?? full;
  const extended = base && extension ? { corpus: base.dir, dropped: extension.dropped } : undefined;
  guardPlan(outDir, plan);
  // an extension's candidate texts include the extended corpus's dev and test texts: no LM text there
  if (!extension) writeFileAtomic(join(outDir, 'texts.txt'), texts.join('\n') + '\n');
  for (const s of LINE_SPLITS) mkdirSync(join(outDir, 'images', s), { recursive: true });
  const progress: LinesCorpusProgress = { done: 0, total: plan.length, generated: 0, skipped: 0, failed: 0 };
  const ok = new Array<boolean>(plan.length).fill(false);
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const order = renderOrder(plan);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length && !options.signal?.aborted) {
      const i = order[next++]!;
      const line = plan[i]!, path = join(outDir, imagePath(line));
      if (isCompletePng(path)) {
        progress.skipped++;
        ok[i] = true;
      } else {
        try {
          await renderLine(line, path);
          progress.generated++;
          ok[i] = true;
        } catch (err) {
          progress.failed++;
          options.log?.(`line ${line.id} (${line.font.family}): ${(err as Error).message}`);
        }
      }
      progress.done++;
      options.onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const counts = splitCounts();
  for (const split of extension ? ['train' as const] : LINE_SPLITS) {
    const entries: LineManifestEntry[] = [];
    plan.forEach((line, i) => {
      if (line.split !== split || !ok[i]) return;
      entries.push({
        image: imagePath(line), text: line.text, font: `${line.font.family} ${line.font.style}`, family: line.font.family,
        handwriting: line.font.handwriting, rendering: line.rendering, augmentation: line.augmentation,
      });
    });
    counts[split] = entries.length;
    writeFileAtomic(join(outDir, `${split}.jsonl`), entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
  }
  const fontsBySplit = Object.fromEntries(LINE_SPLITS.map((s) => [s, [...new Set(plan.filter((l) => l.split === s).map((l) => l.font.family))].sort()]));
  // Lines left out of the manifests (failed, or not reached before a stop): a rerun renders them.
  const missing = plan.flatMap((line, i) => (ok[i] ? [] : [line.id]));
  writeFileAtomic(join(outDir, 'corpus.json'), JSON.stringify({
    kind: 'sayre.lines-corpus/1', status: missing.length === 0 ? 'complete' : 'incomplete', missing, seed: options.seed, lines: options.lines, devShare: options.devShare ?? 0.05,
    testShare: options.testShare ?? 0.05, handwritingShare: options.handwritingShare ?? null, augmentation: options.augmentation ?? 'standard',
    heldOutLines: options.heldOutLines ?? 0, counts, fonts: fontsBySplit, missingFamilies, candidateTexts: texts.length, heldOutTexts: heldOutTexts.length,
    ...(extended ? { extends: { corpus: extended.corpus, lines: plan.length, dropped: extended.dropped } } : {}),
  }, null, 2) + '\n');
  return { plan, progress, complete: missing.length === 0, counts, wallSeconds: (Date.now() - start) / 1000, ...(extended ? { extends: extended } : {}) };
}
