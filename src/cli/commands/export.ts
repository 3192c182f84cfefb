/** `sayre export --onnx DIR`: a thin shell over exportOnnx. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { exportOnnx } from '../../model/export/export-onnx.js';
import { resolveModelDir } from '../../recognizer/default-model.js';
import { isCrnnConfig } from '../../model/crnn-config.js';
import { loadModelDir, readModelDirConfig } from '../../model/io/model-dir.js';

/** Registers `export`. */
export function registerExport(program: Command): void {
  program.command('export')
    .description('Write a speech model as ONNX: model.onnx and model-from-samples.onnx (CTC: features or samples -> logits), or encoder/decoder/joiner.onnx (RNN-T, sherpa-onnx layout), with tokens.txt')
    .requiredOption('--onnx <dir>', 'output folder')
    .option('--model <dir|name>', 'model directory or bundled model name (default: english)', 'english')
    .action((o: { onnx: string; model: string }) => {
      const dir = resolveModelDir(o.model);
      if (isCrnnConfig(readModelDirConfig(dir).model)) throw new Error(`${dir}: a text-line model (CRNN); ONNX export covers the speech models (CTC, RNN-T)`);
      const loaded = loadModelDir(dir);
      const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
      const tokens = Array.from({ length: loaded.tokenizer.size }, (_, id) => (id === loaded.tokenizer.blank ? '<blk>' : loaded.tokenizer.token(id)));
      const files = exportOnnx(loaded.model, o.onnx, {
        tokens, producerVersion: pkg.version,
        frontEnd: { ...loaded.frontEnd, cmvn: loaded.cmvn.toJSON() },
        // the features the graphs take: this front end, then this CMVN
        metadata: { sayre_front_end: JSON.stringify(loaded.frontEnd), sayre_cmvn: JSON.stringify(loaded.cmvn.toJSON()) },
      });
      for (const f of files) console.log(f);
    });
}
