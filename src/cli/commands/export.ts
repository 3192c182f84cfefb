/** `sayre export --onnx DIR` / `--float16 DIR`: a thin shell over exportOnnx and exportHalfPrecisionDir. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { exportOnnx } from '../../model/export/export-onnx.js';
import { resolveModelDir } from '../../recognizer/default-model.js';
import { isCrnnConfig } from '../../model/crnn-config.js';
import { loadModelDir, readModelDirConfig } from '../../model/io/model-dir.js';
import { exportHalfPrecisionDir } from '../../model/io/half-precision.js';

/** Registers `export`. */
export function registerExport(program: Command): void {
  program.command('export')
    .description('Write a speech model as ONNX: model.onnx and model-from-samples.onnx (CTC: features or samples -> logits), or encoder/decoder/joiner.onnx (RNN-T, sherpa-onnx layout), with tokens.txt; or any model directory with its weights at half precision (float16: half the size)')
    .option('--onnx <dir>', 'output folder for the ONNX files')
    .option('--float16 <dir>', 'output folder for a copy of the model directory with float16 weights (sayre reads it as it reads the original)')
    .option('--model <dir|name>', 'model directory or bundled model name (default: english)', 'english')
    .action((o: { onnx?: string; float16?: string; model: string }) => {
      const { onnx, float16 } = o;
      if ((onnx === undefined) === (float16 === undefined)) throw new Error('export: give one of --onnx DIR or --float16 DIR');
      const dir = resolveModelDir(o.model);
      if (onnx === undefined) {
        for (const f of exportHalfPrecisionDir(dir, float16!)) console.log(f);
        return;
      }
      if (isCrnnConfig(readModelDirConfig(dir).model)) throw new Error(`${dir}: a text-line model (CRNN); ONNX export covers the speech models (CTC, RNN-T)`);
      const loaded = loadModelDir(dir);
      const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
      const tokens = Array.from({ length: loaded.tokenizer.size }, (_, id) => (id === loaded.tokenizer.blank ? '<blk>' : loaded.tokenizer.token(id)));
      const files = exportOnnx(loaded.model, onnx, {
        tokens, producerVersion: pkg.version,
        frontEnd: { ...loaded.frontEnd, cmvn: loaded.cmvn.toJSON() },
        // the features the graphs take: this front end, then this CMVN
        metadata: { sayre_front_end: JSON.stringify(loaded.frontEnd), sayre_cmvn: JSON.stringify(loaded.cmvn.toJSON()) },
      });
      for (const f of files) console.log(f);
    });
}
