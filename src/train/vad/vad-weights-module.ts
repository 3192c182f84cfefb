/** The source of src/audio/vad-weights.ts, the trained VAD the package ships: its weights as a typed constant, so that Node and browsers load it alike. */
import type { VadWeightsJson } from '../../audio/vad-model-weights.js';

/** TypeScript source that exports `json` as BUNDLED_VAD_WEIGHTS. */
export function vadWeightsModule(json: VadWeightsJson): string {
  return [
    '/**',
    ' * The trained VAD the package ships (src/audio/model-vad.ts). Written by `npm run recipe:vad`',
    ' * (recipes/vad.mjs), which says how it was made: do not edit by hand.',
    ' */',
    "import type { VadWeightsJson } from './vad-model-weights.js';",
    '',
    `export const BUNDLED_VAD_WEIGHTS: VadWeightsJson = ${JSON.stringify(json, null, 2)};`,
    '',
  ].join('\n');
}
