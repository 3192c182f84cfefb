/**
 * The --max-* flags that raise (or lower) the input limits of src/util/limits.ts, for
 * every command: `sayre transcribe --max-image-pixels 100000000 big.png`.
 */
import type { Command } from 'commander';
import { DEFAULT_LIMITS, LIMIT_FLAGS, type Limits, setLimits } from '../util/limits.js';
import { num } from './number-option.js';

const DESCRIPTIONS: Record<keyof Limits, string> = {
  maxImagePixels: 'most pixels of an image',
  maxLineColumns: 'most columns of a text-line image scaled to the model\'s height',
  minSampleRate: 'lowest audio sample rate in Hz',
  maxSampleRate: 'highest audio sample rate in Hz',
  maxFileBytes: 'largest input file in bytes',
  maxStreamBytes: 'most bytes read from an input that is not a regular file (a pipe, a device)',
  maxArpaBytes: 'largest ARPA LM in bytes after decompression',
  maxArpaLineBytes: 'longest line of an ARPA LM in bytes',
  maxParameters: 'most parameters of a model',
  maxBeam: 'widest beam search (--beam, --nbest)',
};

/** Adds the limit flags to `program` (they apply to every command) and sets the limits before any command runs. */
export function addLimitFlags(program: Command): Command {
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    program.option(`${LIMIT_FLAGS[key]} <n>`, `${DESCRIPTIONS[key]} (default ${DEFAULT_LIMITS[key]})`, num(LIMIT_FLAGS[key], (v) => v > 0));
  }
  return program.hook('preAction', (root) => {
    const o = root.opts<Partial<Limits>>();
    setLimits(Object.fromEntries((Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]).map((k) => [k, o[k]])));
  });
}
