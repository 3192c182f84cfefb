/** The decoder flags shared by `sayre transcribe` and `sayre eval` (--beam, --lm, --no-lm, --alpha, --beta, --label-bonus, --hotwords, --rnnt-search, --nbest). */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_RNNT_BEAM, type RnntSearch } from '../../decode/decoder.js';
import { type BeamDecoderSetup, decoderFor } from '../../recognizer/beam-decoder.js';
import type { DecodeOptions, Recognizer } from '../../recognizer/recognizer.js';

/** The parsed flags. */
export interface DecoderFlags { lm?: string | false; alpha?: number; beta?: number; labelBonus?: number; beam?: number; hotwords?: string; rnntSearch?: RnntSearch; nbest?: number }

function finite(flag: string, check: (x: number) => boolean = () => true) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isFinite(x) || !check(x)) throw new InvalidArgumentError(`${flag}: not a valid value: ${v}`);
    return x;
  };
}

/** Adds the decoder flags to a command. */
export function addDecoderFlags(cmd: Command): Command {
  return cmd
    .option('--lm <file>', 'ARPA word or character n-gram LM (optionally gzipped): decode by beam search with it (default: the model directory\'s own LM if it has one, else best path / greedy)')
    .option('--no-lm', 'no language model, not even the model directory\'s own: best path / greedy unless --beam asks for a beam search')
    .option('--alpha <a>', 'LM weight: score = ln P_acoustic + alpha ln P_lm + beta words (default 0.5)', finite('--alpha'))
    .option('--beta <b>', 'word insertion bonus (default 1)', finite('--beta'))
    .option('--label-bonus <g>', 'CTC: bonus per output label, against an LM that drops uncertain letters (default 0, or the model directory\'s)', finite('--label-bonus'))
    .option('--beam <n>', `beam width (CTC prefix beam search: default 32; RNN-T beam search: default ${DEFAULT_RNNT_BEAM}); alone, beam search without an LM`,
      finite('--beam', (x) => Number.isInteger(x) && x > 0))
    .option('--hotwords <file>', 'words or phrases to boost, one a line, optionally a tab and a weight (default weight 10); implies beam search')
    .addOption(new Option('--rnnt-search <kind>', 'RNN-T models: the beam search, one label per frame (modified, k2\'s) or Graves 2012\'s (graves); implies beam search')
      .choices(['modified', 'graves']))
    .option('--nbest <n>', 'alternatives per utterance from the beam search (transcribe --json lists them); implies beam search',
      finite('--nbest', (x) => Number.isInteger(x) && x > 0));
}

/**
 * How the flags ask `rec` to decode: the model directory's LM by default, `--no-lm` best
 * path / greedy, `--lm FILE` that LM; throws on flags that do not apply to its model.
 */
export function decoderFromFlags(rec: Recognizer, f: DecoderFlags): Required<Pick<DecodeOptions, 'decoder'>> {
  if (f.rnntSearch && rec.loaded.model.outputKind !== 'transducer') throw new Error(`${rec.loaded.dir}: --rnnt-search applies to RNN-T models; this is a CTC model`);
  if (f.labelBonus !== undefined && rec.loaded.model.outputKind === 'transducer') throw new Error(`${rec.loaded.dir}: --label-bonus applies to CTC models; this is an RNN-T model`);
  const setup: BeamDecoderSetup = { lm: f.lm, alpha: f.alpha, beta: f.beta, labelBonus: f.labelBonus, beamWidth: f.beam, hotwords: f.hotwords, rnntSearch: f.rnntSearch, nBest: f.nbest };
  // Always a decoder: none would mean the recogniser's default, which --no-lm must not get.
  return { decoder: decoderFor(rec, setup) ?? rec.decoder() };
}
