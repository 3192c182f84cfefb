/**
 * The reference a voice-activity detector is scored against: which 10 ms frames of a clean
 * utterance are speech. The rule: a frame is speech when its mean-square energy is within
 * `withinDb` (default 35 dB) of the utterance's loudest frame. Relative to the utterance's
 * own peak, so that it does not depend on the gain the mixture gets; 35 dB keeps the
 * quiet consonants and the decaying ends of words and drops the synthesiser's near-silent
 * lead-in and tail (digital silence is -100 dBFS, far below any peak).
 */
import { energyDb } from '../../audio/vad.js';

/** Default distance (dB) below the loudest frame down to which a frame counts as speech. */
export const SPEECH_WITHIN_DB = 35;

/** Energy (dB relative to full scale) of each whole `frame`-sample frame of `x` (a last partial frame dropped, as a live VAD never decides it). */
export function wholeFrameEnergiesDb(x: Float32Array, frame: number): Float32Array {
  const out = new Float32Array(Math.floor(x.length / frame));
  for (let f = 0; f < out.length; f++) out[f] = energyDb(x, f * frame, frame);
  return out;
}

/** 1 for each whole `frame`-sample frame of the clean utterance `clean` that is speech by the rule of the module comment, else 0. */
export function speechFrameLabels(clean: Float32Array, frame: number, withinDb = SPEECH_WITHIN_DB): Uint8Array {
  const db = wholeFrameEnergiesDb(clean, frame);
  const peak = db.reduce((a, x) => Math.max(a, x), -Infinity);
  // An utterance of digital silence has no speech, whatever its loudest frame.
  return Uint8Array.from(db, (x) => (peak > -100 && x >= peak - withinDb ? 1 : 0));
}
