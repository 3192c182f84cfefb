/**
 * What the model-speed benches (train, crnn) share: timing a step, one child process per
 * side, backend, thread count and mode (so that "peak RSS" is that process's own maximum
 * resident set), PyTorch's half of the same timing loop, and the table of sayre against
 * PyTorch at 1 and 2 threads.
 *
 * A bench file runs in two roles ({@link runBench}): the parent calls {@link speedTable};
 * a child, started as `--child MODE LENGTHS` (the batch's sequence lengths, comma-separated),
 * builds the model on {@link childBackend}, times one mode with {@link timeSteps} and ends
 * with {@link printMeasure}. Its PyTorch script gets `MODE LENGTHS MIN_SECONDS` and ends
 * with {@link TORCH_TIMING}.
 */
import { spawnSync } from 'node:child_process';
import { type Backend, getBackend, initBackend } from '../src/backend/index.js';
import { availableBackends } from '../test/helpers/backends.js';
import { median, runTorch, torchEnv } from './torch.js';

/** At least this many timed steps, whatever SAYRE_BENCH_SECONDS says. */
const MIN_STEPS = 3;
/** At most this many: a fast side need not fill the whole time. */
const MAX_STEPS = 20;
/** Minimum timed seconds per measurement. */
export const MIN_SECONDS = Number(process.env['SAYRE_BENCH_SECONDS'] ?? 5);

/** One side's measurement of one mode, as a child prints it. */
export interface Measure { fps: number; rssMb: number; steps: number }

/** Times `step` (after one warm-up call): frames / median step time. */
export async function timeSteps(frames: number, step: () => unknown): Promise<{ fps: number; steps: number }> {
  await step();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < MIN_STEPS || (performance.now() - start < MIN_SECONDS * 1000 && times.length < MAX_STEPS)) {
    const t0 = performance.now();
    await step();
    times.push((performance.now() - t0) / 1000);
  }
  return { fps: frames / median(times), steps: times.length };
}

/** The child's last line: its timing and its own peak RSS. */
export function printMeasure(r: { fps: number; steps: number }): void {
  const out: Measure = { ...r, rssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(out));
}

/**
 * The backend a child measures: SAYRE_BACKEND picks it (getBackend reads it), webgpu
 * through its asynchronous start. Steps are awaited on every backend (a device backend's
 * training step ends with its one read-back), so a device backend's time includes its work.
 */
export async function childBackend(): Promise<Backend> {
  return process.env['SAYRE_BACKEND'] === 'webgpu' ? initBackend('webgpu') : getBackend();
}

/**
 * PyTorch's end of a peer script, the loop of {@link timeSteps}: the script defines `step`
 * (one call is one measured step) and `frames`; the last argument is the minimum seconds.
 */
export const TORCH_TIMING = `
import sys, json, time, resource
min_seconds = float(sys.argv[-1])
step()
times, start = [], time.perf_counter()
while len(times) < ${MIN_STEPS} or (time.perf_counter() - start < min_seconds and len(times) < ${MAX_STEPS}):
    t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"fps": frames / times[len(times) // 2], "rssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "steps": len(times)}))
`;

/** The environment of a sayre child at `threads` threads: sayre's pool and every BLAS/OpenMP pool alike. */
function threadEnv(threads: number): NodeJS.ProcessEnv {
  return { ...torchEnv(threads), SAYRE_THREADS: String(threads) };
}

/** Runs `script --child MODE LENGTHS` on `backend` at `threads` threads; undefined (with a message) where it failed. */
function runSayre(script: string, backend: string, threads: number, mode: string, lengths: number[]): Measure | undefined {
  const argv = ['--experimental-wasm-relaxed-simd', script, '--child', mode, lengths.join(',')];
  const r = spawnSync(process.execPath, argv, { env: { ...threadEnv(threads), SAYRE_BACKEND: backend }, encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`  (sayre ${backend} ${mode} at ${threads} thread(s) failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')})`);
    return undefined;
  }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Measure;
}

/**
 * The backends to measure: SAYRE_BENCH_BACKENDS, or every available CPU one but js, which
 * is included only when it is the only one (it is the slow reference).
 */
export async function benchBackends(): Promise<{ names: string[]; all: string[] }> {
  const all = [...new Set((await availableBackends()).map((b) => b.name))];
  const wanted = process.env['SAYRE_BENCH_BACKENDS']?.split(',').map((s) => s.trim()).filter(Boolean);
  return { names: wanted ?? (all.length > 1 ? all.filter((n) => n !== 'js') : all), all };
}

const fmt = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(0));
const ratio = (a: Measure | undefined, b: Measure | undefined): string => (a && b ? `${(a.fps / b.fps).toFixed(2)}x` : '-');

/**
 * Measures training and inference of sayre on each of `backends` and of PyTorch, at 1 and
 * 2 threads, every one in its own process, and prints the table: frames/s, sayre/PyTorch
 * ratios and peak RSS. `script` is the compiled bench (its child role), `torch` its
 * PyTorch script, `lengths` the batch's sequence lengths both get.
 */
export function speedTable(bench: { script: string; torch: string; lengths: number[]; backends: string[] }): void {
  const rows: string[][] = [[
    'backend', 'thr', 'train fps', 'torch', 'ratio', 'infer fps', 'torch', 'ratio', 'RSS MB train (torch)', 'RSS MB infer (torch)',
  ]];
  for (const threads of [1, 2]) {
    const torchTrain = runTorch<Measure>(bench.torch, threads, ['train', bench.lengths.join(','), String(MIN_SECONDS)]);
    const torchInfer = runTorch<Measure>(bench.torch, threads, ['infer', bench.lengths.join(','), String(MIN_SECONDS)]);
    for (const name of bench.backends) {
      if ((name === 'js' || name === 'webgpu') && threads > 1) continue; // the reference backend has one thread; the GPU does not use them
      const train = runSayre(bench.script, name, threads, 'train', bench.lengths);
      const infer = runSayre(bench.script, name, threads, 'infer', bench.lengths);
      rows.push([
        name, String(threads), fmt(train?.fps), fmt(torchTrain?.fps), ratio(train, torchTrain),
        fmt(infer?.fps), fmt(torchInfer?.fps), ratio(infer, torchInfer),
        `${fmt(train?.rssMb)} (${fmt(torchTrain?.rssMb)})`, `${fmt(infer?.rssMb)} (${fmt(torchInfer?.rssMb)})`,
      ]);
      console.log(`  measured ${name} at ${threads} thread(s)`);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padStart(widths[i]!)).join('  '));
}

/** A bench's entry: the child role under `--child MODE LENGTHS`, else the parent's `main`; exits when done. */
export async function runBench(main: () => Promise<void>, child: (mode: string, lengths: number[]) => Promise<void>): Promise<never> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') await child(argv[1]!, argv[2]!.split(',').map(Number));
  else await main();
  process.exit(0);
}
