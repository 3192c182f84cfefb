/**
 * Feature extraction speed: sayre's fbank against torchaudio.compliance.kaldi.fbank (one
 * thread each), in seconds of audio per second, on one long signal, on a batch of 3-second
 * utterances (where per-call overhead shows), and on those with Graves's 123 inputs (40
 * bins + energy, deltas and delta-deltas; torch's compute_deltas applied twice). Both sides
 * get one warm-up pass, one thread and the same amount of audio; three rounds alternate them.
 * The TypeScript frames (the fallback where WebAssembly SIMD does not load) are timed too.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fbank, FbankExtractor } from '../src/audio/fbank.js';
import type { FbankOptions } from '../src/audio/fbank.js';
import type { FrameKernelKind } from '../src/audio/fbank-kernel.js';
import { median, runTorch } from './torch.js';

const SR = 16000;
const BINS = 80;
const LONG_S = 60;
const UTT_S = 3;
const UTTS = 20;
const PASSES = 7;

function signal(seconds: number, seed: number): Float32Array {
  const n = seconds * SR;
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const t = i / SR;
    const v = 0.3 * Math.sin(2 * Math.PI * (200 + 50 * t) * t) + 0.05 * (s / 4294967296 - 0.5);
    x[i] = Math.round(v * 32767) / 32768;
  }
  return x;
}

const GRAVES = { numMelBins: 40, useEnergy: true, deltaOrder: 2 }; // 123 inputs, as in Graves 2013

function timeSayre(inputs: Float32Array[], kernel: FrameKernelKind, options: FbankOptions = { numMelBins: BINS }): number {
  // The public fbank() (WebAssembly); the TypeScript frames through an extractor of their own.
  const ts = kernel === 'js' ? new FbankExtractor(SR, options, 'js') : undefined;
  const times: number[] = [];
  for (let p = 0; p < PASSES + 1; p++) {
    const t0 = process.hrtime.bigint();
    for (const x of inputs) {
      if (ts) ts.compute(x);
      else fbank(x, SR, options);
    }
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (p > 0) times.push(dt); // the first pass warms the JIT
  }
  return median(times);
}

type Case = 'long' | 'utts' | 'graves';

/** Seconds of audio per second for one case. */
function measure(c: Case, kernel: FrameKernelKind): number {
  if (c === 'long') return LONG_S / timeSayre([signal(LONG_S, 1)], kernel);
  const utts = Array.from({ length: UTTS }, (_, i) => signal(UTT_S, i + 2));
  return (UTT_S * UTTS) / timeSayre(utts, kernel, c === 'graves' ? GRAVES : undefined);
}

// Each case runs in a process of its own: V8 slows a kernel that other shapes ran through first.
const only = process.argv[2] as Case | undefined;
if (only) {
  console.log(JSON.stringify(measure(only, process.argv[3] === 'js' ? 'js' : 'wasm')));
  process.exit(0);
}
const self = fileURLToPath(import.meta.url);
const sayre = (c: Case, kernel: FrameKernelKind = 'wasm'): number => {
  const r = spawnSync(process.execPath, [self, c, kernel], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fbank bench case ${c} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as number;
};

const TORCH = `
import json, time, torchaudio
SR, BINS, LONG_S, UTT_S, UTTS, PASSES = ${SR}, ${BINS}, ${LONG_S}, ${UTT_S}, ${UTTS}, ${PASSES}
g = torch.Generator().manual_seed(0)
def sig(sec): return (torch.randn(1, sec * SR, generator=g) * 3000).round()
def plain(x): return torchaudio.compliance.kaldi.fbank(x, num_mel_bins=BINS, sample_frequency=SR, dither=0.0)
def graves(x):
    f = torchaudio.compliance.kaldi.fbank(x, num_mel_bins=40, use_energy=True, sample_frequency=SR, dither=0.0).T
    d = torchaudio.functional.compute_deltas(f)
    return torch.cat([f, d, torchaudio.functional.compute_deltas(d)]).T
def run(xs, f=plain):
    ts = []
    for p in range(PASSES + 1):
        t0 = time.perf_counter()
        for x in xs: f(x)
        if p > 0: ts.append(time.perf_counter() - t0)
    ts.sort(); return ts[len(ts) // 2]
utts = [sig(UTT_S) for _ in range(UTTS)]
print(json.dumps({"long": LONG_S / run([sig(LONG_S)]), "utts": UTT_S * UTTS / run(utts), "graves": UTT_S * UTTS / run(utts, graves)}))
`;

// Rounds alternate sayre and torch, so that on a shared machine both see much the same load;
// each ratio is taken within a round.
const ROUNDS = 3;
const cases: Case[] = ['long', 'utts', 'graves'];
const mine: Record<Case, number[]> = { long: [], utts: [], graves: [] };
const mineTs: Record<Case, number[]> = { long: [], utts: [], graves: [] };
const theirs: Record<Case, number[]> = { long: [], utts: [], graves: [] };
const ratios: Record<Case, number[]> = { long: [], utts: [], graves: [] };
const loadBefore = loadavg()[0]!;
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cases) mine[c].push(sayre(c));
  for (const c of cases) mineTs[c].push(sayre(c, 'js'));
  const peer = runTorch<Record<Case, number>>(TORCH, 1);
  if (!peer) break;
  for (const c of cases) {
    theirs[c].push(peer[c]);
    ratios[c].push(mine[c][r]! / peer[c]);
  }
}

const fmt = (v: number): string => v.toFixed(0).padStart(8);
console.log(`fbank, ${BINS} mel bins, 16 kHz, 1 thread: seconds of audio per second`);
console.log(`(each figure the median of ${ROUNDS} rounds, each round's the median of ${PASSES} passes; sayre/torch: the median of the rounds' ratios;`);
console.log(` load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after)`);
console.log(`case                      sayre    torch    sayre/torch    sayre, TypeScript frames`);
// torch: compliance.kaldi.fbank, and for the 123-column case functional.compute_deltas twice.
for (const [name, c] of [[`one ${LONG_S} s signal`, 'long'], [`${UTTS} x ${UTT_S} s utterances`, 'utts'], ['same, 40+energy+deltas', 'graves']] as const) {
  const peer = theirs[c].length ? fmt(median(theirs[c])) : '     n/a';
  const ratio = ratios[c].length ? median(ratios[c]).toFixed(2) : 'n/a';
  console.log(`${name.padEnd(22)} ${fmt(median(mine[c]))} ${peer}    ${ratio.padEnd(11)}${fmt(median(mineTs[c]))}`);
}
