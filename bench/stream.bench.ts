/**
 * Live transcription (`npm run bench -- stream`): a 10-minute stream of the sample clips
 * with pauses, fed in 100 ms chunks through a StreamSession (front end, VAD, endpoints,
 * encoder, best-path search) on one thread, with the bundled english-streaming model (4 x
 * 256 unidirectional LSTM, frame stack/stride 3; where it is not installed, that shape with
 * random weights: the cost does not depend on the weights, the partials' text does).
 * Prints the per-chunk cost in the first and the last minute, the endpoint-to-final
 * latency, the first partial's latency from the start of speech (a trained model only), the
 * real-time factor and so the streams one core keeps up with, and memory per
 * stream; then 16 and 64 streams decoded together (their encoder steps batched); the peer is PyTorch doing the recipe encoder's work chunk by chunk with its state carried.
 * Then the bundled (bidirectional) model through the same stream API: it re-decodes the
 * utterance, so its per-chunk cost is bounded by the utterance, not the stream.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resample } from '../src/audio/resample.js';
import { frameEnergiesDb } from '../src/audio/vad.js';
import { readWav } from '../src/audio/wav-read.js';
import { createBackend } from '../src/backend/index.js';
import { bundledModelDir } from '../src/recognizer/default-model.js';
import { Recognizer } from '../src/recognizer/recognizer.js';
import { StreamSession } from '../src/recognizer/stream-session.js';
import { benchStreamingRecognizer, RECIPE_MODEL, TRAINED } from './streaming-model.js';
import { median, runTorch } from './torch.js';

const RATE = 16000, CHUNK = 1600, MINUTES = Number(process.env['STREAM_BENCH_MINUTES'] ?? 10);
const backend = createBackend('auto', { threads: 1 });
const bundled = Recognizer.load(bundledModelDir(), { backend });
const streaming = benchStreamingRecognizer(bundled, backend);

// The sample clips at 16 kHz, each followed by 1.5 s of silence, repeated to MINUTES minutes.
const samplesDir = fileURLToPath(new URL('../../samples/', import.meta.url));
const clips = readdirSync(samplesDir).filter((f) => f.endsWith('.wav')).sort().map((f) => {
  const w = readWav(join(samplesDir, f));
  return w.sampleRate === RATE ? w.samples : resample(w.samples, w.sampleRate, RATE);
});
/** Seconds into a clip at which its speech starts: the first 10 ms frame above -40 dBFS. */
function speechOnset(clip: Float32Array): number {
  const f = frameEnergiesDb(clip, RATE / 100).findIndex((db) => db > -40);
  return f < 0 ? clip.length / RATE : f / 100;
}
const total = MINUTES * 60 * RATE;
const audio = new Float32Array(total);
/** Seconds into the stream at which each clip's speech starts. */
const onsets: number[] = [];
for (let at = 0, i = 0; at < total; i++) {
  const c = clips[i % clips.length]!;
  audio.set(c.subarray(0, Math.min(c.length, total - at)), at);
  onsets.push(at / RATE + speechOnset(c));
  at += c.length + 1.5 * RATE;
}
console.log(`${MINUTES} min stream (${clips.length} clips, 1.5 s pauses), ${CHUNK / RATE * 1000} ms chunks, backend ${backend.name} x1; machine shared, figures noisy`);

function run(rec: Recognizer, name: string): void {
  const heapBefore = process.memoryUsage().heapUsed;
  const session = new StreamSession(rec);
  const costs: number[] = [];
  let finals = 0;
  /** Per utterance: from its speech onset to the end of the chunk whose partial first has text, plus that chunk's compute. */
  const firstPartial: number[] = [];
  let next = 0;
  const t0 = performance.now();
  for (let at = 0; at < total; at += CHUNK) {
    const c0 = performance.now();
    const events = session.accept(audio.subarray(at, at + CHUNK), RATE);
    const cost = performance.now() - c0;
    costs.push(cost);
    finals += events.filter((e) => e.type === 'final').length;
    const end = (at + CHUNK) / RATE;
    if (next < onsets.length && onsets[next]! <= end && events.some((e) => e.type === 'partial' && e.text.trim() !== '')) {
      firstPartial.push((end - onsets[next]!) * 1000 + cost);
      while (next < onsets.length && onsets[next]! <= end) next++;
    }
  }
  finals += session.end().filter((e) => e.type === 'final').length;
  const seconds = (performance.now() - t0) / 1000;
  const perMinute = (60 * RATE) / CHUNK;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(costs.slice(0, perMinute)), last = mean(costs.slice(-perMinute));
  const rtf = seconds / (total / RATE);
  const lat = session.endpointLatencies.map((s) => s * 1000);
  console.log(`${name}:`);
  console.log(`  per-chunk cost: first minute ${first.toFixed(2)} ms, last minute ${last.toFixed(2)} ms (last/first ${(last / first).toFixed(2)}x; target <= 1.5x)`);
  console.log(`  endpoint-to-final latency over ${lat.length} endpoints: median ${median(lat).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms (target median <= 300 ms); ${finals} finals`);
  if (TRAINED || rec !== streaming) {
    console.log(`  first partial with text, from the start of speech: median ${median(firstPartial).toFixed(0)} ms, max ${Math.max(...firstPartial).toFixed(0)} ms over ${firstPartial.length} of ${onsets.length} utterances (target within 1 s)`);
  }
  console.log(`  real-time factor ${rtf.toFixed(4)} on one thread: about ${Math.floor(1 / rtf)} real-time streams per core`);
  console.log(`  heap growth over the stream ${((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(1)} MB (one stream)`);
}

run(streaming, TRAINED ? 'bundled streaming model (english-streaming)' : 'streaming model (english-streaming shape, random weights)');

/** K streams (each a different offset into the audio) fed together, one decode call per 100 ms round. */
function concurrent(rec: Recognizer, K: number, seconds: number): void {
  const sessions = Array.from({ length: K }, () => rec.createStream());
  const offsets = sessions.map((_, i) => Math.floor((i * total) / K / CHUNK) * CHUNK);
  const rounds = Math.floor((seconds * RATE) / CHUNK);
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    sessions.forEach((s, i) => {
      const at = (offsets[i]! + r * CHUNK) % (total - CHUNK);
      s.acceptWaveform(audio.subarray(at, at + CHUNK), RATE);
      if (s.isEndpoint()) { s.final(); s.reset(); }
    });
    rec.decode(...sessions);
  }
  const cpu = (performance.now() - t0) / 1000;
  const perStream = cpu / (K * seconds);
  console.log(`  ${K} streams decoded together: ${(cpu / seconds).toFixed(3)} s of compute per second of audio, ${Math.floor(1 / perStream)} real-time streams per core`);
}
for (const K of [16, 64]) concurrent(streaming, K, 20);

// The peer does the recipe encoder's work per encoder chunk of C frames: each layer's forward
// LSTM over the chunk with its state carried, and (latency-controlled) its reverse LSTM over
// the chunk and its R right-context frames from the zero state; then the output layer.
const lc = RECIPE_MODEL.latencyControl;
const torch = runTorch<{ seconds: number }>(`
import json, sys, time, torch
F, H, L, S = 80, ${RECIPE_MODEL.hiddenSize}, ${RECIPE_MODEL.numLayers}, ${RECIPE_MODEL.frameStack}
C, R, LC = ${lc?.chunk ?? 4}, ${lc?.rightContext ?? 0}, ${lc ? 'True' : 'False'}
D = 2 if LC else 1
fwd = [torch.nn.LSTM(F * S if l == 0 else D * H, H) for l in range(L)]
rev = [torch.nn.LSTM(F * S if l == 0 else D * H, H) for l in range(L)] if LC else []
fc = torch.nn.Linear(D * H, ${bundled.loaded.tokenizer.size})
frames = int(sys.argv[1])
x = torch.randn(frames + R, 1, F * S)
def run():
    states = [None] * L
    with torch.no_grad():
        for i in range(0, frames, C):
            h, win = x[i:i + C], x[i:i + C + R]
            for l in range(L):
                y, states[l] = fwd[l](h, states[l])
                if LC:
                    r, _ = rev[l](torch.flip(win, [0]))
                    y = torch.cat([y, torch.flip(r, [0])[:y.shape[0]]], -1)
                    win = torch.cat([y, torch.zeros(win.shape[0] - y.shape[0], 1, D * H)], 0)
                h = y
            fc(h).argmax(-1)
t0 = time.perf_counter(); run()
print(json.dumps({"seconds": time.perf_counter() - t0}))
`, 1, [String(Math.floor(total / RATE / 0.03))]);
if (torch) console.log(`PyTorch peer (the recipe encoder's work per chunk and the output layer, state carried, no front end): real-time factor ${(torch.seconds / (total / RATE)).toFixed(4)}`);

if (process.env['STREAM_BENCH_BUNDLED'] !== '0') run(bundled, 'bundled bidirectional model (re-decodes the utterance every 0.5 s)');
