/** A training run in a child process, for the kill -9 test: node run-child.js CORPUS_DIR OUT_DIR CONFIG_JSON */
import { join } from 'node:path';
import { trainingRun } from '../../src/train/run/training-run.js';
import type { RunConfig } from '../../src/train/run/run-config.js';

const [corpus, out, config] = process.argv.slice(2) as [string, string, string];
await trainingRun({
  out, config: JSON.parse(config) as RunConfig, train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl'), resume: true, stream: null,
});
