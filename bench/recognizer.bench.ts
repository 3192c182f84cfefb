/**
 * Real-time factor of the bundled English model on one thread (processing seconds per
 * second of audio: WAV decoding excluded; resampling, filterbank, CMVN, the BiLSTM and
 * best-path decoding included), with each backend, against PyTorch running the same
 * architecture (torchaudio fbank + nn.LSTM + nn.Linear + argmax) on the same durations.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav } from '../src/audio/wav-read.js';
import { createBackend, nativeAvailable, type BackendName } from '../src/backend/index.js';
import { bundledModelDir } from '../src/recognizer/default-model.js';
import { Recognizer } from '../src/recognizer/recognizer.js';
import { median, runTorch } from './torch.js';

const PASSES = 5;
const dir = bundledModelDir();
if (!existsSync(join(dir, 'config.json'))) {
  console.log(`no bundled model in ${dir}: nothing to measure`);
  process.exit(0);
}
const samplesDir = fileURLToPath(new URL('../../samples/', import.meta.url));
const clips = readdirSync(samplesDir).filter((f) => f.endsWith('.wav')).sort().map((f) => readWav(join(samplesDir, f)));
const audioSeconds = clips.reduce((a, c) => a + c.samples.length / c.sampleRate, 0);
console.log(`${clips.length} sample clips, ${audioSeconds.toFixed(1)} s of audio; one thread; machine shared, figures noisy`);

function rtf(backend: BackendName): number {
  const rec = Recognizer.load(dir, { backend: createBackend(backend, { threads: 1 }) });
  const times: number[] = [];
  for (let p = 0; p < PASSES + 1; p++) {
    const t0 = performance.now();
    for (const c of clips) rec.transcribe(c.samples, c.sampleRate);
    if (p > 0) times.push((performance.now() - t0) / 1000); // the first pass warms up
  }
  return median(times) / audioSeconds;
}

const m = Recognizer.load(dir).loaded.model.config;
const torch = runTorch<{ seconds: number }>(`
import json, sys, time, torch, torchaudio
H, L, F, S, C = ${m.hiddenSize}, ${m.numLayers}, ${m.inputDim}, ${m.frameStack}, ${m.numClasses}
lstm = torch.nn.LSTM(F * S, H, L, bidirectional=True)
fc = torch.nn.Linear(2 * H, C)
lens = [float(x) for x in sys.argv[1].split(',')]
clips = [torch.randn(1, int(s * 16000)) * 0.1 for s in lens]
def run():
    with torch.no_grad():
        for x in clips:
            f = torchaudio.compliance.kaldi.fbank(x * 32768, num_mel_bins=F)
            f = (f - f.mean(0)) / (f.std(0) + 1e-5)
            T = f.shape[0] // S * S
            y = fc(lstm(f[:T].reshape(T // S, 1, F * S))[0]).argmax(-1)
run()
ts = []
for _ in range(${PASSES}):
    t0 = time.perf_counter(); run(); ts.append(time.perf_counter() - t0)
ts.sort()
print(json.dumps({"seconds": ts[len(ts) // 2]}))
`, 1, [clips.map((c) => (c.samples.length / c.sampleRate).toFixed(3)).join(',')]);
const peer = torch ? torch.seconds / audioSeconds : undefined;
if (peer !== undefined) console.log(`PyTorch (same architecture, 1 thread): real-time factor ${peer.toFixed(4)}`);
for (const name of ['wasm', 'native', 'js'] as const) {
  if (name === 'native' && !nativeAvailable()) {
    console.log('native: not built (npm run build:native)');
    continue;
  }
  const r = rtf(name);
  console.log(`sayre ${name}: real-time factor ${r.toFixed(4)}${peer !== undefined ? ` (${(r / peer).toFixed(2)}x PyTorch's time)` : ''}`);
}
