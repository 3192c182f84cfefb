/**
 * sayre/server: the HTTP transcription service.
 * @packageDocumentation
 */
export { startServer } from './server.js';
export type { SayreServer, ServeOptions } from './server.js';
export { WorkerEngine } from './worker-engine.js';
export type { Engine as TranscriptionEngine, RunningJob, TranscribeJob } from './engine.js';
