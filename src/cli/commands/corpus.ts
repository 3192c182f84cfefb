/** `sayre corpus tts`, `corpus lm-text` and `corpus warzone`: thin shells over the corpus builders. */
import { InvalidArgumentError, type Command } from 'commander';
import { buildTtsCorpus } from '../../corpus/tts/build-tts-corpus.js';
import { importWarzoneTutorial, WARZONE_ARCHIVE } from '../../corpus/warzone-tutorial.js';
import { formatCorpusSummary } from '../../corpus/tts/summary.js';
import { DEFAULT_HELD_OUT } from '../../corpus/tts/speaker-splits.js';
import { SPLITS, type Split } from '../../corpus/tts/plan.js';
import { TEXT_SOURCE_FILES } from '../../corpus/tts/text-sources.js';
import { lmText } from '../../corpus/tts/lm-text.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { TextSource } from '../../corpus/tts/text-sources.js';
import { num } from '../number-option.js';
import { corpusExitCode, maxFailedOption } from '../corpus-outcome.js';
import { startProgress } from '../../report/progress.js';
import { onStopSignals } from '../stop-signal.js';

interface TtsFlags {
  out: string; hours: number; seed: number; jobs?: number; augmentShare: number; sampleRate: number;
  maxSentences?: number; voices?: string; devShare: number; testShare: number; heldOutVariants: number;
  fortuneDir?: string[]; progress?: boolean; perturbShare: number; speakerDevShare: number; speakerTestShare: number;
  heldOutDev: string[]; heldOutTest: string[]; textSources: TextSource[]; heldOutText: TextSource | 'none'; maxPerSource: number;
  requireAllVoices?: boolean; maxFailed: number; splits?: Split[]; extend?: string;
}

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);
const splitList = (v: string): Split[] => {
  const out = list(v);
  const bad = out.find((s) => !(SPLITS as readonly string[]).includes(s));
  if (bad !== undefined || out.length === 0) throw new InvalidArgumentError(`--splits: ${bad === undefined ? 'no split given' : `unknown split "${bad}"`} (splits: ${SPLITS.join(', ')})`);
  return out as Split[];
};

function textSource(flag: string, allowNone: boolean): (v: string) => TextSource | 'none' {
  return (v) => {
    if (v in TEXT_SOURCE_FILES || (allowNone && v === 'none')) return v as TextSource | 'none';
    throw new InvalidArgumentError(`${flag}: expected one of ${Object.keys(TEXT_SOURCE_FILES).join(', ')}${allowNone ? ', none' : ''}, got ${JSON.stringify(v)}`);
  };
}

/** Registers `corpus tts`. */
export function registerCorpusCommand(program: Command): void {
  const corpus = program.command('corpus').description('Build speech corpora.');
  corpus.command('tts')
    .description('Synthesise an English speech corpus with every installed Debian voice (espeak-ng, mbrola, flite, festival, RHVoice, Pico) '
      + 'from the fortune files, WordNet and GCIDE, with speaker perturbation and channel effects (resumable). Splits: train, dev, test '
      + '(seen speakers), dev-speakers and test-speakers (held-out recorded speakers; test-speakers reads held-out text).')
    .requiredOption('--out <dir>', 'output folder (train/dev/test.jsonl, audio/, corpus.json)')
    .requiredOption('--hours <h>', 'hours of audio in all splits together', num('--hours', (v) => v > 0))
    .option('--seed <n>', 'seed of the plan: sentences, voices, augmentation', num('--seed', Number.isInteger), 1)
    .option('--jobs <n>', 'parallel synthesis jobs (default: CPUs)', num('--jobs', (v) => Number.isInteger(v) && v > 0))
    .option('--augment-share <s>', 'share of utterances given channel effects (noise, reverb, band limits, GSM)', num('--augment-share', (v) => v >= 0 && v <= 1), 0.3)
    .option('--perturb-share <s>', 'share of train/dev/test utterances given a speaker perturbation (vocal tract, tempo, F0)', num('--perturb-share', (v) => v >= 0 && v <= 1), 0.6)
    .option('--speaker-dev-share <s>', 'share of hours for dev-speakers', num('--speaker-dev-share', (v) => v >= 0 && v < 1), 0.04)
    .option('--speaker-test-share <s>', 'share of hours for test-speakers', num('--speaker-test-share', (v) => v >= 0 && v < 1), 0.04)
    .option('--held-out-dev <speakers>', 'comma-separated recorded speakers heard only in dev-speakers', list, DEFAULT_HELD_OUT.dev)
    .option('--held-out-test <speakers>', 'comma-separated recorded speakers heard only in test-speakers', list, DEFAULT_HELD_OUT.test)
    .option('--text-sources <list>', 'text sources spoken besides the fortunes (wordnet, gcide, jargon)', (v: string) => list(v).map((x) => textSource('--text-sources', false)(x) as TextSource), ['wordnet', 'gcide'] as TextSource[])
    .option('--held-out-text <source>', 'text source read only by test-speakers, or none', textSource('--held-out-text', true), 'jargon' as const)
    .option('--max-per-source <n>', 'sentences kept per extra text source', num('--max-per-source', (v) => Number.isInteger(v) && v > 0), 20000)
    .option('--sample-rate <hz>', 'output sample rate', num('--sample-rate', (v) => Number.isInteger(v) && v >= 8000), 16000)
    .option('--max-sentences <n>', 'use at most this many distinct sentences', num('--max-sentences', (v) => Number.isInteger(v) && v > 0))
    .option('--voices <list>', 'comma-separated voice selectors, e.g. espeak-ng,flite:kal16,festival:ked_diphone,espeak-ng:en-gb+Alex,rhvoice:clb,pico,speaker:mbrola-us1')
    .option('--dev-share <s>', 'share of sentences and hours for dev', num('--dev-share', (v) => v >= 0 && v < 1), 0.05)
    .option('--test-share <s>', 'share of sentences and hours for test', num('--test-share', (v) => v >= 0 && v < 1), 0.05)
    .option('--held-out-variants <s>', 'share of espeak-ng variants heard only in test', num('--held-out-variants', (v) => v >= 0 && v <= 1), 0.1)
    .option('--fortune-dir <dir...>', 'folders of fortune files (default /usr/share/games/fortunes)')
    .option('--require-all-voices', 'fail unless every allowed Debian voice is installed (for a bundled model)')
    .option('--splits <list>', `synthesise only these splits (of ${SPLITS.join(', ')}): the same utterances a full build makes, e.g. the held-out speakers to evaluate a model without building train; a later build in the folder adds the rest`, splitList)
    .option('--extend <dir>', 'more train hours for the corpus in DIR: of this seed\'s plan (--hours for all its splits), only the train utterances that '
      + 'read none of DIR\'s dev or test sentences and use no voice DIR holds out; train on both train.jsonl files')
    .addOption(maxFailedOption())
    .option('--no-progress', 'no progress bar or lines')
    .action(async (f: TtsFlags) => {
      const stop = onStopSignals('the utterances in flight');
      let bar: ReturnType<typeof startProgress> | undefined;
      try {
        const result = await buildTtsCorpus({
          outDir: f.out, hours: f.hours, seed: f.seed, augmentShare: f.augmentShare, sampleRate: f.sampleRate,
          devShare: f.devShare, testShare: f.testShare, heldOutVariantShare: f.heldOutVariants,
          perturbShare: f.perturbShare, speakerDevShare: f.speakerDevShare, speakerTestShare: f.speakerTestShare,
          heldOutSpeakers: { dev: f.heldOutDev, test: f.heldOutTest },
          textSources: f.textSources, heldOutTextSource: f.heldOutText, maxPerSource: f.maxPerSource,
          ...(f.requireAllVoices ? { requireAllVoices: true } : {}),
          ...(f.splits ? { splits: f.splits } : {}),
          ...(f.extend !== undefined ? { extend: f.extend } : {}),
          ...(f.jobs !== undefined ? { jobs: f.jobs } : {}),
          ...(f.maxSentences !== undefined ? { maxSentences: f.maxSentences } : {}),
          ...(f.voices ? { voices: list(f.voices) } : {}),
          ...(f.fortuneDir ? { fortuneDirs: f.fortuneDir } : {}),
          signal: stop.signal,
          log: (m) => (bar ? bar.log(m) : console.error(m)),
          onProgress: (p) => {
            if (f.progress === false) return;
            bar ??= startProgress({ total: p.total, unit: 'utts', label: 'corpus' });
            bar.update(p.done, { audio: `${(p.audioSeconds / 3600).toFixed(2)} h`, skipped: p.skipped, failed: p.failed });
          },
        });
        bar?.stop();
        bar = undefined;
        const { progress: p } = result;
        console.log(formatCorpusSummary(result.summary));
        console.log(`generated ${p.generated}, skipped ${p.skipped} (already there), failed ${p.failed} in ${result.wallSeconds.toFixed(1)} s` +
          (p.generated > 0 ? ` (${(p.generatedSeconds / result.wallSeconds).toFixed(1)} s of audio generated per second)` : ''));
        if (result.extended) {
          const d = result.extended.dropped;
          console.log(`extends ${result.extended.corpus}: ${result.extended.utterances} train utterances; left out ${d.text} that read its dev or test sentences, `
            + `${d.variant} in the espeak-ng variants it keeps for test, ${d.speaker} by its held-out speakers`);
        }
        if (result.plan.heldOutVariants.length) console.log(`espeak-ng variants held out for test: ${result.plan.heldOutVariants.join(', ')}`);
        const held = result.plan.heldOutSpeakers;
        console.log(`held-out speakers: dev-speakers ${held.dev.join(', ') || 'none installed'}; test-speakers ${held.test.join(', ') || 'none installed'}`);
        process.exitCode = corpusExitCode(p, stop.signal.aborted, f.maxFailed, 'utterances');
      } finally {
        bar?.stop();
        stop.dispose();
      }
    });
  corpus.command('lm-text')
    .description('Write the text of a speech LM (one normalised sentence a line): the fortunes and the other allowed sources, never the held-out Jargon File or a reserved text.')
    .requiredOption('--out <file>', 'text file to write (atomically)')
    .option('--text-sources <list>', 'sources besides the fortunes (wordnet, gcide)', (v: string) => list(v).map((x) => textSource('--text-sources', false)(x) as TextSource), ['wordnet', 'gcide'] as TextSource[])
    .option('--fortune-dir <dir...>', 'folders of fortune files (default /usr/share/games/fortunes)')
    .action((f: { out: string; textSources: TextSource[]; fortuneDir?: string[] }) => {
      const { sentences, sources } = lmText({ textSources: f.textSources, ...(f.fortuneDir ? { fortuneDirs: f.fortuneDir } : {}) });
      writeFileAtomic(f.out, sentences.join('\n') + '\n');
      console.log(`${f.out}: ${sentences.length} sentences (${Object.entries(sources).map(([k, v]) => `${k} ${String(v)}`).join(', ')})`);
    });
  corpus.command('warzone')
    .description('Import the real-voice check set: warzone2100-data\'s spoken tutorial with its script text (evaluation only).')
    .requiredOption('--out <dir>', 'output folder (warzone-tutorial.jsonl, audio/)')
    .option('--archive <file>', 'the warzone2100 base.wz archive', WARZONE_ARCHIVE)
    .option('--sample-rate <hz>', 'output sample rate', num('--sample-rate', (v) => Number.isInteger(v) && v >= 8000), 16000)
    .action(async (f: { out: string; archive: string; sampleRate: number }) => {
      const entries = await importWarzoneTutorial({ outDir: f.out, archive: f.archive, sampleRate: f.sampleRate });
      const seconds = entries.reduce((s, e) => s + e.duration, 0);
      console.log(`warzone tutorial: ${entries.length} clips, ${(seconds / 60).toFixed(1)} min in ${f.out}/warzone-tutorial.jsonl`);
    });
}
