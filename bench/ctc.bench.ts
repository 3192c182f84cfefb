/**
 * CTC loss, forward + backward (log-softmax fused), against PyTorch's
 * log_softmax + ctc_loss + backward on float32 input, measured in the same run at the
 * same shapes and thread counts (sayre's `threads` option; torch.set_num_threads and
 * OPENBLAS_NUM_THREADS). The two sides take turns, ROUNDS times, so that a change in the
 * machine's load hits both; prints the medians of all timed calls and the ratio
 * torch / sayre (above 1: sayre faster). Fails if a multi-thread row did not use the pool.
 */
import { ctcLoss } from '../src/losses/ctc.js';
import { poolStats } from '../src/parallel/pool.js';
import { median, runTorch } from './torch.js';

interface Case { B: number; T: number; C: number; L: number }
const cases: Case[] = [
  { B: 16, T: 300, C: 29, L: 60 },
  { B: 8, T: 150, C: 5000, L: 20 },
];
const THREADS = [1, 2];
const ROUNDS = 3;
const WARMUP = 2;
const REPS = 5;

function inputs(c: Case, seed: number): { logits: Float32Array; targets: Int32Array[]; lengths: Int32Array } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const logits = new Float32Array(c.T * c.B * c.C);
  for (let i = 0; i < logits.length; i++) logits[i] = (next() + next() + next() - 1.5) * 2; // roughly normal
  const targets = Array.from({ length: c.B }, () => Int32Array.from({ length: c.L }, () => 1 + Math.floor(next() * (c.C - 1))));
  return { logits, targets, lengths: new Int32Array(c.B).fill(c.T) };
}

/** Timed calls (ms) of one round, after warm-up, and how many of them went through the pool. */
function timeSayre(c: Case, threads: number): { times: number[]; parallelRuns: number } {
  const { logits, targets, lengths } = inputs(c, 1);
  const times: number[] = [];
  const before = poolStats().parallelRuns;
  for (let r = 0; r < WARMUP + REPS; r++) {
    const t0 = process.hrtime.bigint();
    ctcLoss(logits, [c.T, c.B, c.C], targets, lengths, { reduction: 'mean', threads });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r >= WARMUP) times.push(ms);
  }
  return { times, parallelRuns: poolStats().parallelRuns - before };
}

const torchScript = (c: Case): string => `
import json, time
B, T, C, L, WARMUP, REPS = ${c.B}, ${c.T}, ${c.C}, ${c.L}, ${WARMUP}, ${REPS}
g = torch.Generator().manual_seed(0)
x = torch.randn(T, B, C, generator=g).requires_grad_(True)
tg = torch.randint(1, C, (B, L), generator=g)
il = torch.full((B,), T, dtype=torch.long); tl = torch.full((B,), L, dtype=torch.long)
ts = []
for r in range(WARMUP + REPS):
    t0 = time.perf_counter()
    loss = torch.nn.functional.ctc_loss(torch.log_softmax(x, -1), tg, il, tl, reduction='mean')
    x.grad = None
    loss.backward()
    if r >= WARMUP: ts.append(time.perf_counter() - t0)
print(json.dumps({"times": [t * 1000 for t in ts]}))
`;

console.log(`CTC loss + gradient, float32 logits, reduction mean; ${ROUNDS} alternating rounds of ${WARMUP} warm-up + ${REPS} timed calls per side; medians (ms)`);
console.log('(best: the fastest call of each side, the figure least disturbed by other load on the machine)');
console.log('B   T    C     L   threads   sayre     torch    torch/sayre   best: sayre   torch   torch/sayre');
let failed = false;
for (const c of cases) {
  for (const threads of THREADS) {
    const mine: number[] = [];
    const theirs: number[] = [];
    let parallelRuns = 0;
    let peerMissing = false;
    for (let round = 0; round < ROUNDS; round++) {
      const m = timeSayre(c, threads);
      mine.push(...m.times);
      parallelRuns += m.parallelRuns;
      const peer = peerMissing ? undefined : runTorch<{ times: number[] }>(torchScript(c), threads);
      if (peer) theirs.push(...peer.times);
      else peerMissing = true;
    }
    if (threads > 1 && parallelRuns < ROUNDS * (WARMUP + REPS)) {
      console.log(`  sayre did not use its worker pool on every call at ${threads} threads`);
      failed = true;
    }
    const cell = (mineMs: number, peerMs: number | undefined): string =>
      `${mineMs.toFixed(2).padStart(7)}   ${peerMs === undefined ? '    n/a' : peerMs.toFixed(2).padStart(7)}   ` +
      `${(peerMs === undefined ? 'n/a' : (peerMs / mineMs).toFixed(2)).padStart(6)}`;
    const peerMedian = theirs.length > 0 ? median(theirs) : undefined;
    const peerBest = theirs.length > 0 ? Math.min(...theirs) : undefined;
    console.log(`${String(c.B).padEnd(3)} ${String(c.T).padEnd(4)} ${String(c.C).padEnd(5)} ${String(c.L).padEnd(3)} ${String(threads).padEnd(9)} ` +
      `${cell(median(mine), peerMedian)}        ${cell(Math.min(...mine), peerBest)}`);
  }
}
if (failed) process.exit(1);
