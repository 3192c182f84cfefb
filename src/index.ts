/**
 * sayre: end-to-end sequence transcription with recurrent networks.
 * This is the one public entry point; every public symbol is exported from here.
 * @packageDocumentation
 */
export type { Hypothesis, WordTiming } from './decode/hypothesis.js';
export type { Backend } from './backend/index.js';
export { JsBackend, getBackend, setBackend } from './backend/index.js';
