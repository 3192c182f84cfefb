// Writes a manifest's lines less those whose text (any case) is in other manifests: a second
// corpus's train split without the first corpus's dev, test and held-out texts.
//   node recipes/drop-texts.mjs IN.jsonl OUT.jsonl EXCLUDE.jsonl...
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const [input, output, ...excluded] = process.argv.slice(2);
if (!input || !output || excluded.length === 0) throw new Error('usage: node recipes/drop-texts.mjs IN.jsonl OUT.jsonl EXCLUDE.jsonl...');
const lines = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
const key = (line) => JSON.parse(line).text.toLowerCase();
const drop = new Set(excluded.flatMap((f) => lines(f).map(key)));
const all = lines(input), kept = all.filter((l) => !drop.has(key(l)));
writeFileSync(`${output}.tmp`, kept.join('\n') + '\n');
renameSync(`${output}.tmp`, output);
console.log(`${input}: ${all.length} lines, ${all.length - kept.length} dropped (texts of ${excluded.length} other manifests), ${kept.length} in ${output}`);
