// Copies a recipe's model (runs/NAME-ft/model, or runs/NAME-ft2/model where the recipe has a
// second fine-tune, recipes/NAME-finetune2.json) into models/NAME, what the package ships:
//   node recipes/bundle.mjs english | english-streaming | text-lines
// The weights are stored at half precision (float16: half the bytes; sayre widens them on
// loading). An LM byte-identical to one another bundled model already ships is shared
// (config.json's lm.file becomes ../<that model>/<file>) rather than shipped twice.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHalfPrecisionWeights } from '../dist/src/index.js';

const name = process.argv[2];
if (!name) throw new Error('usage: node recipes/bundle.mjs NAME (copies runs/NAME-ft/model or NAME-ft2/model to models/NAME)');
const stage = existsSync(join('recipes', `${name}-finetune2.json`)) ? `${name}-ft2` : `${name}-ft`;
const src = join(process.env.RUNS ?? 'runs', stage, 'model');
const dst = join('models', name);
const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8'));
mkdirSync(dst, { recursive: true });
copyFileSync(join(src, 'MODEL_CARD.md'), join(dst, 'MODEL_CARD.md'));
const { bytesBefore, bytesAfter } = writeHalfPrecisionWeights(join(src, 'model.safetensors'), join(dst, 'model.safetensors'));
console.log(`weights: ${bytesBefore} bytes -> ${bytesAfter} at half precision`);
if (config.lm) {
  const lm = readFileSync(join(src, config.lm.file));
  const shared = readdirSync('models')
    .filter((other) => other !== name && existsSync(join('models', other, 'config.json')))
    .map((other) => ({ other, file: JSON.parse(readFileSync(join('models', other, 'config.json'), 'utf8')).lm?.file }))
    .find(({ other, file }) => typeof file === 'string' && !file.includes('/') && readFileSync(join('models', other, file)).equals(lm));
  if (shared) config.lm.file = `../${shared.other}/${shared.file}`;
  else copyFileSync(join(src, config.lm.file), join(dst, config.lm.file));
  console.log(`LM: ${shared ? `shares models/${shared.other}/${shared.file}` : `copied ${config.lm.file}`}`);
}
writeFileSync(join(dst, 'config.json'), JSON.stringify(config, null, 2) + '\n');
console.log(`${src} -> ${dst}`);
