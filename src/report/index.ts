/**
 * sayre/report: progress bars.
 * @packageDocumentation
 */
export { startProgress } from './progress.js';
export type { ProgressOptions } from './progress.js';
