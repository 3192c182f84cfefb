/** The --backend flag of the commands that run a model (train, transcribe, eval): one help text, one way to open it. */
import type { Command } from 'commander';
import { type Backend, backendName, initBackend } from '../backend/index.js';

/** Adds `--backend <name>` to a command. */
export function addBackendFlag(cmd: Command): Command {
  return cmd.option('--backend <name>', 'compute backend: native, wasm, js or webgpu (default: native where built, else wasm; SAYRE_BACKEND)');
}

/**
 * The backend --backend names, opened (a device opens asynchronously); with no flag, the
 * one SAYRE_BACKEND names when that is webgpu (which only opens this way), else undefined:
 * the default CPU backend.
 */
export async function backendFromFlag(name: string | undefined): Promise<Backend | undefined> {
  if (name) return initBackend(backendName(name));
  return process.env['SAYRE_BACKEND'] === 'webgpu' ? initBackend('auto') : undefined;
}
