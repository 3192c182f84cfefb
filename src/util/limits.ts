/**
 * Limits on what outside input may cost, checked from headers before anything is allocated
 * or decoded. The parsers (WAV, PNG/JPEG, ARPA, safetensors, model configs) read them from
 * here, so that the Recognizer, `sayre serve`, the CLI and the browser all get them; a
 * user who needs more raises one with {@link setLimits} (the CLI: --max-* flags). No Node
 * module here: the browser build uses it too.
 */

/** Every limit, with its unit in the name or doc. */
export interface Limits {
  /** Decoded pixels of an image (width x height). Default 25 million. */
  maxImagePixels: number;
  /** Columns of a text-line image after scaling to the model's height. Default 20000. */
  maxLineColumns: number;
  /** Lowest sample rate of audio, Hz. Default 1000. */
  minSampleRate: number;
  /** Highest sample rate of audio, Hz. Default 384000. */
  maxSampleRate: number;
  /** Bytes of a regular file read whole (audio, images, models, manifests). Default 4 GiB - 1 (Node's largest buffer). */
  maxFileBytes: number;
  /** Bytes read from a file that is not a regular file (a pipe, a device): its size is unknown. Default 256 MiB. */
  maxStreamBytes: number;
  /** Bytes of an ARPA language model after decompression. Default 1 GiB. */
  maxArpaBytes: number;
  /** Bytes of one line of an ARPA file. Default 64 KiB. */
  maxArpaLineBytes: number;
  /** Parameters of a model (float32 values). Default 2^28 (1 GiB of weights). */
  maxParameters: number;
  /** Beam width of a beam search. Default 4096. */
  maxBeam: number;
}

/** The defaults (see {@link Limits}). */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxImagePixels: 25_000_000,
  maxLineColumns: 20_000,
  minSampleRate: 1000,
  maxSampleRate: 384_000,
  maxFileBytes: 2 ** 32 - 1,
  maxStreamBytes: 256 * 2 ** 20,
  maxArpaBytes: 2 ** 30,
  maxArpaLineBytes: 64 * 2 ** 10,
  maxParameters: 2 ** 28,
  maxBeam: 4096,
});

/** The option (CLI flag) that raises each limit, for error messages. */
export const LIMIT_FLAGS: Readonly<Record<keyof Limits, string>> = Object.freeze({
  maxImagePixels: '--max-image-pixels',
  maxLineColumns: '--max-line-columns',
  minSampleRate: '--min-sample-rate',
  maxSampleRate: '--max-sample-rate',
  maxFileBytes: '--max-file-bytes',
  maxStreamBytes: '--max-stream-bytes',
  maxArpaBytes: '--max-arpa-bytes',
  maxArpaLineBytes: '--max-arpa-line-bytes',
  maxParameters: '--max-parameters',
  maxBeam: '--max-beam',
});

let current: Limits = { ...DEFAULT_LIMITS };

/** The limits in force. */
export function limits(): Readonly<Limits> {
  return current;
}

/** Changes some limits for the whole process (undefined fields keep their value); returns the limits before. */
export function setLimits(changes: Partial<Limits>): Limits {
  const before = current;
  const next = { ...current };
  for (const [k, v] of Object.entries(changes) as [keyof Limits, number | undefined][]) {
    if (v === undefined) continue;
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw new Error(`limits: ${k} must be a positive number, got ${v}`);
    next[k] = v;
  }
  if (next.minSampleRate > next.maxSampleRate) throw new Error(`limits: minSampleRate ${next.minSampleRate} is above maxSampleRate ${next.maxSampleRate}`);
  current = next;
  return before;
}

/** Puts back every default. */
export function resetLimits(): void {
  current = { ...DEFAULT_LIMITS };
}

/** An input past one of the {@link Limits}; the message names the source, the limit and the option that raises it. */
export class LimitError extends Error {
  constructor(readonly source: string, readonly limit: keyof Limits, detail: string) {
    super(`${source}: ${detail} (limit ${limit} = ${current[limit]}; raise it with ${LIMIT_FLAGS[limit]})`);
    this.name = 'LimitError';
  }
}

/** Throws a {@link LimitError} when `value` is above the limit `limit`; `what` says what was measured. */
export function checkLimit(source: string, limit: keyof Limits, value: number, what: string): void {
  if (!(value <= current[limit])) throw new LimitError(source, limit, `${what}: ${value}, more than the ${current[limit]} allowed`);
}
