/**
 * Common Voice (commonvoice.mozilla.org): one language's folder holds train.tsv, dev.tsv,
 * test.tsv (and validated.tsv, other.tsv, invalidated.tsv), tab-separated with a header
 * line naming the columns (client_id, path, sentence, ...), and the MP3 clips in clips/.
 * Each of the chosen TSVs becomes a manifest of its name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LayoutScan, addUtterance, textLines } from './layout.js';

/** The splits imported by default: the official train/dev/test split of validated clips. */
export const COMMON_VOICE_SPLITS = ['train', 'dev', 'test'];

export function scanCommonVoice(dir: string, splits: readonly string[] = COMMON_VOICE_SPLITS): LayoutScan {
  const scan: LayoutScan = { splits: new Map(), problems: [], unsplit: false };
  const present = splits.filter((s) => existsSync(join(dir, `${s}.tsv`)));
  if (present.length === 0) throw new Error(`${dir}: none of ${splits.map((s) => `${s}.tsv`).join(', ')}: not a Common Voice language folder`);
  for (const split of present) {
    const file = join(dir, `${split}.tsv`);
    scan.splits.set(split, []); // a TSV gives a manifest even where none of its clips can be used
    const [header, ...rows] = textLines(readFileSync(file, 'utf8'));
    const cols = header!.text.split('\t');
    const at = (name: string): number => cols.indexOf(name);
    if (at('path') < 0 || at('sentence') < 0) throw new Error(`${file}: the header has no "path" and "sentence" columns (it has ${cols.join(', ')})`);
    for (const { line, text } of rows) {
      const f = text.split('\t');
      const clip = f[at('path')], sentence = f[at('sentence')];
      if (!clip || sentence === undefined) {
        scan.problems.push({ where: `${file}:${line}`, reason: `${f.length} columns, the header has ${cols.length}` });
        continue;
      }
      const audioPath = join(dir, 'clips', clip);
      if (!existsSync(audioPath)) {
        scan.problems.push({ where: audioPath, reason: `listed in ${split}.tsv:${line} but missing` });
        continue;
      }
      const speaker = at('client_id') >= 0 ? f[at('client_id')] : undefined;
      addUtterance(scan, split, { id: clip.replace(/\.[^.]+$/, ''), audioPath, text: sentence, ...(speaker ? { speaker } : {}) });
    }
  }
  return scan;
}
