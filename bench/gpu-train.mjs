// GPU timing for issue 19, for a machine with a GPU (the device tool runs it on a copy of
// the working tree; it builds nothing: it needs dist/ from `npm run build` and the npm
// package `webgpu` already in node_modules). Prints, one JSON line each:
//   1. 3x BiLSTM-256 + CTC training, B=64, T=300, 80 inputs, 29 classes: frames/s on webgpu
//      (Trainer.trainStepAsync, one read-back per step), with SGD + momentum and with the
//      recipes' Adam + clipNorm 5;
//   2. best-path recognition (lm: false) of the bundled model over samples/*.wav: seconds
//      of audio per second on webgpu (transcribeAsync) and on native with one thread (wasm
//      one thread if the addon does not load there), with the transcripts, which must be
//      identical;
//   3. PyTorch with CUDA training the same network, where python3 imports torch with CUDA.
// Run: node bench/gpu-train.mjs [--steps N] [--smoke]   (docs/webgpu.md has the device-tool command;
// --smoke: tiny shapes and a 0.6 s clip, to check the script under SwiftShader, no timing worth reading)
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dist = new URL('../dist/src/', import.meta.url);
const { initBackend, createBackend, nativeAvailable } = await import(new URL('backend/index.js', dist));
const { CtcModel } = await import(new URL('model/ctc-model.js', dist));
const { Trainer } = await import(new URL('train/trainer.js', dist));
const { Recognizer } = await import(new URL('recognizer/recognizer.js', dist));
const { readWav } = await import(new URL('audio/wav-read.js', dist));

const steps = Number(process.argv[process.argv.indexOf('--steps') + 1] || 10);
const smoke = process.argv.includes('--smoke');
const out = (o) => console.log(JSON.stringify(o));

const gpu = await initBackend('webgpu').catch((e) => { out({ webgpu: 'unavailable', reason: e.message }); return undefined; });
if (gpu) {
  const info = gpu.kernels.device.adapterInfo ?? {};
  out({ adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description } });
  // 1. training
  const [T, B, H] = smoke ? [30, 4, 16] : [300, 64, 256], F = 80, C = 29;
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const x = Float32Array.from({ length: T * B * F }, () => rand() * 2 - 1);
  const lengths = Array.from({ length: B }, (_, b) => T - (b % 8) * 10);
  const targets = Array.from({ length: B }, () => Array.from({ length: smoke ? 5 : 60 }, () => 1 + Math.floor(rand() * (C - 1))));
  const batch = { x, shape: [T, B, F], lengths, targets };
  const optimizers = { 'sgd momentum 0.9': { optimizer: { kind: 'sgd', momentum: 0.9 } }, 'adam, clipNorm 5': { optimizer: { kind: 'adam' }, clipNorm: 5 } };
  for (const [name, options] of Object.entries(optimizers)) {
    const model = new CtcModel({ inputDim: F, hiddenSize: H, numLayers: 3, numClasses: C }, { backend: gpu, seed: 1 });
    const trainer = new Trainer(model, { learningRate: 1e-4, ...options });
    for (let i = 0; i < 2; i++) await trainer.trainStepAsync(batch); // compile, allocate
    const reads0 = gpu.readBacks, t0 = performance.now();
    let last;
    for (let i = 0; i < steps; i++) last = await trainer.trainStepAsync(batch);
    const sec = (performance.now() - t0) / 1000;
    const frames = lengths.reduce((a, b) => a + b, 0) * steps;
    out({ bench: `train 3x BiLSTM-${H} + CTC, B=${B}, T=${T}`, optimizer: name, backend: 'webgpu', steps, framesPerSecond: Math.round(frames / sec), readBacksPerStep: (gpu.readBacks - reads0) / steps, loss: last.loss });
    model.dispose();
  }
}

// 2. recognition of the bundled model
const wavs = readdirSync(new URL('../samples/', import.meta.url)).filter((f) => f.endsWith('.wav')).sort()
  .map((f) => ({ f, ...readWav(new URL(`../samples/${f}`, import.meta.url).pathname) }))
  .slice(0, smoke ? 1 : undefined).map((w) => (smoke ? { ...w, samples: w.samples.subarray(0, Math.round(0.6 * w.sampleRate)) } : w));
const audioSec = wavs.reduce((a, w) => a + w.samples.length / w.sampleRate, 0);
const cpuName = nativeAvailable() ? 'native' : 'wasm';
const cpu = createBackend(cpuName, { threads: 1 });
const recognizers = [[`${cpuName} x1`, Recognizer.load(undefined, { backend: cpu, lm: false })], ...(gpu ? [['webgpu', Recognizer.load(undefined, { backend: gpu, lm: false })]] : [])];
const texts = {};
for (const [name, rec] of recognizers) {
  for (const w of wavs) await rec.transcribeAsync(w.samples, w.sampleRate); // warm up
  const t0 = performance.now();
  const reps = smoke ? 1 : 3;
  for (let r = 0; r < reps; r++) texts[name] = await Promise.all(wavs.map((w) => rec.transcribeAsync(w.samples, w.sampleRate).then((t) => t.text)));
  const sec = (performance.now() - t0) / 1000;
  out({ bench: 'recognise samples/*.wav with the bundled model, best path', backend: name, audioSecondsPerSecond: Math.round(reps * audioSec / sec * 10) / 10 });
}
if (gpu) out({ transcriptsIdentical: JSON.stringify(texts['webgpu']) === JSON.stringify(texts[`${cpuName} x1`]), texts });

// 3. PyTorch CUDA beside it
const py = `
import time, torch
if not torch.cuda.is_available(): print('{"pytorch": "no CUDA"}'); raise SystemExit
d = torch.device('cuda'); T, B, F, C = 300, 64, 80, 29
lstm = torch.nn.LSTM(F, 256, 3, bidirectional=True).to(d); fc = torch.nn.Linear(512, C).to(d)
opt = torch.optim.SGD(list(lstm.parameters()) + list(fc.parameters()), lr=1e-4, momentum=0.9)
x = torch.randn(T, B, F, device=d); lens = torch.tensor([T - (b % 8) * 10 for b in range(B)])
tg = torch.randint(1, C, (B, 60), device=d); tl = torch.full((B,), 60)
def step():
    opt.zero_grad(); p = torch.nn.utils.rnn.pack_padded_sequence(x, lens, enforce_sorted=False)
    h, _ = lstm(p); h, _ = torch.nn.utils.rnn.pad_packed_sequence(h)
    loss = torch.nn.functional.ctc_loss(fc(h).log_softmax(2), tg, lens, tl); loss.backward(); opt.step(); return loss.item()
for _ in range(2): step()
torch.cuda.synchronize(); t0 = time.time(); n = ${steps}
for _ in range(n): step()
torch.cuda.synchronize(); s = time.time() - t0
print('{"bench": "train 3x BiLSTM-256 + CTC, B=64, T=300", "backend": "pytorch cuda %s", "framesPerSecond": %d}' % (torch.__version__, int(lens.sum().item() * n / s)))
`;
try {
  process.stdout.write(execFileSync('python3', ['-c', py], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
} catch (e) {
  out({ pytorch: 'not run', reason: String(e.stderr || e.message).trim().split('\n').pop() });
}
