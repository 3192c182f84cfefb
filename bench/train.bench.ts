/**
 * Training and inference speed of the acoustic model of issue 3 (3x BiLSTM-256 + Linear +
 * CTC, B=16, T=300 with lengths 200-300, 80 inputs, 29 classes; SGD with momentum),
 * sayre on each available backend beside the same model in PyTorch, at 1 and 2 threads.
 * Frames are real (unpadded) input frames. Each side and mode runs in its own process,
 * so that "peak RSS" is that process's maximum resident set.
 *
 * PyTorch runs each mode in its fastest form: inference on packed sequences (the same
 * computation as sayre's), training on the padded batch (the reverse direction then starts
 * at the padded end), because Debian's torch 1.13 takes 15-30x longer for the backward
 * pass of a packed LSTM (measured here: 28-66 s against 2 s per batch).
 *
 *   npm run bench -- train
 *   SAYRE_BENCH_BACKENDS=native,wasm   which backends (default: every available CPU one but
 *                                      js, which is included only when it is the only one);
 *                                      webgpu when named (a GPU; under SwiftShader, with
 *                                      VK_ICD_FILENAMES set, it runs but its times mean nothing)
 *   SAYRE_BENCH_SECONDS=5              minimum timed seconds per measurement
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getBackend, initBackend } from '../src/backend/index.js';
import { Random } from '../src/math/random.js';
import { CtcModel } from '../src/model/ctc-model.js';
import { Trainer } from '../src/train/trainer.js';
import { availableBackends } from '../test/helpers/backends.js';
import { median, runTorch } from './torch.js';

const T = 300, B = 16, F = 80, H = 256, LAYERS = 3, C = 29;
const MIN_STEPS = 3;
const MIN_SECONDS = Number(process.env['SAYRE_BENCH_SECONDS'] ?? 5);

interface Measure { fps: number; rssMb: number; steps: number }

/** The batch lengths both sides use (fixed seed). */
function batchLengths(): number[] {
  const rng = new Random(1);
  const lengths = Array.from({ length: B }, () => 200 + rng.int(101));
  lengths[0] = T;
  return lengths;
}

/** Times `step` (after one warm-up call): frames / median step time. */
async function timeSteps(frames: number, step: () => unknown): Promise<{ fps: number; steps: number }> {
  await step();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < MIN_STEPS || (performance.now() - start < MIN_SECONDS * 1000 && times.length < 20)) {
    const t0 = performance.now();
    await step();
    times.push((performance.now() - t0) / 1000);
  }
  return { fps: frames / median(times), steps: times.length };
}

/**
 * Child process: one backend, one mode; prints a JSON line. Steps are awaited on every
 * backend (on webgpu a training step ends with its one read-back, inference with the
 * logits read back), so a device backend's time includes its work.
 */
async function child(mode: string, lengths: number[]): Promise<void> {
  const backend = process.env['SAYRE_BACKEND'] === 'webgpu' ? await initBackend('webgpu') : getBackend();
  const rng = new Random(2);
  const x = new Float32Array(T * B * F);
  rng.fillNormal(x);
  const targets = lengths.map((L) => Int32Array.from({ length: Math.floor(L / 5) }, () => 1 + rng.int(C - 1)));
  const frames = lengths.reduce((a, b) => a + b, 0);
  const model = new CtcModel({ inputDim: F, hiddenSize: H, numLayers: LAYERS, numClasses: C }, { backend, seed: 0 });
  const trainer = new Trainer(model, { learningRate: 1e-4, optimizer: { kind: 'sgd', momentum: 0.9 } }); // CTC objective
  const batch = { x, shape: [T, B, F] as [number, number, number], lengths, targets };
  const infer = async (): Promise<void> => {
    const out = model.infer(x, [T, B, F], lengths);
    if (backend.onDevice) await backend.read(out.logits);
  };
  const r = mode === 'train' ? await timeSteps(frames, () => trainer.trainStepAsync(batch)) : await timeSteps(frames, infer);
  const out: Measure = { ...r, rssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(out));
}

const TORCH = `
import sys, json, time, resource
mode, lengths, min_seconds = sys.argv[1], [int(v) for v in sys.argv[2].split(',')], float(sys.argv[3])
T, B, F, H, L, C = ${T}, ${B}, ${F}, ${H}, ${LAYERS}, ${C}
torch.manual_seed(0)
class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(F, H, L, bidirectional=True)
        self.fc = torch.nn.Linear(2 * H, C)
    def forward(self, x, lens, packed):
        if not packed:
            return self.fc(self.lstm(x)[0])
        p = torch.nn.utils.rnn.pack_padded_sequence(x, lens, enforce_sorted=False)
        y, _ = self.lstm(p)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, total_length=x.shape[0])
        return self.fc(y)
lens = torch.tensor(lengths)
x = torch.randn(T, B, F)
tl = lens // 5
targets = torch.randint(1, C, (int(tl.sum()),))
m = Model()
opt = torch.optim.SGD(m.parameters(), lr=1e-4, momentum=0.9)
def train():
    opt.zero_grad()
    logits = m(x, lens, False)
    loss = torch.nn.functional.ctc_loss(logits.log_softmax(-1), targets, lens, tl, zero_infinity=True)
    loss.backward()
    opt.step()
def infer():
    with torch.inference_mode():
        m(x, lens, True)
step = train if mode == 'train' else infer
step()
times, start = [], time.perf_counter()
while len(times) < ${MIN_STEPS} or (time.perf_counter() - start < min_seconds and len(times) < 20):
    t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"fps": int(lens.sum()) / times[len(times) // 2], "rssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "steps": len(times)}))
`;

function threadEnv(threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, SAYRE_THREADS: n, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n, OMP_WAIT_POLICY: 'PASSIVE' };
}

function runSayre(backend: string, threads: number, mode: string, lengths: number[]): Measure | undefined {
  const args = ['--experimental-wasm-relaxed-simd', fileURLToPath(import.meta.url), '--child', mode, lengths.join(',')];
  const r = spawnSync(process.execPath, args, { env: { ...threadEnv(threads), SAYRE_BACKEND: backend }, encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`  (sayre ${backend} ${mode} at ${threads} thread(s) failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')})`);
    return undefined;
  }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Measure;
}

const fmt = (v: number | undefined, digits = 0): string => (v === undefined ? '-' : v.toFixed(digits));
const ratio = (a: Measure | undefined, b: Measure | undefined): string => (a && b ? `${(a.fps / b.fps).toFixed(2)}x` : '-');

async function main(): Promise<void> {
  const lengths = batchLengths();
  const frames = lengths.reduce((a, b) => a + b, 0);
  const all = [...new Set((await availableBackends()).map((b) => b.name))];
  const wanted = process.env['SAYRE_BENCH_BACKENDS']?.split(',').map((s) => s.trim()).filter(Boolean);
  const names = wanted ?? (all.length > 1 ? all.filter((n) => n !== 'js') : all);
  console.log(`3x BiLSTM-${H} + Linear + CTC, B=${B}, T=${T}, ${frames} real frames per batch, ${F} inputs, ${C} classes; SGD momentum 0.9`);
  console.log('PyTorch: training on the padded batch (its packed backward is 15-30x slower), inference on packed sequences');
  console.log(`backends: ${names.join(', ')} (available: ${all.join(', ')}); targets: native >= 1.2x torch, wasm >= 0.25x`);
  const rows: string[][] = [[
    'backend', 'thr', 'train fps', 'torch', 'ratio', 'infer fps', 'torch', 'ratio', 'RSS MB train (torch)', 'RSS MB infer (torch)',
  ]];
  for (const threads of [1, 2]) {
    const torchTrain = runTorch<Measure>(TORCH, threads, ['train', lengths.join(','), String(MIN_SECONDS)]);
    const torchInfer = runTorch<Measure>(TORCH, threads, ['infer', lengths.join(','), String(MIN_SECONDS)]);
    for (const name of names) {
      if ((name === 'js' || name === 'webgpu') && threads > 1) continue; // the reference backend has one thread; the GPU does not use them
      const train = runSayre(name, threads, 'train', lengths);
      const infer = runSayre(name, threads, 'infer', lengths);
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

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  await child(argv[1]!, argv[2]!.split(',').map(Number));
  process.exit(0);
} else {
  await main();
  process.exit(0);
}
