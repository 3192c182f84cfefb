/** Why an audio file was rejected. */
export type AudioErrorKind = 'empty' | 'truncated' | 'malformed' | 'unsupported' | 'unrecognised' | 'too-long';

/** An audio file (any format) that cannot be read; `file` names it and `kind` says why. */
export class AudioError extends Error {
  /** `message` replaces the usual `file: kind: detail` (a WAV reader's own message is kept as it was). */
  constructor(readonly file: string, readonly kind: AudioErrorKind, detail: string, message?: string) {
    super(message ?? `${file}: ${kind === 'unrecognised' ? 'unrecognised audio format' : kind === 'too-long' ? 'audio too long' : `${kind} audio file`}: ${detail}`);
    this.name = 'AudioError';
  }
}

/** Sample rates a reader accepts (Hz): anything else in a header is taken as corruption. */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 384000;
/** Most channels a reader accepts (Vorbis and Opus allow 255; nobody records speech on more). */
export const MAX_CHANNELS = 64;

/** Throws an AudioError unless `sampleRate` and `channels` are sane. */
export function checkAudioLayout(file: string, sampleRate: number, channels: number): void {
  if (!(Number.isInteger(sampleRate) && sampleRate >= MIN_SAMPLE_RATE && sampleRate <= MAX_SAMPLE_RATE)) {
    throw new AudioError(file, 'unsupported', `sample rate ${sampleRate} Hz (supported: ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE})`);
  }
  if (!(Number.isInteger(channels) && channels >= 1 && channels <= MAX_CHANNELS)) {
    throw new AudioError(file, 'unsupported', `${channels} channels (supported: 1 to ${MAX_CHANNELS})`);
  }
}
