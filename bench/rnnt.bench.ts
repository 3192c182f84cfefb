/**
 * RNN-T loss, forward + backward, against torchaudio.functional.rnnt_loss (fused
 * log-softmax, float32) measured in the same run with the same inputs' shapes and
 * thread counts. Prints medians, the ratio (torchaudio / sayre: above 1 means sayre is
 * faster) and each side's extra peak memory (max RSS minus RSS before the first call;
 * sayre's from one call in a fresh process).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rnntLoss } from '../src/losses/rnnt.js';
import { median, runTorch } from './torch.js';

interface Case { B: number; T: number; U: number; V: number }
const cases: Case[] = [
  { B: 16, T: 300, U: 60, V: 29 },
  { B: 8, T: 150, U: 40, V: 29 },
  { B: 4, T: 100, U: 30, V: 500 },
];
const threadCounts = [1, 2];
const REPS = 5;

/** Full-length frames and targets, so both sides do the whole lattice. */
function inputs(c: Case) {
  const logits = new Float32Array(c.B * c.T * (c.U + 1) * c.V);
  let s = 12345;
  for (let i = 0; i < logits.length; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; logits[i] = (s / 2 ** 32) * 4 - 2; }
  const targets = Array.from({ length: c.B }, (_, b) => Array.from({ length: c.U }, (_, u) => 1 + ((b * 7 + u * 13) % (c.V - 1))));
  const lengths = new Array<number>(c.B).fill(c.T);
  return { logits, targets, lengths };
}

const torchScript = `
import json, sys, time, resource, statistics, torch, torchaudio
B, T, U, V, reps = (int(a) for a in sys.argv[1:6])
def rss_mb():
    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * 4096 / 2**20
logits = (torch.rand(B, T, U + 1, V) * 4 - 2).requires_grad_(True)
targets = torch.randint(1, V, (B, U), dtype=torch.int32)
ll = torch.full((B,), T, dtype=torch.int32); tl = torch.full((B,), U, dtype=torch.int32)
base = rss_mb()
times = []
for _ in range(reps + 1):
    t0 = time.perf_counter()
    loss = torchaudio.functional.rnnt_loss(logits, targets, ll, tl, blank=0, reduction='mean')
    loss.backward()
    times.append((time.perf_counter() - t0) * 1000)
    logits.grad = None
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"ms": statistics.median(times[1:]), "peak_extra_mb": peak - base}))
`;

function rssMb(): number { return process.memoryUsage().rss / 2 ** 20; }

/**
 * One (case, threads) measurement of sayre, in a child process of its own (clean JIT
 * state): median time over REPS calls after a warm-up, or with `memory` the extra peak
 * RSS of one call (what a training step holds; repeated calls would also count garbage
 * the collector has not reclaimed yet).
 */
function measureSayre(c: Case, threads: number, memory: boolean): number {
  const { logits, targets, lengths } = inputs(c);
  const call = (): unknown => rnntLoss(logits, [c.B, c.T, c.U + 1, c.V], targets, lengths, { threads });
  if (memory) {
    const base = rssMb();
    call();
    return process.resourceUsage().maxRSS / 1024 - base;
  }
  const times: number[] = [];
  for (let r = 0; r <= REPS; r++) {
    const t0 = performance.now();
    call();
    if (r > 0) times.push(performance.now() - t0);
  }
  return median(times);
}

function inChild(c: Case, threads: number, mode: '--time' | '--memory'): number {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), mode, ...[c.B, c.T, c.U, c.V, threads].map(String)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`sayre measurement failed: ${child.stderr}`);
  return Number(child.stdout.trim().split('\n').pop());
}

if (process.argv[2] === '--time' || process.argv[2] === '--memory') {
  const [B, T, U, V, threads] = process.argv.slice(3).map(Number) as [number, number, number, number, number];
  console.log(measureSayre({ B, T, U, V }, threads, process.argv[2] === '--memory'));
} else {
  console.log(`RNN-T loss forward+backward (reduction mean, full lengths), medians of ${REPS} runs after one warm-up`);
  console.log('| B | T | U | V | threads | sayre ms | torchaudio ms | ratio | sayre extra MB | torchaudio extra MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const fmt = (x: number): string => x.toFixed(1);
  for (const c of cases) {
    for (const threads of threadCounts) {
      const mine = { ms: inChild(c, threads, '--time'), peakExtraMb: inChild(c, threads, '--memory') };
      const peer = runTorch<{ ms: number; peak_extra_mb: number }>(torchScript, threads, [c.B, c.T, c.U, c.V, REPS].map(String));
      console.log(`| ${c.B} | ${c.T} | ${c.U} | ${c.V} | ${threads} | ${fmt(mine.ms)} | ${peer ? fmt(peer.ms) : '-'} | ${peer ? (peer.ms / mine.ms).toFixed(2) : '-'} | ${fmt(mine.peakExtraMb)} | ${peer ? fmt(peer.peak_extra_mb) : '-'} |`);
    }
  }
}
