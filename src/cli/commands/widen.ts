/** `sayre widen --hidden-size N --out DIR MODEL`: a thin shell over widenModelDir. */
import type { Command } from 'commander';
import { widenModelDir } from '../../model/io/widen-weights.js';
import { resolveModelDir } from '../../recognizer/default-model.js';
import { num } from '../number-option.js';

/** Registers `widen`. */
export function registerWiden(program: Command): void {
  program.command('widen')
    .description('Write a CTC speech model with more LSTM units per layer that reads exactly as the given one (new units start unread), to go on training it as a larger network (`sayre train --init-from DIR/model.safetensors` with the wider hiddenSize)')
    .argument('<model>', 'model directory or bundled model name')
    .requiredOption('--hidden-size <n>', 'units per layer and direction of the copy (at least the model\'s)', num('--hidden-size', (v) => Number.isInteger(v) && v > 0))
    .requiredOption('--out <dir>', 'output model directory (new or empty)')
    .option('--seed <n>', 'seed of the new units\' incoming weights', num('--seed', Number.isInteger), 1)
    .action((model: string, o: { hiddenSize: number; out: string; seed: number }) => {
      for (const f of widenModelDir(resolveModelDir(model), o.out, o.hiddenSize, o.seed)) console.log(f);
    });
}
