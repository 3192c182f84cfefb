import type { Backend } from './backend.js';
import { JsBackend } from './js-backend.js';

export type { Backend } from './backend.js';
export { JsBackend } from './js-backend.js';

let current: Backend | undefined;

/**
 * The backend that layers use by default. `SAYRE_BACKEND` (js) overrides the automatic
 * choice.
 */
export function getBackend(): Backend {
  if (current) return current;
  const wanted = process.env['SAYRE_BACKEND'] ?? 'js';
  if (wanted !== 'js') throw new Error(`SAYRE_BACKEND=${wanted}: unknown backend (available: js)`);
  current = new JsBackend();
  return current;
}

/** Makes `backend` the default for everything created afterwards. */
export function setBackend(backend: Backend): void {
  current = backend;
}
