/** What to tell a person whose microphone could not be opened, for each way it fails. */

/** Why live captions cannot start in this browser at all, or undefined when they can. */
export function micUnsupported(): string | undefined {
  if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    return 'The microphone needs a secure page: open the demo over https:// or from localhost.';
  }
  if (typeof AudioWorkletNode !== 'function') return 'This browser has no AudioWorklet, which live captions need.';
  return undefined;
}

/** A getUserMedia failure, in words that say what to do. */
export function micErrorMessage(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was denied. Allow the microphone for this page in the browser\'s site settings, then press Start again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one, then press Start again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone could not be opened: another program may be using it.';
    default:
      return `The microphone could not be opened: ${err instanceof Error ? err.message : String(err)}`;
  }
}
