import type { Backend } from '../../src/backend/index.js';
import { JsBackend } from '../../src/backend/index.js';

/**
 * Every backend available on this machine; tests loop over these so that the same
 * assertions run against each one.
 */
export async function availableBackends(): Promise<Backend[]> {
  return [new JsBackend()];
}
