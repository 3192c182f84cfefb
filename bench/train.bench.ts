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
import { fileURLToPath } from 'node:url';
import { Random } from '../src/math/random.js';
import { CtcModel } from '../src/model/ctc-model.js';
import { Trainer } from '../src/train/trainer.js';
import { TORCH_TIMING, benchBackends, childBackend, printMeasure, runBench, speedTable, timeSteps } from './step-speed.js';

const T = 300, B = 16, F = 80, H = 256, LAYERS = 3, C = 29;

/** The batch lengths both sides use (fixed seed). */
function batchLengths(): number[] {
  const rng = new Random(1);
  const lengths = Array.from({ length: B }, () => 200 + rng.int(101));
  lengths[0] = T;
  return lengths;
}

/** Child process: one backend, one mode; prints its measure (step-speed.ts). */
async function child(mode: string, lengths: number[]): Promise<void> {
  const backend = await childBackend();
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
  printMeasure(mode === 'train' ? await timeSteps(frames, () => trainer.trainStepAsync(batch)) : await timeSteps(frames, infer));
}

const TORCH = `
import sys
mode, lengths = sys.argv[1], [int(v) for v in sys.argv[2].split(',')]
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
frames = int(lens.sum())
${TORCH_TIMING}`;

async function main(): Promise<void> {
  const lengths = batchLengths();
  const frames = lengths.reduce((a, b) => a + b, 0);
  const { names, all } = await benchBackends();
  console.log(`3x BiLSTM-${H} + Linear + CTC, B=${B}, T=${T}, ${frames} real frames per batch, ${F} inputs, ${C} classes; SGD momentum 0.9`);
  console.log('PyTorch: training on the padded batch (its packed backward is 15-30x slower), inference on packed sequences');
  console.log(`backends: ${names.join(', ')} (available: ${all.join(', ')}); targets: native >= 1.2x torch, wasm >= 0.25x`);
  speedTable({ script: fileURLToPath(import.meta.url), torch: TORCH, lengths, backends: names });
}

await runBench(main, child);
