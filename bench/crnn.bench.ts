/**
 * Training and inference speed of the text-line CRNN exactly as recipes/text-lines.json
 * configures it (its blocks, BiLSTM and training options: Adam, clip norm) over the line
 * alphabet of the bundled models/text-lines (numClasses, blank), on a batch of 16 line
 * images whose widths are drawn with a fixed seed, sayre on each available backend beside
 * the same network in PyTorch, at 1 and 2 threads, each side and mode in its own process
 * (step-speed.ts). Frames are real (unpadded) image columns; the LSTM sees a quarter of them.
 *
 * The PyTorch network is sayre's layer by layer, and the parent checks it: every parameter
 * has the same name and shape on both sides (sayre names its parameters as this module
 * would). It runs its convolutions on the padded batch (how PyTorch is used; sayre's skip
 * each image's padding), its LSTM as train.bench.ts does: padded in training (Debian's torch
 * 1.13 is far slower backward through a packed LSTM), packed in inference.
 *
 *   npm run bench -- crnn
 *   SAYRE_BENCH_BACKENDS=native,wasm   which backends (default: every available CPU one but js)
 *   SAYRE_BENCH_SECONDS=5              minimum timed seconds per measurement
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/math/random.js';
import { type ResolvedCrnnModelConfig, crnnReduction, resolveCrnnModelConfig } from '../src/model/crnn-config.js';
import { CrnnModel } from '../src/model/crnn-model.js';
import { ctcObjective } from '../src/train/ctc-objective.js';
import type { OptimizerConfig } from '../src/train/optimizers.js';
import { Trainer } from '../src/train/trainer.js';
import { repoRoot } from '../test/helpers/fixtures.js';
import { MIN_SECONDS, TORCH_TIMING, benchBackends, childBackend, printMeasure, runBench, speedTable, timeSteps } from './step-speed.js';
import { runTorch } from './torch.js';

const B = 16;
/**
 * Image widths (columns at the model's height): the line corpus's lines cropped as training
 * reads them (lineInput) measured 198 / 344 / 699 columns at the 10th / 50th / 90th
 * percentile on a 60-line sample (`sayre corpus lines --seed 1 --augmentation strong`).
 */
const MIN_WIDTH = 200, MAX_WIDTH = 600;
/** Columns per character of text on that sample (median 11.3): the target lengths. */
const COLUMNS_PER_CHAR = 11;

interface Recipe {
  model: Record<string, unknown>;
  training: { learningRate: number; optimizer: OptimizerConfig; clipNorm: number };
}

/** The recipe's network over the bundled line model's classes, and the recipe's training options. */
function crnnSetup(): { config: ResolvedCrnnModelConfig; training: Recipe['training'] } {
  const recipe = JSON.parse(readFileSync(join(repoRoot, 'recipes', 'text-lines.json'), 'utf8')) as Recipe;
  const bundled = JSON.parse(readFileSync(join(repoRoot, 'models', 'text-lines', 'config.json'), 'utf8')) as { model: { numClasses: number; blank?: number } };
  const config = resolveCrnnModelConfig({ ...recipe.model, numClasses: bundled.model.numClasses, blank: bundled.model.blank ?? 0 });
  return { config, training: recipe.training };
}

/** The batch widths both sides use (fixed seed); the first is the widest, so the batch spans the whole range. */
function batchWidths(): number[] {
  const rng = new Random(1);
  const widths = Array.from({ length: B }, () => MIN_WIDTH + rng.int(MAX_WIDTH - MIN_WIDTH + 1));
  widths[0] = MAX_WIDTH;
  return widths;
}

/** Child process: one backend, one mode; prints its measure (step-speed.ts). */
async function child(mode: string, widths: number[]): Promise<void> {
  const backend = await childBackend();
  const { config: c, training } = crnnSetup();
  const W = Math.max(...widths), Hgt = c.height;
  const rng = new Random(2);
  // Column frames [W, B, height], ink-like values in [0, 1) within each width, zero padding.
  const x = new Float32Array(W * B * Hgt);
  for (let w = 0; w < W; w++) {
    for (let b = 0; b < B; b++) if (w < widths[b]!) for (let h = 0; h < Hgt; h++) x[(w * B + b) * Hgt + h] = rng.uniform();
  }
  const targets = widths.map((w) => Int32Array.from({ length: Math.floor(w / COLUMNS_PER_CHAR) }, () => (c.blank + 1 + rng.int(c.numClasses - 1)) % c.numClasses));
  const frames = widths.reduce((a, b) => a + b, 0);
  const model = new CrnnModel(c, { backend, seed: 0 });
  // As a training run's first phase: the recipe's optimiser and clipping, no weight noise yet.
  const trainer = new Trainer(model, { learningRate: training.learningRate, optimizer: training.optimizer, clipNorm: training.clipNorm },
    ctcObjective({ blank: c.blank, zeroInfinity: true }));
  const batch = { x, shape: [W, B, Hgt] as [number, number, number], lengths: widths, targets };
  const infer = async (): Promise<void> => {
    const out = model.infer(x, [W, B, Hgt], widths);
    if (backend.onDevice) await backend.read(out.logits);
  };
  printMeasure(mode === 'train' ? await timeSteps(frames, () => trainer.trainStepAsync(batch)) : await timeSteps(frames, infer));
}

/** The same network in PyTorch; mode `params` prints its parameters' names and shapes instead of timing. */
function torchScript(c: ResolvedCrnnModelConfig, training: Recipe['training']): string {
  return `
import sys, json
mode, widths = sys.argv[1], [int(v) for v in sys.argv[2].split(',')]
cfg = json.loads(${JSON.stringify(JSON.stringify(c))})
B, W = len(widths), max(widths)
torch.manual_seed(0)
class Crnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        convs, ch, rows = [], 1, cfg['height']
        for b in cfg['blocks']:
            convs.append(torch.nn.Conv2d(ch, b['channels'], b['kernel'], padding=b['kernel'] // 2))
            ch = b['channels']
            if b['pool']: rows //= b['pool'][0]
        self.conv = torch.nn.ModuleList(convs)
        self.lstm = torch.nn.LSTM(ch * rows, cfg['hiddenSize'], cfg['numLayers'], bidirectional=cfg['bidirectional'])
        self.fc = torch.nn.Linear((2 if cfg['bidirectional'] else 1) * cfg['hiddenSize'], cfg['numClasses'])
    def forward(self, x, lens, packed):
        for conv, b in zip(self.conv, cfg['blocks']):
            x = torch.relu(conv(x))
            if b['pool']: x = torch.nn.functional.max_pool2d(x, b['pool'])
        n, ch, rows, cols = x.shape
        # [B, C, H', W'] -> [W', B, C*H']: column features ordered channel-major, as sayre's
        y = x.reshape(n, ch * rows, cols).permute(2, 0, 1)
        if not packed:
            return self.fc(self.lstm(y)[0])
        p = torch.nn.utils.rnn.pack_padded_sequence(y, lens, enforce_sorted=False)
        h, _ = self.lstm(p)
        h, _ = torch.nn.utils.rnn.pad_packed_sequence(h, total_length=cols)
        return self.fc(h)
m = Crnn()
if mode == 'params':
    print(json.dumps({"params": {k: list(v.shape) for k, v in m.named_parameters()}}))
    sys.exit(0)
x = torch.zeros(B, 1, cfg['height'], W)
for b, w in enumerate(widths):
    x[b, :, :, :w] = torch.rand(1, cfg['height'], w)
out_lens = torch.tensor(widths)
for b in cfg['blocks']:
    if b['pool']: out_lens = out_lens // b['pool'][1]
tl = torch.tensor(widths) // ${COLUMNS_PER_CHAR}
targets = (cfg['blank'] + torch.randint(1, cfg['numClasses'], (int(tl.sum()),))) % cfg['numClasses']
opt = torch.optim.Adam(m.parameters(), lr=${training.learningRate})
def train():
    opt.zero_grad()
    logits = m(x, out_lens, False)
    loss = torch.nn.functional.ctc_loss(logits.log_softmax(-1), targets, out_lens, tl, blank=cfg['blank'], zero_infinity=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), ${training.clipNorm})
    opt.step()
def infer():
    with torch.inference_mode():
        m(x, out_lens, True)
step = train if mode == 'train' else infer
frames = sum(widths)
${TORCH_TIMING}`;
}

/** Compares sayre's parameters with PyTorch's by name and shape; returns the line to print. */
function parameterCheck(c: ResolvedCrnnModelConfig, torch: string, widths: number[]): string {
  const ours = new Map(CrnnModel.paramSpecs(c).map((s) => [s.name, [...s.shape]]));
  const count = (shapes: Iterable<number[]>): number => [...shapes].reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const theirs = runTorch<{ params: Record<string, number[]> }>(torch, 1, ['params', widths.join(','), String(MIN_SECONDS)]);
  if (!theirs) return `parameters: sayre ${fmt(count(ours.values()))}, PyTorch unavailable`;
  const names = new Set([...ours.keys(), ...Object.keys(theirs.params)]);
  const differ = [...names].filter((n) => JSON.stringify(ours.get(n)) !== JSON.stringify(theirs.params[n]));
  const verdict = differ.length === 0
    ? `every one of the ${names.size} tensors alike by name and shape`
    : `MISMATCH: ${differ.map((n) => `${n} ${JSON.stringify(ours.get(n) ?? null)} / ${JSON.stringify(theirs.params[n] ?? null)}`).join(', ')}`;
  return `parameters: sayre ${fmt(count(ours.values()))}, PyTorch ${fmt(count(Object.values(theirs.params)))} (${verdict})`;
}

async function main(): Promise<void> {
  const { config: c, training } = crnnSetup();
  const widths = batchWidths();
  const columns = widths.reduce((a, b) => a + b, 0);
  const { rows, columnStride } = crnnReduction(c);
  const lstmFrames = widths.reduce((n, w) => n + Math.floor(w / columnStride), 0); // each pool rounds down: floor(floor(w/a)/b) = floor(w/ab)
  const top = c.blocks[c.blocks.length - 1]!.channels;
  const blocks = c.blocks.map((b) => `${b.channels}${b.pool ? ` pool [${b.pool.join(',')}]` : ''}`).join(', ');
  const torch = torchScript(c, training);
  console.log(`CRNN of recipes/text-lines.json: ${c.height}-row images; conv ${c.blocks[0]!.kernel}x${c.blocks[0]!.kernel} (same padding) + ReLU + max-pool: ${blocks}`);
  console.log(`  -> ${top * rows} features per column (${top} channels x ${rows} rows, 1 column in ${columnStride}); ${c.numLayers}x ${c.bidirectional ? 'Bi' : ''}LSTM-${c.hiddenSize}; Linear to ${c.numClasses} classes (models/text-lines; blank ${c.blank}); CTC`);
  console.log(`B=${B} images, widths ${MIN_WIDTH}-${MAX_WIDTH} (seed 1): ${columns} real columns per batch (padded to ${B}x${Math.max(...widths)}), ${lstmFrames} LSTM frames; 1 target label per ${COLUMNS_PER_CHAR} columns`);
  console.log(`training as the recipe: ${training.optimizer.kind} lr ${training.learningRate}, clip norm ${training.clipNorm} (no weight noise: a run's first phase); fps = real image columns per second`);
  console.log('PyTorch: convolutions on the padded batch; LSTM padded in training (its packed backward is far slower), packed in inference');
  console.log(parameterCheck(c, torch, widths));
  const { names, all } = await benchBackends();
  console.log(`backends: ${names.join(', ')} (available: ${all.join(', ')})`);
  speedTable({ script: fileURLToPath(import.meta.url), torch, lengths: widths, backends: names });
}

await runBench(main, child);
