/**
 * sayre/util: atomic writes, the input limits (setLimits: docs/limits.md), the Features, FeatureSet and Progress types.
 * @packageDocumentation
 */
export type { Progress, ProgressValues } from './progress.js';
export type { Features } from './features.js';
export { featureSetOf, type FeatureSet } from './feature-set.js';
export { writeFileAtomic } from './atomic-write.js';
export { DEFAULT_LIMITS, LimitError, limits, resetLimits, setLimits } from './limits.js';
export type { Limits } from './limits.js';
