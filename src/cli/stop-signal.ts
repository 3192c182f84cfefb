/**
 * Ctrl-C / SIGTERM handling for long resumable commands: the first signal asks the work
 * to stop after what is in flight (through an AbortSignal), a second quits at once.
 */
export interface StopSignal {
  signal: AbortSignal;
  /** Removes the handlers. */
  dispose(): void;
}

/** Installs the handlers; `what` names what finishes first ("the images in flight"). */
export function onStopSignals(what: string): StopSignal {
  const stop = new AbortController();
  const handler = (): void => {
    if (stop.signal.aborted) process.exit(130);
    console.error(`\nsayre: stopping after ${what} (Ctrl-C again to quit now); rerun the same command to resume`);
    stop.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: stop.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
