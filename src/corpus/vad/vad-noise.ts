/**
 * Background noises for the VAD set, all made here from a seed: the corpus builder's
 * coloured noises (white, pink, brown), mains hum, and babble. Babble is several talkers at
 * once, each a clip of the set's own speech played backwards (speech-shaped and modulated
 * like speech, but no one utterance stands out): the hardest of them for a VAD, since part
 * of what it must call "not speech" is made of speech.
 */
import { Random } from '../../math/random.js';
import { colouredNoise, type NoiseColour, toUnitPower } from '../tts/add-noise.js';

/** The kinds of background noise. */
export type NoiseKind = NoiseColour | 'hum' | 'babble';

export const NOISE_KINDS: readonly NoiseKind[] = ['white', 'pink', 'brown', 'hum', 'babble'];

/** Talkers summed into babble. */
const BABBLE_TALKERS = 6;

/**
 * Mains hum: 50 or 60 Hz and its first ten harmonics (amplitude 1/h, random phases, as a
 * transformer's buzz), over a little white noise 25 dB down so that it is never a pure tone.
 */
function hum(n: number, sampleRate: number, rng: Random): Float32Array {
  const out = colouredNoise(n, 'white', rng);
  const base = rng.uniform() < 0.5 ? 50 : 60;
  const floor = 10 ** (-25 / 20);
  for (let i = 0; i < n; i++) out[i]! *= floor;
  for (let h = 1; h <= 10 && h * base < sampleRate / 2; h++) {
    const phase = 2 * Math.PI * rng.uniform();
    const w = (2 * Math.PI * h * base) / sampleRate;
    for (let i = 0; i < n; i++) out[i]! += Math.sin(w * i + phase) / h;
  }
  return toUnitPower(out);
}

/** Babble: {@link BABBLE_TALKERS} of `talkers`, each reversed and looped from a random point. */
function babble(n: number, talkers: readonly Float32Array[], rng: Random): Float32Array {
  const voiced = talkers.filter((t) => t.length > 0);
  if (voiced.length === 0) throw new Error('babble noise needs at least one talker clip');
  const out = new Float32Array(n);
  for (let k = 0; k < BABBLE_TALKERS; k++) {
    const clip = voiced[rng.int(voiced.length)]!;
    const m = clip.length;
    let at = rng.int(m);
    for (let i = 0; i < n; i++) {
      out[i]! += clip[m - 1 - at]!;
      if (++at === m) at = 0;
    }
  }
  return toUnitPower(out);
}

/** `n` samples of unit-power noise of `kind` at `sampleRate`; `talkers` are babble's speech clips. */
export function vadNoise(kind: NoiseKind, n: number, sampleRate: number, rng: Random, talkers: readonly Float32Array[] = []): Float32Array {
  switch (kind) {
    case 'hum': return hum(n, sampleRate, rng);
    case 'babble': return babble(n, talkers, rng);
    default: return colouredNoise(n, kind, rng);
  }
}
