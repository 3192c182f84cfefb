import type { Command } from 'commander';
import { readFileBounded } from '../../util/read-bounded.js';
import { resolveRunConfig } from '../../train/run/run-config.js';
import { trainingRun } from '../../train/run/training-run.js';
import { addBackendFlag, backendFromFlag } from '../backend-flag.js';

const positive = (name: string) => (v: string): number => {
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0) throw new Error(`--${name} must be a number >= 0, got ${v}`);
  return x;
};

/** `sayre train`: a thin shell over trainingRun. */
export function registerTrain(program: Command): void {
  addBackendFlag(program.command('train'))
    .description('train a CTC (or, with "type": "rnnt" in the model config, an RNN-T) speech model, or with "type": "crnn" a text-line model on line-image manifests: length-bucketed batches, dev CER/WER each epoch, early stopping, then weight noise (Graves), checkpoints, --resume')
    .option('--config <file>', 'run configuration JSON ({model, frontEnd, training}, or only model fields)')
    .option('--train <manifests...>', 'training manifest(s) (JSON lines: {"audio": ...} or, for a CRNN, {"image": ...}); several are read as one set, e.g. your own recordings beside a corpus')
    .option('--dev <manifest>', 'dev manifest, for early stopping')
    .requiredOption('--out <dir>', 'run directory (checkpoints, log.jsonl, plot.svg, model/)')
    .option('--resume', 'continue the run in --out (starts it if there is none)')
    .option('--max-epochs <n>', 'stop after this many epochs', positive('max-epochs'))
    .option('--max-minutes <m>', 'stop after this many minutes of training, summed over sessions', positive('max-minutes'))
    .option('--checkpoint-minutes <m>', 'checkpoint every this many minutes', positive('checkpoint-minutes'))
    .option('--feature-memory <MB>', 'megabytes of cached features a set (train, dev) may keep in memory; a larger set is read from its cache per batch (default 2048)', positive('feature-memory'))
    .option('--init-encoder <checkpoint>', 'a new RNN-T run starts its encoder from this CTC checkpoint (a run\'s ckpt-N.safetensors or model/model.safetensors)')
    .option('--init-from <checkpoint>', 'fine-tune: a new run starts every weight from this checkpoint of the same architecture (a run\'s ckpt-N.safetensors or model/model.safetensors), with a fresh optimiser and its own learning rate')
    .action(async (o: { config?: string; train?: string[]; dev?: string; out: string; resume?: boolean; maxEpochs?: number; maxMinutes?: number; checkpointMinutes?: number; featureMemory?: number; initEncoder?: string; initFrom?: string; backend?: string }) => {
      // The backend the run's models are built on.
      const backend = await backendFromFlag(o.backend);
      let config;
      if (o.config) {
        let value: unknown;
        try {
          value = JSON.parse(readFileBounded(o.config, 'config').toString('utf8'));
        } catch (err) {
          throw new Error(`${o.config}: cannot read the config: ${err instanceof Error ? err.message : String(err)}`);
        }
        config = resolveRunConfig(value, o.config);
      }
      const r = await trainingRun({
        out: o.out, resume: o.resume ?? false, ...(backend ? { backend } : {}),
        ...(config ? { config } : {}), ...(o.train ? { train: o.train } : {}), ...(o.dev ? { dev: o.dev } : {}),
        ...(o.initEncoder ? { initEncoder: o.initEncoder } : {}),
        ...(o.initFrom ? { initFrom: o.initFrom } : {}),
        ...(o.featureMemory !== undefined ? { featureMemory: Math.round(o.featureMemory * 1024 ** 2) } : {}),
        limits: { maxEpochs: o.maxEpochs, maxMinutes: o.maxMinutes, checkpointMinutes: o.checkpointMinutes },
      });
      const best = r.bestCer === null ? 'none yet' : `${(100 * r.bestCer).toFixed(2)}% (epoch ${r.bestEpoch})`;
      console.log(`${r.reason}: ${r.epochs} epochs, ${r.steps} steps, ${(r.trainSeconds / 60).toFixed(1)} min of training; best dev CER ${best}; model: ${r.modelDir}`);
    });
}
