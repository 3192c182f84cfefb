/** The beam-search flags shared by `sayre transcribe` and `sayre eval` (--lm, --alpha, --beta, --beam, --hotwords). */
import { type Command, InvalidArgumentError } from 'commander';
import type { CtcBeamSearchDecoder } from '../../decode/prefix-beam-search.js';
import { type BeamDecoderSetup, beamDecoderFor, wantsBeamSearch } from '../../recognizer/beam-decoder.js';
import type { Recognizer } from '../../recognizer/recognizer.js';

/** The parsed flags. */
export interface DecoderFlags { lm?: string; alpha?: number; beta?: number; beam?: number; hotwords?: string }

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
    .option('--lm <file>', 'ARPA n-gram LM (optionally gzipped): decode by prefix beam search with it (default: best path)')
    .option('--alpha <a>', 'LM weight: score = ln P_ctc + alpha ln P_lm + beta words (default 0.5)', finite('--alpha'))
    .option('--beta <b>', 'word insertion bonus (default 1)', finite('--beta'))
    .option('--beam <n>', 'beam width of the prefix beam search (default 32)', finite('--beam', (x) => Number.isInteger(x) && x > 0))
    .option('--hotwords <file>', 'words or phrases to boost, one a line, optionally a tab and a weight (default weight 10); implies beam search');
}

/** The beam-search decoder the flags ask for, or undefined for best path. */
export function decoderFromFlags(rec: Recognizer, f: DecoderFlags): CtcBeamSearchDecoder | undefined {
  const setup: BeamDecoderSetup = { lm: f.lm, alpha: f.alpha, beta: f.beta, beamWidth: f.beam, hotwords: f.hotwords };
  if (!wantsBeamSearch(setup)) {
    if (f.alpha !== undefined || f.beta !== undefined || f.beam !== undefined) throw new Error('--alpha, --beta and --beam need --lm or --hotwords');
    return undefined;
  }
  return beamDecoderFor(rec, setup);
}
