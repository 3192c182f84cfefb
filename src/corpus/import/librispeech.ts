/**
 * LibriSpeech (openslr.org/12): <subset>/<speaker>/<chapter>/<speaker>-<chapter>.trans.txt,
 * one "<utterance-id> TRANSCRIPT" line per utterance, audio in <utterance-id>.flac beside it.
 * `dir` may be the LibriSpeech folder holding subsets (train-clean-100, dev-clean, ...) or
 * one subset; each subset becomes a manifest of its name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { type LayoutScan, addUtterance, textLines } from './layout.js';

function transcriptFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.trans.txt')) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

export function scanLibriSpeech(dir: string): LayoutScan {
  const scan: LayoutScan = { splits: new Map(), problems: [], unsplit: false };
  const files = transcriptFiles(dir);
  if (files.length === 0) throw new Error(`${dir}: no *.trans.txt files: not a LibriSpeech folder (<subset>/<speaker>/<chapter>/<speaker>-<chapter>.trans.txt)`);
  for (const file of files) {
    const parts = relative(dir, file).split(sep);
    // <subset>/<speaker>/<chapter>/x.trans.txt under a LibriSpeech folder; <speaker>/<chapter>/x under a subset
    const subset = parts.length >= 4 ? parts[parts.length - 4]! : basename(dir);
    for (const { line, text } of textLines(readFileSync(file, 'utf8'))) {
      const m = /^(\S+)\s+(.*)$/.exec(text.trim());
      if (!m) {
        scan.problems.push({ where: `${file}:${line}`, reason: 'no transcript after the utterance id' });
        continue;
      }
      const id = m[1]!, audioPath = join(file, '..', `${id}.flac`);
      if (!existsSync(audioPath)) {
        scan.problems.push({ where: audioPath, reason: `listed in ${basename(file)}:${line} but missing` });
        continue;
      }
      addUtterance(scan, subset, { id, audioPath, text: m[2]!, speaker: id.split('-')[0]! });
    }
  }
  return scan;
}
