/**
 * Progress reporting for long work (corpus building, training epochs, evaluation).
 *
 * On a terminal it draws a cli-progress bar that redraws in place; anywhere else (CI, a
 * log file, a pipe) it prints a plain line every `intervalSeconds` and at the end, so that
 * logs stay readable. Both show the amount done, the rate, the ETA and any values the
 * caller passes (the training loss):
 *
 *   epoch 3 [==========--------------] 45% | 1.23M/2.74M frames | 1.52k frames/s | ETA 16m32s | loss 1.234
 *
 * Usage:
 * ```ts
 * const progress = startProgress({ total: epochFrames, unit: 'frames', label: `epoch ${e}` });
 * for (const batch of batches) { ...; progress.tick(batchFrames, { loss }); }
 * progress.stop();
 * ```
 */
import cliProgress from 'cli-progress';
import type { Progress, ProgressValues } from '../util/progress.js';
import { compactNumber } from './format-number.js';

/** Options of {@link startProgress}. */
export interface ProgressOptions {
  /** Total amount of work, in units (frames, utterances...). */
  total: number;
  /** Amount already done when starting (a resumed epoch); the rate counts only new work. Default 0. */
  start?: number;
  /** Shown first, e.g. `epoch 3`. */
  label?: string;
  /** Name of the unit, e.g. `frames`; default `items`. */
  unit?: string;
  /** Where to write; default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** true: the redrawing bar; false: plain lines. Default: the bar when the stream is a TTY. */
  tty?: boolean;
  /** Plain lines: at most one every this many seconds (plus one at the end). Default 30. */
  intervalSeconds?: number;
  /** The rate (and so the ETA) is measured over this many recent seconds. Default 60. */
  rateWindowSeconds?: number;
  /** Clock in milliseconds; tests pass a fake one. Default performance.now. */
  now?: () => number;
}

/** `12s`, `3m05s`, `2h07m`; `?` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `950`, `12.3k`, `4.56M`: three significant digits, k/M/G past a thousand. */
export function formatAmount(n: number): string {
  return compactNumber(n, 1e3);
}

function formatValue(v: number | string): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 ? formatAmount(v) : String(Number(v.toPrecision(4)));
}

/** Starts a progress report; see the module doc. */
export function startProgress(options: ProgressOptions): Progress {
  if (!(Number.isFinite(options.total) && options.total >= 0)) throw new Error(`progress: total must be a number >= 0, got ${options.total}`);
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? ((): number => performance.now());
  const unit = options.unit ?? 'items';
  const label = options.label ? `${options.label} ` : '';
  const windowMs = (options.rateWindowSeconds ?? 60) * 1000;
  const total = options.total;

  const t0 = now();
  let done = options.start ?? 0;
  let values: ProgressValues = {};
  // (time, done) samples over the rate window; the first is kept as the window's start.
  const samples: [number, number][] = [[t0, done]];

  const rate = (): number => {
    const [t1, d1] = samples[samples.length - 1]!;
    const [ta, da] = samples[0]!;
    return t1 > ta ? ((d1 - da) * 1000) / (t1 - ta) : NaN;
  };
  const status = (): string => {
    const r = rate();
    const eta = done >= total ? 0 : r > 0 ? (total - done) / r : NaN;
    const parts = [
      `${formatAmount(done)}/${formatAmount(total)} ${unit}`,
      `${Number.isFinite(r) ? formatAmount(r) : '?'} ${unit}/s`,
      done >= total ? `took ${formatDuration((now() - t0) / 1000)}` : `ETA ${formatDuration(eta)}`,
      ...Object.entries(values).map(([k, v]) => `${k} ${formatValue(v)}`),
    ];
    return parts.join(' | ');
  };
  const percent = (): number => (total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 100);

  const record = (d: number, v?: ProgressValues): void => {
    if (!Number.isFinite(d)) throw new Error(`progress: amount done must be a number, got ${d}`);
    done = d;
    if (v) values = { ...values, ...v };
    const t = now();
    samples.push([t, done]);
    while (samples.length > 2 && t - samples[1]![0] >= windowMs) samples.shift();
  };

  if (tty) {
    const columns = (): number => (stream as { columns?: number }).columns || 80;
    const barWidth = 24;
    const bar = new cliProgress.SingleBar({
      stream,
      fps: 5,
      forceRedraw: true, // so that the bar comes back after log() has cleared its line
      hideCursor: false,
      // Lines are cut to the terminal's width here instead of switching wrapping off,
      // which cli-progress would leave off if the process dies by a signal.
      linewrap: true,
      format: (_options, params) => {
        const filled = Math.round(Math.min(1, Math.max(0, params.progress)) * barWidth);
        const text = `${label}[${'='.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${percent()}% | ${status()}`;
        return text.slice(0, Math.max(20, columns() - 1));
      },
    });
    bar.start(Math.max(total, 1e-9), Math.min(done, total));
    const show = (): void => bar.update(Math.min(done, total));
    return {
      update(d, v) { record(d, v); show(); },
      tick(amount, v) { record(done + amount, v); show(); },
      log(message) {
        // Clear the bar's line, print, and save the cursor again (ESC 7): cli-progress
        // returns to the saved position when it stops.
        stream.write(`\r\x1b[K${message}\n\x1b7`);
        bar.render();
      },
      stop() { show(); bar.stop(); },
    };
  }

  const intervalMs = (options.intervalSeconds ?? 30) * 1000;
  let lastLine = t0;
  let stopped = false;
  let printed = false;
  let dirty = false; // something changed since the last line
  const line = (): void => {
    stream.write(`${label}${percent()}% | ${status()}\n`);
    lastLine = now();
    printed = true;
    dirty = false;
  };
  const update = (d: number, v?: ProgressValues): void => {
    record(d, v);
    dirty = true;
    if (now() - lastLine >= intervalMs) line();
  };
  return {
    update,
    tick(amount, v) { update(done + amount, v); },
    log(message) { stream.write(`${message}\n`); },
    stop() {
      if (stopped) return;
      stopped = true;
      if (dirty || !printed) line(); // the last line already shows the final state otherwise
    },
  };
}
