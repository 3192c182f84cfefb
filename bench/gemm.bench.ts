/**
 * Kernel speed of each backend beside torch.mm in the same run, at 1 and 2 threads:
 * GFLOP/s of the input projection (M x K x N = 256 x 512 x 2048) and of the recurrent
 * step (16 x 256 x 1024: h[B,H] * W_hh^T, W_hh stored [4H, H]), and the time of the fused
 * LSTM gate kernels for one step (B = 16, H = 256) against the same math in PyTorch.
 * Each backend and thread count runs in its own process (V8 and OpenBLAS state do not
 * leak between them); the relaxed-SIMD build gets --experimental-wasm-relaxed-simd.
 *
 *   npm run bench -- gemm
 *   SAYRE_BENCH_SECONDS=0.3   timed seconds per pass (three passes, median kept)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NativeBackend, WasmBackend, nativeAvailable } from '../src/backend/index.js';
import type { Backend } from '../src/backend/index.js';
import { median, runTorch } from './torch.js';

const SECONDS = Number(process.env['SAYRE_BENCH_SECONDS'] ?? 0.3);
const SHAPES = { proj: [256, 512, 2048], rec: [16, 256, 1024] } as const;
const B = 16, H = 256;

interface Figures { proj: number; rec: number; fwdUs: number; bwdUs: number }

/** Median over three passes of the seconds one call of `f` takes. */
function secondsPerCall(f: () => void): number {
  f();
  const passes: number[] = [];
  for (let p = 0; p < 3; p++) {
    let reps = 0;
    const t0 = performance.now();
    do { f(); reps++; } while (performance.now() - t0 < SECONDS * 1000);
    passes.push((performance.now() - t0) / 1000 / reps);
  }
  return median(passes);
}

function filled(be: Backend, n: number, seed: number): Float32Array {
  const x = be.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s = (s * 1103515245 + 12345) >>> 0; x[i] = s / 2 ** 31 - 1; }
  return x;
}

function measure(be: Backend): Figures {
  const gflops = ([m, k, n]: readonly [number, number, number], transB: boolean): number => {
    const a = filled(be, m * k, 1), b = filled(be, k * n, 2), c = be.alloc(m * n);
    return (2 * m * n * k) / secondsPerCall(() => be.gemm(false, transB, m, n, k, 1, a, k, b, transB ? k : n, 0, c, n)) / 1e9;
  };
  const pre = filled(be, B * 4 * H, 3), gates = be.alloc(B * 4 * H), cPrev = filled(be, B * H, 4);
  const c = be.alloc(B * H), h = be.alloc(B * H), dh = filled(be, B * H, 5), dc = be.alloc(B * H), dGates = be.alloc(B * 4 * H);
  const fwd = secondsPerCall(() => { gates.set(pre); be.lstmCellForward(B, H, gates, cPrev, c, h, H); });
  const copy = secondsPerCall(() => gates.set(pre));
  const bwd = secondsPerCall(() => be.lstmCellBackward(B, H, gates, cPrev, c, dh, H, dc, dGates));
  return { proj: gflops(SHAPES.proj, false), rec: gflops(SHAPES.rec, true), fwdUs: (fwd - copy) * 1e6, bwdUs: bwd * 1e6 };
}

const TORCH = `
import json, time
def per_call(f):
    f()
    passes = []
    for _ in range(3):
        reps, t0 = 0, time.perf_counter()
        while True:
            f(); reps += 1
            if time.perf_counter() - t0 >= ${SECONDS}: break
        passes.append((time.perf_counter() - t0) / reps)
    return sorted(passes)[1]
def gflops(m, k, n, trans_b):
    a = torch.randn(m, k)
    b = torch.randn(n, k) if trans_b else torch.randn(k, n)
    c = torch.empty(m, n)
    f = (lambda: torch.mm(a, b.t(), out=c)) if trans_b else (lambda: torch.mm(a, b, out=c))
    return 2 * m * n * k / per_call(f) / 1e9
B, H = ${B}, ${H}
g, cp, dh = torch.randn(B, 4 * H), torch.randn(B, H), torch.randn(B, H)
def cell():
    i, f, gg, o = g.chunk(4, 1)
    i, f, gg, o = i.sigmoid(), f.sigmoid(), gg.tanh(), o.sigmoid()
    c = f * cp + i * gg
    return o * c.tanh()
def cell_bwd():
    i, f, gg, o = g.chunk(4, 1)
    tc = cp.tanh()
    dct = cp + dh * o * (1 - tc * tc)
    return torch.cat([dct * gg * i * (1 - i), dct * cp * f * (1 - f), dct * i * (1 - gg * gg), dh * tc * o * (1 - o)], 1), dct * f
with torch.no_grad():
    print(json.dumps({"proj": gflops(256, 512, 2048, False), "rec": gflops(16, 256, 1024, True),
                      "fwdUs": per_call(cell) * 1e6, "bwdUs": per_call(cell_bwd) * 1e6}))
`;

interface Engine { label: string; flags: string[]; env?: Record<string, string>; make: (threads: number) => Backend }

const ENGINES: Record<string, Engine> = {
  'wasm-simd': { label: 'wasm SIMD', flags: [], make: (threads) => WasmBackend.createSync({ threads, simd: 'simd' }) },
  'wasm-relaxed': {
    label: 'wasm relaxed-SIMD FMA', flags: ['--experimental-wasm-relaxed-simd'],
    make: (threads) => WasmBackend.createSync({ threads, simd: 'relaxed' }),
  },
  native: { label: 'native (OpenBLAS + C++)', flags: [], make: (threads) => new NativeBackend({ threads }) },
  'native-blas': {
    label: 'native, OpenBLAS for every gemm', flags: [], env: { SAYRE_NATIVE_PLAIN_BLAS: '1' },
    make: (threads) => new NativeBackend({ threads }),
  },
};

if (process.argv[2] === '--child') {
  const be = ENGINES[process.argv[3]!]!.make(Number(process.argv[4]));
  console.log(JSON.stringify(measure(be)));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const engines = Object.keys(ENGINES).filter((e) => !e.startsWith('native') || nativeAvailable());
const f1 = (x: number): string => x.toFixed(1).padStart(7);
console.log(`GFLOP/s: proj = 256x512x2048 (MxKxN), rec = 16x256x1024 (h * W_hh^T); LSTM gates for one step, B=${B}, H=${H}, in us`);
console.log('engine                        thr    proj  x torch     rec  x torch   fwd us   bwd us');
for (const threads of [1, 2]) {
  const torch = runTorch<Figures>(TORCH, threads);
  const row = (label: string, f: Figures): void => {
    const rp = torch ? (f.proj / torch.proj).toFixed(2) : '-', rr = torch ? (f.rec / torch.rec).toFixed(2) : '-';
    console.log(`${label.padEnd(30)}${String(threads).padStart(3)} ${f1(f.proj)} ${rp.padStart(8)} ${f1(f.rec)} ${rr.padStart(8)} ${f1(f.fwdUs)}  ${f1(f.bwdUs)}`);
  };
  if (torch) row('PyTorch (torch.mm, eager ops)', torch);
  for (const e of engines) {
    const r = spawnSync(process.execPath, [...ENGINES[e]!.flags, self, '--child', e, String(threads)], {
      encoding: 'utf8', env: { ...process.env, ...ENGINES[e]!.env, OPENBLAS_NUM_THREADS: String(threads) },
    });
    if (r.status !== 0) {
      console.log(`${ENGINES[e]!.label.padEnd(30)}${String(threads).padStart(3)}  failed: ${r.stderr.trim().split('\n').pop()}`);
      continue;
    }
    row(ENGINES[e]!.label, JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures);
  }
}
