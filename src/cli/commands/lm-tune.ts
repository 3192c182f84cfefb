/** `sayre lm tune`: grid search of the beam search's LM weight and word bonus on a dev manifest (speech or text lines); --attach makes the LM and the best pair the model directory's default. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { readAudio } from '../../audio/read-audio.js';
import { readManifest } from '../../data/manifest.js';
import { gridSearchLmWeights, tuneLmWeights, type TunePoint, type TuneResult, type TuneUtterance } from '../../decode/tune-lm-weights.js';
import { readArpa } from '../../decode/lm/arpa-reader.js';
import type { RnntSearch } from '../../decode/decoder.js';
import { Recognizer } from '../../recognizer/recognizer.js';
import { lmUnitOf } from '../../decode/lm/lm-unit.js';
import { isFoldedLm } from '../../decode/lm/fold-word.js';
import { attachModelLm, describeModelLm } from '../../model/io/model-lm.js';
import { DEFAULT_RNNT_BEAM } from '../../decode/decoder.js';
import type { AcousticOutput } from '../../decode/acoustic-output.js';
import { type CtcBeamSearchOptions, DEFAULT_WORD_LM_ALPHA } from '../../decode/prefix-beam-search.js';
import { bundledModelDir } from '../../recognizer/default-model.js';
import { LineRecognizer } from '../../recognizer/line-recognizer.js';
import { readLineManifest } from '../../data/lines/lines-manifest.js';
import { readImage } from '../../image/decode-image.js';
import { tokenizerLabels } from '../../data/char-tokenizer.js';
import { checkManifestKind, commandModel } from './line-model.js';
import { numberList } from '../number-option.js';

/** A dev utterance's CTC logits for tuning (none for an empty input: it decodes to ''). */
function ctcUtterance(y: AcousticOutput | null | undefined, reference: string): TuneUtterance {
  if (y?.kind !== 'ctc') return { logits: new Float32Array(0), frames: 0, reference };
  const T = y.lengths[0]!;
  return { logits: y.logits.slice(0, T * y.shape[2]), frames: T, reference };
}

/** Registers `lm tune` under the `lm` command (creating that if it is not there yet). */
export function registerLmTuneCommand(program: Command): void {
  const lm = program.commands.find((c) => c.name() === 'lm') ?? program.command('lm');
  lm.command('tune')
    .description('Grid-search the LM weight alpha and word bonus beta of the beam search (CTC prefix or RNN-T), and for CTC models the bonus per label, on a dev manifest (speech, or line images for a text-line model); prints the grid (WER and CER) and the best point.')
    .requiredOption('--manifest <file>', 'dev manifest (JSON lines); never the test set')
    .requiredOption('--lm <file>', 'ARPA n-gram LM (optionally gzipped)')
    .option('--model <dir|name>', 'model directory or bundled model name: english, text-lines (default: english)')
    .option('--alphas <list>', 'LM weights to try, e.g. 0,0.5,1 (default 0, 0.25, ..., 2)', numberList('--alphas'))
    .option('--betas <list>', 'word bonuses to try, e.g. -1,0,1,2 (default -1, 0, ..., 4)', numberList('--betas'))
    .option('--label-bonuses <list>', 'CTC models: bonuses per label to try, e.g. 0,1,2,3 (default 0)', numberList('--label-bonuses'))
    .option('--word-lm <file>', 'CTC models with a character --lm: a word ARPA LM beside it (built with `sayre lm build --fold` for case-folded words), scored at every word end')
    .option('--word-alphas <list>', `with --word-lm: its weights to try (default ${DEFAULT_WORD_LM_ALPHA})`, numberList('--word-alphas'))
    .option('--unk-scores <list>', 'with --word-lm: scores of a word it does not know to try (default -10)', numberList('--unk-scores'))
    .option('--beam <n>', 'beam width (CTC default 32, RNN-T default 8)', (v: string) => {
      const x = Number(v);
      if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError(`--beam: expected a positive integer, got ${v}`);
      return x;
    })
    .option('--attach', 'then make the LM, with the best alpha, beta, label bonus and this beam, the model directory\'s default (as `sayre lm attach`)')
    .addOption(new Option('--rnnt-search <kind>', 'RNN-T models: the beam search tuned for (modified or graves; default modified)').choices(['modified', 'graves']))
    .addOption(new Option('--metric <rate>', 'the error rate to minimise (default: wer for speech, cer for text-line models)').choices(['wer', 'cer']))
    .action(async (o: { manifest: string; lm: string; model?: string; alphas?: number[]; betas?: number[]; labelBonuses?: number[]; wordLm?: string; wordAlphas?: number[]; unkScores?: number[]; beam?: number; rnntSearch?: RnntSearch; attach?: boolean; metric?: 'wer' | 'cer' }) => {
      const chosen = commandModel(o.model);
      const dir = chosen.dir ?? bundledModelDir(), { lines } = chosen;
      const t0 = performance.now();
      const lm = readArpa(o.lm);
      const unit = lmUnitOf(lm);
      if ((o.wordAlphas || o.unkScores) && !o.wordLm) throw new Error('--word-alphas and --unk-scores need --word-lm');
      if (o.wordLm && unit.unit !== 'char') throw new Error(`--word-lm goes beside a character LM; ${o.lm} is a word LM`);
      const wordLm = o.wordLm !== undefined ? readArpa(o.wordLm) : undefined;
      const side = wordLm ? { wordLm, wordLmFolded: isFoldedLm(wordLm) } : {};
      const onPoint = (p: TunePoint, done: number, total: number): void => {
        const w = wordLm ? `  word alpha ${(p.wordLmAlpha ?? DEFAULT_WORD_LM_ALPHA).toFixed(2)}${p.unkScore !== undefined ? `  unknown word ${p.unkScore.toFixed(2)}` : ''}` : '';
        console.log(`alpha ${p.alpha.toFixed(2)}  beta ${p.beta.toFixed(2)}${o.labelBonuses ? `  label bonus ${p.labelBonus.toFixed(2)}` : ''}${w}  WER ${(100 * p.wer).toFixed(2)}%  CER ${(100 * p.cer).toFixed(2)}%  (${done}/${total})`);
      };
      const grid = { alphas: o.alphas, betas: o.betas, labelBonuses: o.labelBonuses, wordLmAlphas: o.wordAlphas, unkScores: o.unkScores, onPoint, metric: o.metric ?? (lines ? 'cer' : 'wer') };
      // A CTC model's beam search over its logits, as the model directory's decoder would run it.
      const ctcOptions = (blank: number): CtcBeamSearchOptions => ({ blank, lm, beamWidth: o.beam, ...(unit.unit === 'char' ? { lmUnit: 'char' as const, charLmDelimiter: unit.delimiter } : {}), ...side });
      let best: TuneResult, count: number, outputKind: 'ctc' | 'transducer' = 'ctc';
      if (lines) {
        if (o.rnntSearch) throw new Error(`${dir}: --rnnt-search applies to RNN-T models; this is a text-line (CTC) model`);
        checkManifestKind(o.manifest, true, o.model);
        const rec = LineRecognizer.load(dir, { lm: false });
        const entries = readLineManifest(o.manifest);
        // The network runs once per line; every grid point re-decodes its outputs.
        const utterances = entries.map((e) => {
          const f = rec.features(readImage(e.imagePath), e.imagePath);
          return ctcUtterance(f && rec.loaded.model.decodable(f.data, [f.frames, 1, f.dim], Int32Array.of(f.frames)), e.text);
        });
        best = tuneLmWeights(tokenizerLabels(rec.loaded.tokenizer), utterances, ctcOptions(rec.loaded.tokenizer.blank), grid);
        count = entries.length;
        rec.dispose();
      } else {
        checkManifestKind(o.manifest, false, o.model);
        const rec = Recognizer.load(dir);
        const { model } = rec.loaded;
        outputKind = model.outputKind;
        if (o.rnntSearch && outputKind !== 'transducer') throw new Error(`${o.model ?? 'model'}: --rnnt-search applies to RNN-T models; this is a CTC model`);
        const entries = readManifest(o.manifest);
        const outputs: (ReturnType<typeof model.decodable> | null)[] = [];
        for (const e of entries) {
          const a = await readAudio(e.audioPath); // any format sayre reads, by content
          const f = rec.features(a.samples, a.sampleRate);
          outputs.push(f.frames === 0 ? null : model.decodable(f.data, [f.frames, 1, f.dim], Int32Array.of(f.frames)));
        }
        if (model.outputKind === 'transducer') {
          if (o.labelBonuses || o.wordLm) throw new Error(`${o.model ?? 'model'}: --label-bonuses and --word-lm apply to CTC models; this is an RNN-T model`);
          best = gridSearchLmWeights(entries.map((e) => e.text), ({ alpha, beta }) => {
            const decoder = rec.decoder({ beamWidth: o.beam, alpha, beta, lm, rnntSearch: o.rnntSearch });
            return outputs.map((y) => (y ? rec.loaded.tokenizer.decode(decoder.decode(y)[0]![0]!.tokens) : ''));
          }, grid);
        } else {
          best = tuneLmWeights(rec.labels, outputs.map((y, i) => ctcUtterance(y, entries[i]!.text)), ctcOptions(rec.loaded.tokenizer.blank), grid);
        }
        count = entries.length;
      }
      const bestWord = wordLm ? ` --word-alpha ${best.wordLmAlpha ?? DEFAULT_WORD_LM_ALPHA}${best.unkScore !== undefined ? ` --unk-score ${best.unkScore}` : ''}` : '';
      console.log(`best: --alpha ${best.alpha} --beta ${best.beta}${o.labelBonuses ? ` --label-bonus ${best.labelBonus}` : ''}${bestWord} (dev WER ${(100 * best.wer).toFixed(2)}%, CER ${(100 * best.cer).toFixed(2)}%, ${count} ${lines ? 'lines' : 'utterances'}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      if (o.attach) {
        const entry = attachModelLm(dir, o.lm, {
          ...unit, alpha: best.alpha, beta: best.beta, beamWidth: o.beam ?? (outputKind === 'transducer' ? DEFAULT_RNNT_BEAM : 32),
          ...(best.labelBonus !== 0 ? { labelBonus: best.labelBonus } : {}),
          ...(best.unkScore !== undefined ? { unkScore: best.unkScore } : {}),
        }, o.wordLm !== undefined ? { arpa: o.wordLm, alpha: best.wordLmAlpha ?? DEFAULT_WORD_LM_ALPHA } : undefined);
        console.log(`${dir}: decodes with ${describeModelLm(entry)} by default`);
      }
    });
}
