/**
 * sayre/losses: the CTC and RNN-T losses (and the logistic loss of two-class outputs) with their gradients.
 * @packageDocumentation
 */
export { rnntLoss } from './rnnt.js';
export type { RnntLossOptions, RnntLossResult } from './rnnt.js';
export { ctcLoss } from './ctc.js';
export type { CtcLossOptions, CtcLossResult, CtcReduction } from './ctc.js';
export { logisticLoss, sigmoid } from './logistic.js';
