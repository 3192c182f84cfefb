/** `sayre average --out DIR MODEL...`: a thin shell over averageModelDirs. */
import type { Command } from 'commander';
import { averageModelDirs } from '../../model/io/average-weights.js';
import { resolveModelDir } from '../../recognizer/default-model.js';
import { numberList } from '../number-option.js';

/** Registers `average`. */
export function registerAverage(program: Command): void {
  program.command('average')
    .description('Write a model whose weights are the mean of several models of one architecture (checkpoints of one run, or fine-tunes from one start: often better than each, at no cost when it runs); the first model\'s config and LM are copied')
    .argument('<models...>', 'model directories or bundled model names (two or more)')
    .requiredOption('--out <dir>', 'output model directory (new or empty)')
    .option('--weights <list>', 'a weight per model, e.g. 0.7,0.3 (default equal)', numberList('--weights'))
    .action((models: string[], o: { out: string; weights?: number[] }) => {
      for (const f of averageModelDirs(models.map(resolveModelDir), o.out, o.weights)) console.log(f);
    });
}
