/**
 * `sayre serve` under load on loopback: POST /transcribe with samples/hello.wav (3.5 s of
 * speech) at concurrency 1, 4 and 16, each level bounded in requests and seconds;
 * requests/s, latency p50/p90/p99 and the server process's peak RSS. The peer is a
 * Python ThreadingHTTPServer running the same architecture in PyTorch (random weights,
 * torchaudio fbank + resampling, nn.LSTM, argmax) on the same clip, same thread count.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledModelDir } from '../src/recognizer/default-model.js';
import { readModelDirConfig } from '../src/model/io/model-dir.js';
import { PYTHON, torchArgs, torchEnv } from './torch.js';

const LEVELS = [1, 4, 16];
const MAX_REQUESTS = 120;
const MAX_SECONDS = 12;
const THREADS = Number(process.env['SAYRE_THREADS'] ?? 2);

const dir = bundledModelDir();
if (!existsSync(join(dir, 'model.safetensors'))) {
  console.log(`no bundled model in ${dir}: nothing to measure`);
  process.exit(0);
}
const clip = readFileSync(fileURLToPath(new URL('../../samples/hello.wav', import.meta.url)));

interface Level { concurrency: number; requests: number; failed: number; rps: number; p50: number; p90: number; p99: number; peakRssMiB: number }

function post(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'audio/wav', 'Content-Length': clip.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(clip);
  });
}

/** Resident memory of a process in MiB (Linux /proc), 0 elsewhere. */
function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function load(url: string, pid: number, concurrency: number): Promise<Level> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failed = 0;
  let sent = 0;
  let peak = rssMiB(pid);
  const sampler = setInterval(() => { peak = Math.max(peak, rssMiB(pid)); }, 25);
  const t0 = performance.now();
  const deadline = t0 + MAX_SECONDS * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (sent < MAX_REQUESTS && performance.now() < deadline) {
      sent++;
      const s = performance.now();
      const status = await post(url, agent);
      if (status === 200) latencies.push(performance.now() - s);
      else failed++;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { concurrency, requests: latencies.length, failed, rps: latencies.length / seconds, p50: pct(latencies, 50), p90: pct(latencies, 90), p99: pct(latencies, 99), peakRssMiB: Math.max(peak, rssMiB(pid)) };
}

/** Starts a server process; resolves with its base URL once it prints one. */
function startProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => reject(new Error(`${cmd} exited (${code}) before listening: ${err.trim().split('\n').pop() ?? ''}`)));
  });
}

async function measure(name: string, server: Promise<{ child: ChildProcess; url: string }>): Promise<Level[] | undefined> {
  let s: { child: ChildProcess; url: string };
  try {
    s = await server;
  } catch (e) {
    console.log(`  (${name} unavailable: ${(e as Error).message})`);
    return undefined;
  }
  try {
    if (name === 'sayre') console.log(`  sayre: ${await (await fetch(`${s.url}/health`)).text()}`.trim());
    await load(`${s.url}/transcribe`, s.child.pid!, 1); // warm up: JIT, buffers
    const out: Level[] = [];
    for (const c of LEVELS) out.push(await load(`${s.url}/transcribe`, s.child.pid!, c));
    return out;
  } finally {
    s.child.kill();
  }
}

const m = readModelDirConfig(dir).model;
console.log(`bundled model (${m.numLayers}x BiLSTM-${m.hiddenSize}), samples/hello.wav (3.5 s), loopback; at most ${MAX_REQUESTS} requests or ${MAX_SECONDS} s per level; ${THREADS} threads; machine shared, figures noisy`);
const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
// The same cores two ways: one recogniser thread whose kernels use them all, or one recogniser per core.
const configs = [{ workers: 1, threads: THREADS }, { workers: THREADS, threads: 1 }];
const sayre: (Level[] | undefined)[] = [];
for (const c of configs) {
  sayre.push(await measure('sayre', startProcess(process.execPath, [cli, 'serve', '--port', '0', '--max-queue', '64', '--workers', String(c.workers)], { ...process.env, SAYRE_THREADS: String(c.threads) })));
}

const peerScript = `
import io, json, sys, wave, numpy, torch, torchaudio
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
H, L, F, S, C = ${m.hiddenSize}, ${m.numLayers}, ${m.inputDim}, ${m.frameStack}, ${m.numClasses}
lstm = torch.nn.LSTM(F * S, H, L, bidirectional=True).eval()
fc = torch.nn.Linear(2 * H, C).eval()
class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        with wave.open(io.BytesIO(body)) as w:
            rate = w.getframerate()
            x = numpy.frombuffer(w.readframes(w.getnframes()), dtype='<i2').astype(numpy.float32)
        with torch.no_grad():
            x = torchaudio.functional.resample(torch.from_numpy(x)[None], rate, 16000)
            f = torchaudio.compliance.kaldi.fbank(x, num_mel_bins=F)
            f = (f - f.mean(0)) / (f.std(0) + 1e-5)
            T = f.shape[0] // S * S
            y = fc(lstm(f[:T].reshape(T // S, 1, F * S))[0]).argmax(-1).flatten().tolist()
        out = json.dumps({"text": "".join(chr(96 + k) for k in y if k), "frames": len(y)}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(out)))
        self.end_headers()
        self.wfile.write(out)
server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print('listening on http://127.0.0.1:%d' % server.server_address[1], flush=True)
server.serve_forever()
`;
const peer = await measure('PyTorch peer', startProcess(PYTHON, torchArgs(peerScript, THREADS), torchEnv(THREADS)));

const f = (x: number, d = 0): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
const side = (x: Level | undefined): string => (x ? `${f(x.rps, 1).padStart(6)}  ${f(x.p50)} / ${f(x.p90)} / ${f(x.p99)}  ${f(x.peakRssMiB)} MiB${x.failed ? ` (${x.failed} failed)` : ''}` : 'unavailable');
console.log(`PyTorch peer: ThreadingHTTPServer, torch at ${THREADS} threads`);
for (const [k, c] of configs.entries()) {
  console.log(`sayre serve --workers ${c.workers}, SAYRE_THREADS=${c.threads}`);
  console.log('concurrency | sayre req/s  p50 / p90 / p99 ms   peak RSS | PyTorch req/s  p50 / p90 / p99 ms   peak RSS | req/s ratio');
  for (const [i, level] of LEVELS.entries()) {
    const a = sayre[k]?.[i];
    const b = peer?.[i];
    console.log(`${String(level).padStart(11)} | ${side(a)} | ${side(b)} | ${a && b ? (a.rps / b.rps).toFixed(2) : '-'}`);
  }
}
