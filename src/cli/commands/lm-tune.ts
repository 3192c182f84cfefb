/** `sayre lm tune`: grid search of the beam search's LM weight and word bonus on a dev manifest. */
import { type Command, InvalidArgumentError } from 'commander';
import { readWav } from '../../audio/wav-read.js';
import { readManifest } from '../../data/manifest.js';
import { tuneLmWeights, type TuneUtterance } from '../../decode/tune-lm-weights.js';
import { readArpa } from '../../decode/lm/arpa-reader.js';
import { RnntModel } from '../../model/transducer-model.js';
import { beamDecoderOptions } from '../../recognizer/beam-decoder.js';
import { Recognizer, tokenizerLabels } from '../../recognizer/recognizer.js';

/** Comma- or space-separated numbers (negative allowed: betas may be). */
function numberList(flag: string) {
  return (value: string): number[] => {
    const out = value.split(/[\s,]+/).filter((p) => p !== '').map(Number);
    if (out.length === 0 || out.some((x) => !Number.isFinite(x))) throw new InvalidArgumentError(`${flag}: expected numbers, got ${JSON.stringify(value)}`);
    return out;
  };
}

/** Registers `lm tune` under the `lm` command (creating that if it is not there yet). */
export function registerLmTuneCommand(program: Command): void {
  const lm = program.commands.find((c) => c.name() === 'lm') ?? program.command('lm');
  lm.command('tune')
    .description('Grid-search the LM weight alpha and word bonus beta of the prefix beam search on a dev manifest (corpus WER); prints the grid and the best pair.')
    .requiredOption('--manifest <file>', 'dev manifest (JSON lines); never the test set')
    .requiredOption('--lm <file>', 'ARPA n-gram LM (optionally gzipped)')
    .option('--model <dir>', 'model directory (default: the bundled English model)')
    .option('--alphas <list>', 'LM weights to try, e.g. 0,0.5,1 (default 0, 0.25, ..., 2)', numberList('--alphas'))
    .option('--betas <list>', 'word bonuses to try, e.g. -1,0,1,2 (default -1, 0, ..., 4)', numberList('--betas'))
    .option('--beam <n>', 'beam width (default 32)', (v: string) => {
      const x = Number(v);
      if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError(`--beam: expected a positive integer, got ${v}`);
      return x;
    })
    .action((o: { manifest: string; lm: string; model?: string; alphas?: number[]; betas?: number[]; beam?: number }) => {
      const rec = Recognizer.load(o.model);
      const { model } = rec.loaded;
      if (model instanceof RnntModel) throw new Error(`${o.model ?? 'model'}: an RNN-T model; lm tune needs a CTC model`);
      const t0 = performance.now();
      const C = model.config.numClasses;
      // The network runs once per utterance; every grid point re-decodes the same logits.
      const utterances: TuneUtterance[] = readManifest(o.manifest).map((e) => {
        const a = readWav(e.audioPath);
        const f = rec.features(a.samples, a.sampleRate);
        if (f.frames === 0) return { logits: new Float32Array(0), frames: 0, reference: e.text };
        const y = model.infer(f.data, [f.frames, 1, f.dim], Int32Array.of(f.frames));
        const T = y.lengths[0]!;
        return { logits: y.logits.slice(0, T * C), frames: T, reference: e.text };
      });
      const options = beamDecoderOptions(rec, { beamWidth: o.beam }, readArpa(o.lm));
      const best = tuneLmWeights(tokenizerLabels(rec.loaded.tokenizer), utterances, options, {
        alphas: o.alphas, betas: o.betas,
        onPoint: (p, done, total) => console.log(`alpha ${p.alpha.toFixed(2)}  beta ${p.beta.toFixed(2)}  WER ${(100 * p.wer).toFixed(2)}%  (${done}/${total})`),
      });
      console.log(`best: --alpha ${best.alpha} --beta ${best.beta} (dev WER ${(100 * best.wer).toFixed(2)}%, ${utterances.length} utterances, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    });
}
