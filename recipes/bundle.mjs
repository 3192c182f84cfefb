// Copies a recipe's model into models/NAME, what the package ships: the model of its last
// fine-tune (runs/NAME-ft/, or runs/NAME-ftN/ where recipes/NAME-finetuneN.json exists), and
// of that the half-precision copy the recipe evaluated (model-f16/, `sayre export --float16`)
// where there is one, else model/:
//   node recipes/bundle.mjs english | english-streaming | text-lines
// An LM byte-identical to one another bundled model already ships is shared
// (config.json's lm.file becomes ../<that model>/<file>) rather than shipped twice.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const name = process.argv[2];
if (!name) throw new Error('usage: node recipes/bundle.mjs NAME (copies the model of the recipe\'s last fine-tune, runs/NAME-ft[N]/model-f16 or model, to models/NAME)');
// the last stage the recipe runs: a recipe may skip one (english-streaming has a third fine-tune and no second)
let last = 1;
for (let n = 2; n <= 9; n++) if (existsSync(join('recipes', `${name}-finetune${n}.json`))) last = n;
const stage = join(process.env.RUNS ?? 'runs', last === 1 ? `${name}-ft` : `${name}-ft${last}`);
const src = existsSync(join(stage, 'model-f16', 'config.json')) ? join(stage, 'model-f16') : join(stage, 'model');
const dst = join('models', name);
const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8'));
mkdirSync(dst, { recursive: true });
for (const f of ['model.safetensors', 'MODEL_CARD.md']) copyFileSync(join(src, f), join(dst, f));
/** Ships the LM file `file` of src: shared with another bundled model that has the same bytes, else copied; its name for config.json. */
function placeLm(file) {
  const bytes = readFileSync(join(src, file));
  const shared = readdirSync('models')
    .filter((other) => other !== name && existsSync(join('models', other, 'config.json')))
    .flatMap((other) => {
      const lm = JSON.parse(readFileSync(join('models', other, 'config.json'), 'utf8')).lm;
      return [lm?.file, lm?.wordLm?.file].map((f) => ({ other, file: f }));
    })
    .find(({ other, file: f }) => typeof f === 'string' && !f.includes('/') && readFileSync(join('models', other, f)).equals(bytes));
  if (!shared) copyFileSync(join(src, file), join(dst, file));
  console.log(`LM ${file}: ${shared ? `shares models/${shared.other}/${shared.file}` : 'copied'}`);
  return shared ? `../${shared.other}/${shared.file}` : file;
}
if (config.lm) {
  config.lm.file = placeLm(config.lm.file);
  if (config.lm.wordLm) config.lm.wordLm.file = placeLm(config.lm.wordLm.file);
}
writeFileSync(join(dst, 'config.json'), JSON.stringify(config, null, 2) + '\n');
console.log(`${src} -> ${dst}`);
