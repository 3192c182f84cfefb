#!/usr/bin/env node
/** The `sayre` command: a thin shell over the library. Each command lives in commands/. */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerCorpusCommand } from './commands/corpus.js';
import { registerCorpusLinesCommand } from './commands/corpus-lines.js';
import { registerCorpusImportCommand } from './commands/corpus-import.js';
import { registerEval } from './commands/eval.js';
import { registerExport } from './commands/export.js';
import { registerLmCommand } from './commands/lm.js';
import { registerLmTuneCommand } from './commands/lm-tune.js';
import { registerTrain } from './commands/train.js';
import { registerTranscribe } from './commands/transcribe.js';
import { registerServe } from './commands/serve.js';
import { addLimitFlags } from './limit-flags.js';
import { registerListen } from './commands/listen.js';
import { registerCard } from './commands/card.js';
import { registerAverage } from './commands/average.js';
import { registerWiden } from './commands/widen.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('sayre')
  .description('End-to-end speech and text-line recognition with recurrent networks (CTC, RNN-T).')
  .version(pkg.version);
addLimitFlags(program);

// Commands register themselves here, one line each.
registerCorpusCommand(program);
registerCorpusLinesCommand(program);
registerCorpusImportCommand(program);
registerTrain(program);
registerEval(program);
registerTranscribe(program);
registerServe(program);
registerListen(program);
registerLmCommand(program);
registerLmTuneCommand(program);
registerExport(program);
registerCard(program);
registerAverage(program);
registerWiden(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`sayre: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
