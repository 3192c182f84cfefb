/**
 * Endpointing as Kaldi's and sherpa-onnx's online decoders do it: an utterance ends when
 * any rule fires, a rule being (must the utterance contain speech, how much trailing
 * silence, how long at least the utterance). The defaults: 2.4 s of silence with no speech,
 * 0.8 s of silence after speech, or 20 s of utterance whatever it holds.
 */

/** One endpoint rule: fires when all its conditions hold. */
export interface EndpointRule {
  /** Whether the utterance must contain speech. */
  mustContainSpeech: boolean;
  /** Seconds of silence at the end of the utterance, at least. */
  minTrailingSilence: number;
  /** Seconds of utterance, at least. */
  minUtteranceLength: number;
}

/** The endpointer's rules (any one ending the utterance); fields left out keep their defaults. */
export interface EndpointConfig {
  /** Silence with no speech (default 2.4 s of trailing silence). */
  rule1?: Partial<EndpointRule>;
  /** Silence after speech (default 0.8 s). */
  rule2?: Partial<EndpointRule>;
  /** Maximum utterance length (default 20 s). */
  rule3?: Partial<EndpointRule>;
}

export const DEFAULT_ENDPOINT_RULES: readonly EndpointRule[] = [
  { mustContainSpeech: false, minTrailingSilence: 2.4, minUtteranceLength: 0 },
  { mustContainSpeech: true, minTrailingSilence: 0.8, minUtteranceLength: 0 },
  { mustContainSpeech: false, minTrailingSilence: 0, minUtteranceLength: 20 },
];

/** The three rules of `config`, defaults filled in and checked. */
export function resolveEndpointRules(config: EndpointConfig = {}): EndpointRule[] {
  return [config.rule1, config.rule2, config.rule3].map((r, i) => {
    const rule = { ...DEFAULT_ENDPOINT_RULES[i]!, ...r };
    for (const k of ['minTrailingSilence', 'minUtteranceLength'] as const) {
      if (!(rule[k] >= 0) || !Number.isFinite(rule[k])) throw new Error(`endpoint rule${i + 1}: ${k} must be a finite number >= 0, got ${rule[k]}`);
    }
    return rule;
  });
}

/** Whether `rule` fires for an utterance of `length` seconds ending in `trailingSilence` seconds of silence. */
export function ruleFires(rule: EndpointRule, containsSpeech: boolean, trailingSilence: number, length: number): boolean {
  return (containsSpeech || !rule.mustContainSpeech) && trailingSilence >= rule.minTrailingSilence && length >= rule.minUtteranceLength;
}

/** Speech/silence decisions of an utterance's frames in, endpoint out. */
export class Endpointer {
  readonly rules: readonly EndpointRule[];
  private frames = 0;
  private lastSpeech = -1;
  /** Frame at which the endpoint first fired, or -1. */
  private firedAt = -1;

  constructor(readonly frameSeconds: number, config: EndpointConfig = {}) {
    this.rules = resolveEndpointRules(config);
  }

  /** Adds frame decisions (true: speech). */
  accept(speech: readonly boolean[]): void {
    for (const s of speech) {
      if (s) this.lastSpeech = this.frames;
      this.frames++;
      if (this.firedAt < 0 && this.fires()) this.firedAt = this.frames;
    }
  }

  /** Whether an endpoint has been detected in this utterance. */
  isEndpoint(): boolean {
    return this.firedAt >= 0;
  }

  /** Seconds into the utterance at which the endpoint fired (undefined before it). */
  get endpointAt(): number | undefined {
    return this.firedAt >= 0 ? this.firedAt * this.frameSeconds : undefined;
  }

  /** Whether the utterance contains speech so far. */
  get containsSpeech(): boolean {
    return this.lastSpeech >= 0;
  }

  /** Seconds from the start of the utterance to the end of its last speech frame (0 without speech). */
  get speechEnd(): number {
    return (this.lastSpeech + 1) * this.frameSeconds;
  }

  /** Seconds of utterance so far. */
  get length(): number {
    return this.frames * this.frameSeconds;
  }

  /** A new utterance starts. */
  reset(): void {
    this.frames = 0;
    this.lastSpeech = -1;
    this.firedAt = -1;
  }

  private fires(): boolean {
    const length = this.frames * this.frameSeconds;
    const trailing = (this.frames - 1 - this.lastSpeech) * this.frameSeconds;
    // a tiny epsilon so that 80 frames of 10 ms are 0.8 s despite binary fractions
    return this.rules.some((r) => ruleFires(r, this.lastSpeech >= 0, trailing + 1e-9, length + 1e-9));
  }
}
