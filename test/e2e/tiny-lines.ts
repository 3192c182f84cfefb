/** A tiny text-line corpus for end-to-end tests: a few short lines rendered in one regular font. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFontList } from '../../src/corpus/lines/fonts.js';
import { drawAugmentation } from '../../src/corpus/lines/presentation.js';
import { Random } from '../../src/math/random.js';
import { renderLine } from '../../src/corpus/lines/render-line.js';
import { haveCommand } from '../helpers/have-command.js';

/** Why lines cannot be rendered here, or false when they can. */
export function renderMissing(): string | false {
  if (!haveCommand('convert', ['-version']) || !haveCommand('fc-list', ['--version'])) return 'needs ImageMagick convert and fontconfig';
  return regularFont() ? false : 'needs fonts-dejavu or fonts-liberation';
}

function regularFont() {
  return parseFontList(execFileSync('fc-list', [':', 'file', 'family', 'style'], { encoding: 'utf8' })).find((f) => /DejaVuSans\.ttf$|LiberationSans-Regular/.test(f.file));
}

/** Renders `texts` to img/*.png with train.jsonl and dev.jsonl (the same lines: the tests overfit) under a new temp folder. */
export async function makeTinyLines(texts: readonly string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-tiny-lines-'));
  mkdirSync(join(dir, 'img'));
  const font = regularFont()!;
  const lines: string[] = [];
  for (const [i, text] of texts.entries()) {
    const image = `img/l${i}.png`;
    await renderLine({ id: String(i), split: 'train', text, font, rendering: 'varied', augmentation: { ...drawAugmentation(new Random(i), true), pointSize: 18 } }, join(dir, image));
    lines.push(JSON.stringify({ image, text, font: font.family }));
  }
  writeFileSync(join(dir, 'train.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'dev.jsonl'), lines.join('\n') + '\n');
  return dir;
}

/** A CRNN run config small enough to overfit a few lines in seconds. */
export function tinyLineConfig(maxEpochs: number): { model: object; training: Record<string, unknown> } {
  return {
    model: { type: 'crnn', height: 20, blocks: [{ channels: 8, pool: [2, 2] }, { channels: 16, pool: [2, 1] }], hiddenSize: 48, numLayers: 1 },
    // 0.01: at 0.02 Adam kept one letter of four lines wrong for 400 epochs on AMD Zen's BLAS kernels (0% at 160 on Intel's)
    training: { learningRate: 0.01, maxBatchSize: 1, maxFrames: 4000, patience: 1000, weightNoise: 0, maxEpochs, seed: 1 },
  };
}
