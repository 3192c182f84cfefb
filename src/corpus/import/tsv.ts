/**
 * Any corpus as tab-separated lists: `dir` is one .tsv file or a folder of them; each has a
 * header line naming its columns: the audio path ("path" or "audio", relative to the TSV's
 * folder), the transcript ("text", "sentence" or "transcript") and optionally "speaker"
 * and "id". Each TSV becomes a manifest of its name (train.tsv -> train.jsonl).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { type LayoutScan, addUtterance, textLines } from './layout.js';

const PATH_COLUMNS = ['path', 'audio'];
const TEXT_COLUMNS = ['text', 'sentence', 'transcript'];

export function scanTsv(target: string): LayoutScan {
  const files = statSync(target).isDirectory()
    ? readdirSync(target).filter((f) => f.endsWith('.tsv')).sort().map((f) => join(target, f))
    : [target];
  if (files.length === 0) throw new Error(`${target}: no .tsv files`);
  const scan: LayoutScan = { splits: new Map(), problems: [], unsplit: files.length === 1 };
  for (const file of files) {
    const [header, ...rows] = textLines(readFileSync(file, 'utf8'));
    const cols = (header?.text ?? '').split('\t').map((c) => c.trim().toLowerCase());
    const pathCol = cols.findIndex((c) => PATH_COLUMNS.includes(c)), textCol = cols.findIndex((c) => TEXT_COLUMNS.includes(c));
    if (pathCol < 0 || textCol < 0) {
      throw new Error(`${file}: the header line must name an audio column (${PATH_COLUMNS.join(' or ')}) and a text column (${TEXT_COLUMNS.join(', ')}); it has ${cols.join(', ')}`);
    }
    const speakerCol = cols.indexOf('speaker'), idCol = cols.indexOf('id');
    const split = basename(file, '.tsv');
    scan.splits.set(split, []);
    for (const { line, text } of rows) {
      const f = text.split('\t');
      const audio = f[pathCol]?.trim(), transcript = f[textCol];
      if (!audio || transcript === undefined) {
        scan.problems.push({ where: `${file}:${line}`, reason: `no audio path or text (${f.length} columns, the header has ${cols.length})` });
        continue;
      }
      const audioPath = isAbsolute(audio) ? audio : join(dirname(file), audio);
      if (!existsSync(audioPath)) {
        scan.problems.push({ where: audioPath, reason: `listed in ${basename(file)}:${line} but missing` });
        continue;
      }
      const speaker = speakerCol >= 0 ? f[speakerCol]?.trim() : undefined;
      addUtterance(scan, split, { id: (idCol >= 0 && f[idCol]?.trim()) || audio, audioPath, text: transcript, ...(speaker ? { speaker } : {}) });
    }
  }
  return scan;
}
