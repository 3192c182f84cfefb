/** `sayre corpus lines`: a thin shell over buildLinesCorpus. */
import { InvalidArgumentError, type Command } from 'commander';
import { buildLinesCorpus } from '../../corpus/lines/build-lines-corpus.js';
import { num } from '../number-option.js';
import { corpusExitCode, maxFailedOption } from '../corpus-outcome.js';
import { startProgress } from '../../report/progress.js';
import { onStopSignals } from '../stop-signal.js';

interface LinesFlags {
  out: string; lines: number; seed: number; jobs?: number; devShare: number; testShare: number; cleanShare: number;
  fortuneDir?: string[]; progress?: boolean; requireAllFonts?: boolean; handwritingShare?: number; augmentation: 'standard' | 'strong'; heldOutLines: number; maxFailed: number; extend?: string;
}

/** Registers `corpus lines` under the `corpus` command (creating that if it is not there yet). */
export function registerCorpusLinesCommand(program: Command): void {
  const corpus = program.commands.find((c) => c.name() === 'corpus') ?? program.command('corpus');
  corpus.description('Build corpora: synthesised speech (tts) and rendered text lines (lines).');
  corpus.command('lines')
    .description('Render text-line images (3-9 words from the fortune files, WordNet definitions, WordNet and GCIDE headwords, names, '
      + 'numbers, punctuation, random letters) in every installed handwriting-like and regular font, with varied presentation, for OCR (resumable). '
      + 'The reserved fonts Kristi, DkgHandwriting and Dancing Script are never used; the held-out families render only the '
      + 'heldout-dev and heldout-test splits (Jargon File lines, each plain and distorted).')
    .requiredOption('--out <dir>', 'output folder (train/dev/test.jsonl, images/, corpus.json)')
    .requiredOption('--lines <n>', 'images in all splits together', num('--lines', (v) => Number.isInteger(v) && v > 0))
    .option('--seed <n>', 'seed of the plan: texts, fonts, augmentation', num('--seed', Number.isInteger), 1)
    .option('--jobs <n>', 'parallel renders (default: CPUs)', num('--jobs', (v) => Number.isInteger(v) && v > 0))
    .option('--dev-share <s>', 'share of texts and images for dev', num('--dev-share', (v) => v >= 0 && v < 1), 0.05)
    .option('--test-share <s>', 'share of texts and images for test', num('--test-share', (v) => v >= 0 && v < 1), 0.05)
    .option('--clean-share <s>', 'share of images rendered without augmentation', num('--clean-share', (v) => v >= 0 && v <= 1), 0.15)
    .option('--held-out-lines <n>', 'lines per held-out-font split (each rendered plain and distorted; 0: none)', num('--held-out-lines', (v) => Number.isInteger(v) && v >= 0), 0)
    .option('--handwriting-share <s>', 'share of train, dev and test lines in handwriting-like fonts (default: all their fonts alike)',
      num('--handwriting-share', (v) => v >= 0 && v <= 1))
    .option('--augmentation <strength>', 'distortion of the train split: standard, or strong (more slant, elastic distortion, stroke width, stretch)',
      (v: string) => {
        if (v !== 'standard' && v !== 'strong') throw new InvalidArgumentError(`--augmentation: expected standard or strong, got ${JSON.stringify(v)}`);
        return v;
      }, 'standard')
    .option('--fortune-dir <dir...>', 'folders of fortune files (default /usr/share/games/fortunes)')
    .option('--extend <dir>', 'more train lines for the complete corpus in DIR: of this seed\'s plan (--lines for all its splits; give '
      + '--dev-share 0 --test-share 0 to make every line a train line), only the train lines whose text is none of DIR\'s dev, test or held-out texts '
      + 'and whose font is none of its held-out families; writes train.jsonl only')
    .option('--require-all-fonts', 'fail unless every listed handwriting-like and held-out font family is installed (the recipe\'s corpus)')
    .addOption(maxFailedOption())
    .option('--no-progress', 'no progress bar')
    .action(async (f: LinesFlags) => {
      const stop = onStopSignals('the images in flight');
      let bar: ReturnType<typeof startProgress> | undefined;
      try {
        const r = await buildLinesCorpus({
          outDir: f.out, lines: f.lines, seed: f.seed, heldOutLines: f.heldOutLines, devShare: f.devShare, testShare: f.testShare, cleanShare: f.cleanShare,
          ...(f.jobs !== undefined ? { jobs: f.jobs } : {}),
          ...(f.handwritingShare !== undefined ? { handwritingShare: f.handwritingShare } : {}),
          ...(f.augmentation === 'strong' ? { augmentation: 'strong' as const } : {}),
          ...(f.fortuneDir ? { fortuneDirs: f.fortuneDir } : {}),
          ...(f.requireAllFonts ? { requireAllFonts: true } : {}),
          ...(f.extend !== undefined ? { extend: f.extend } : {}),
          signal: stop.signal,
          log: (m) => (bar ? bar.log(m) : console.error(m)),
          onProgress: (p) => {
            if (f.progress === false) return;
            bar ??= startProgress({ total: p.total, unit: 'lines', label: 'lines' });
            bar.update(p.done, { skipped: p.skipped, failed: p.failed });
          },
        });
        const p = r.progress;
        bar?.stop();
        bar = undefined;
        console.log(`lines: ${Object.entries(r.counts).map(([s, n]) => `${s} ${n}`).join(', ')} in ${f.out}`);
        if (r.extends) {
          const d = r.extends.dropped;
          console.log(`extends ${r.extends.corpus}: ${r.plan.length} train lines; left out ${d.text} that read its dev, test or held-out texts, ${d.family} in its held-out families`);
        }
        console.log(`rendered ${p.generated}, skipped ${p.skipped} (already there), failed ${p.failed} in ${r.wallSeconds.toFixed(1)} s`);
        process.exitCode = corpusExitCode(p, stop.signal.aborted, f.maxFailed, 'lines');
      } finally {
        bar?.stop();
        stop.dispose();
      }
    });
}
