/**
 * sayre/util: atomic writes, the Features and Progress types.
 * @packageDocumentation
 */
export type { Progress, ProgressValues } from './progress.js';
export type { Features } from './features.js';
export { writeFileAtomic } from './atomic-write.js';
