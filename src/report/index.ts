/**
 * sayre/report: progress bars, eval reports as JSON, model cards.
 * @packageDocumentation
 */
export { startProgress } from './progress.js';
export type { ProgressOptions } from './progress.js';
export { evalReport, parseEvalReport, parseLinesBench } from './eval-report.js';
export type { DecodingInfo, EvalReport, GroupRow, LinesBench, ScoreRow } from './eval-report.js';
export { modelCard } from './card/model-card.js';
export { readCardInputs } from './card/inputs.js';
export type { CardInputs, CardLookups, CardOptions, FontSource } from './card/inputs.js';
