/** Errors prefixed with the file they are about (no Node module: browsers use it too). */

/** `fn()`, with any error it throws prefixed by `path` (for checks of a file's parsed contents). */
export function naming<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(message.startsWith(path) ? message : `${path}: ${message}`, { cause: err });
  }
}
