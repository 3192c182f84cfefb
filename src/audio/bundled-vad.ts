/** The trained VAD the package ships (src/audio/vad-weights.ts, written by `npm run recipe:vad`), decoded once. */
import { BUNDLED_VAD_WEIGHTS } from './vad-weights.js';
import { decodeVadWeights, type VadModelWeights } from './vad-model-weights.js';

let cached: VadModelWeights | undefined;

/** The shipped weights (the same object on every call: treat it as read-only). */
export function bundledVadWeights(): VadModelWeights {
  return (cached ??= decodeVadWeights(BUNDLED_VAD_WEIGHTS));
}
