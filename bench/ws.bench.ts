/**
 * Live streams under load (`npm run bench -- ws`): `sayre serve` in its own process with a
 * streaming model, and N concurrent WebSocket streams on loopback (default 100), each
 * sending 16 kHz 16-bit PCM in 100 ms chunks at the audio's own pace (the sample clips
 * with 1.5 s pauses, each stream from its own offset) for D seconds (default 30).
 *
 * Reports whether every stream kept real time (the latency of partials: from the moment
 * the audio they cover was sent to their arrival; of finals: from the end of the
 * utterance's audio, where the endpoint rule fired, to the final's arrival), the server's
 * CPU and RSS and so the memory per stream, and the load client's own CPU (this process).
 * The model is the bundled english-streaming (where it is not installed, its shape with
 * random weights: the cost does not depend on the weights).
 *
 * WS_BENCH_STREAMS (100), WS_BENCH_SECONDS (30), WS_BENCH_STREAM_THREADS (1) change the run;
 * WS_BENCH_SERVER_NODE_ARGS passes flags to the server's node (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { resample } from '../src/audio/resample.js';
import { readWav } from '../src/audio/wav-read.js';
import { bundledModelDir } from '../src/recognizer/default-model.js';
import { Recognizer } from '../src/recognizer/recognizer.js';
import { benchStreamingModelDir, RECIPE_SHAPE, TRAINED } from './streaming-model.js';

const STREAMS = Number(process.env['WS_BENCH_STREAMS'] ?? 100);
const SECONDS = Number(process.env['WS_BENCH_SECONDS'] ?? 30);
const STREAM_THREADS = Number(process.env['WS_BENCH_STREAM_THREADS'] ?? 1);
const RATE = 16000, CHUNK = 1600, CHUNK_MS = 100;

// The sample clips at 16 kHz, each followed by 1.5 s of silence, as one 16-bit loop.
const samplesDir = fileURLToPath(new URL('../../samples/', import.meta.url));
const clips = readdirSync(samplesDir).filter((f) => f.endsWith('.wav')).sort().map((f) => {
  const w = readWav(join(samplesDir, f));
  return w.sampleRate === RATE ? w.samples : resample(w.samples, w.sampleRate, RATE);
});
const loopLength = clips.reduce((n, c) => n + c.length + 1.5 * RATE, 0);
const loop = new Int16Array(Math.ceil(loopLength / CHUNK) * CHUNK);
for (let at = 0, i = 0; i < clips.length; i++) {
  loop.set(Int16Array.from(clips[i]!, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32768)))), at);
  at += clips[i]!.length + 1.5 * RATE;
}
const chunkOf = (k: number): Uint8Array => {
  const at = (k * CHUNK) % loop.length;
  return new Uint8Array(loop.buffer, at * 2, CHUNK * 2);
};

/** CPU seconds (user + system) of a process so far, from /proc (Linux), or NaN. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return NaN;
  }
}

/** Resident memory of a process in MiB (Linux /proc), or NaN. */
function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Starts `sayre serve`; resolves with its base URL and its startup line once it listens. */
function startServer(args: string[]): Promise<{ child: ChildProcess; url: string; line: string }> {
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const nodeArgs = process.env['WS_BENCH_SERVER_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, cli, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, line: out.trim().split('\n')[0]! });
    });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => reject(new Error(`sayre serve exited (${code}) before listening: ${err.trim().split('\n').pop() ?? ''}`)));
  });
}

interface StreamRecord {
  start: number;
  partialMs: { at: number; ms: number }[];
  finalMs: number[];
  errors: string[];
  code?: number;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const median = (xs: number[]): number => pct(xs, 50);

const bundled = Recognizer.load(bundledModelDir());
const modelDir = benchStreamingModelDir(bundled);
const server = await startServer(['--model', modelDir, '--max-streams', String(STREAMS), '--max-connections', String(STREAMS + 16), '--stream-threads', String(STREAM_THREADS)]);
const pid = server.child.pid!;
const c = cpus();
console.log(`${STREAMS} WebSocket streams x ${SECONDS} s of 16 kHz 16-bit PCM in ${CHUNK_MS} ms chunks, real time, loopback`);
console.log(TRAINED ? `model: the bundled english-streaming model (${RECIPE_SHAPE})` : `model: the english-streaming recipe's shape (${RECIPE_SHAPE}) with RANDOM weights (no trained streaming model installed; the cost does not depend on the weights)`);
console.log(`machine: ${c.length} x ${c[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (shared with other jobs: figures noisy)`);
console.log(`server: ${server.line.replace(/^sayre serve: /, '')}`);

try {
  await new Promise((r) => setTimeout(r, 1000));
  const idleRss = rssMiB(pid);
  const records: StreamRecord[] = [];
  const sockets: WebSocket[] = [];
  // Open every stream first (the server's handshake is cheap), then start sending, staggered over one chunk.
  for (let i = 0; i < STREAMS; i++) {
    const r: StreamRecord = { start: 0, partialMs: [], finalMs: [], errors: [] };
    records.push(r);
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/transcribe/stream?rate=${RATE}`);
    ws.on('message', (data) => {
      const now = performance.now();
      const e = JSON.parse(String(data)) as { type: string; at?: number; end?: number; error?: string; reason?: string };
      if (e.type === 'partial') r.partialMs.push({ at: e.at!, ms: now - (r.start + e.at! * 1000) });
      else if (e.type === 'final' && !e.reason) r.finalMs.push(now - (r.start + e.end! * 1000));
      else if (e.type === 'error') r.errors.push(e.error!);
    });
    sockets.push(ws);
  }
  await Promise.all(sockets.map((ws) => new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); })));
  const closed = sockets.map((ws, i) => new Promise<void>((resolve) => ws.once('close', (code) => { records[i]!.code = code; resolve(); })));
  const rounds = Math.round((SECONDS * 1000) / CHUNK_MS);
  const offsets = sockets.map((_, i) => Math.floor((i * loop.length) / CHUNK / STREAMS));
  const sent = sockets.map(() => 0);
  const t0 = performance.now() + 50;
  records.forEach((r, i) => { r.start = t0 + (i * CHUNK_MS) / STREAMS; });
  const cpu0 = cpuSeconds(pid), client0 = process.cpuUsage(), wall0 = performance.now();
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMiB(pid)), 500);
  // One driver for every stream: chunk k of a stream is sent when its audio has "been recorded".
  await new Promise<void>((resolve) => {
    const drive = (): void => {
      const now = performance.now();
      let left = 0;
      sockets.forEach((ws, i) => {
        while (sent[i]! < rounds && records[i]!.start + (sent[i]! + 1) * CHUNK_MS <= now) {
          if (ws.readyState === WebSocket.OPEN) ws.send(chunkOf(offsets[i]! + sent[i]!));
          if (++sent[i]! === rounds && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'end' }));
        }
        if (sent[i]! < rounds) left++;
      });
      if (left === 0) return resolve();
      setTimeout(drive, 5);
    };
    drive();
  });
  await Promise.all(closed);
  clearInterval(sampler);
  const wall = (performance.now() - wall0) / 1000;
  const serverCores = (cpuSeconds(pid) - cpu0) / wall;
  const cu = process.cpuUsage(client0);
  const clientCores = (cu.user + cu.system) / 1e6 / wall;

  const partials = records.flatMap((r) => r.partialMs.map((p) => p.ms));
  const finals = records.flatMap((r) => r.finalMs);
  // A stream kept real time when its partials in its last third came as fast as in its first (no growing backlog)
  // and its partials' median latency stayed under the 300 ms endpoint target.
  const kept = records.filter((r) => {
    const first = r.partialMs.filter((p) => p.at < SECONDS / 3).map((p) => p.ms);
    const last = r.partialMs.filter((p) => p.at >= (2 * SECONDS) / 3).map((p) => p.ms);
    return r.errors.length === 0 && r.code === 1000 && last.length > 0 && median(last) < 300 && median(last) <= median(first) + 100;
  }).length;
  const lastThird = records.flatMap((r) => r.partialMs.filter((p) => p.at >= (2 * SECONDS) / 3).map((p) => p.ms));
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '-');
  const steady = rss.slice(Math.floor(rss.length / 3));
  console.log(`streams that kept real time: ${kept} of ${STREAMS}${kept === STREAMS ? ' (all)' : ''}; errors ${records.reduce((n, r) => n + r.errors.length, 0)}, closed other than 1000: ${records.filter((r) => r.code !== 1000).length}`);
  console.log(`partial latency (audio sent -> partial arrived), ${partials.length} partials: p50 ${f(pct(partials, 50))} ms, p90 ${f(pct(partials, 90))} ms, p99 ${f(pct(partials, 99))} ms, max ${f(Math.max(...partials))} ms; last third p50 ${f(pct(lastThird, 50))} ms`);
  console.log(`final lag (endpoint's audio sent -> final arrived), ${finals.length} finals: p50 ${f(pct(finals, 50))} ms, p90 ${f(pct(finals, 90))} ms, p99 ${f(pct(finals, 99))} ms, max ${f(Math.max(...finals))} ms (target median <= 300 ms)`);
  console.log(`server: ${serverCores.toFixed(2)} cores of CPU over the ${wall.toFixed(1)} s run (${(serverCores / STREAMS * 1000).toFixed(1)} ms of CPU per stream-second); RSS idle ${idleRss.toFixed(0)} MiB, with ${STREAMS} streams median ${median(steady).toFixed(0)} MiB, peak ${Math.max(...rss).toFixed(0)} MiB: ${(((median(steady) - idleRss) * 1024) / STREAMS).toFixed(0)} KiB per stream`);
  console.log(`load client (this process: ${STREAMS} WebSockets, pacing, JSON): ${clientCores.toFixed(2)} cores of CPU`);
} finally {
  server.child.kill('SIGTERM');
}
