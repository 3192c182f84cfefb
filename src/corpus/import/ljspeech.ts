/**
 * LJ Speech (keithito.com/LJ-Speech-Dataset): metadata.csv with "id|transcription|normalized
 * transcription" lines (no quoting) and wavs/<id>.wav; one speaker, no splits of its own.
 * The normalised column (numbers and abbreviations written out) is used where present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LayoutScan, addUtterance, textLines } from './layout.js';

export function scanLjSpeech(dir: string): LayoutScan {
  const file = join(dir, 'metadata.csv');
  if (!existsSync(file)) throw new Error(`${dir}: no metadata.csv: not an LJ Speech folder`);
  const scan: LayoutScan = { splits: new Map(), problems: [], unsplit: true };
  for (const { line, text } of textLines(readFileSync(file, 'utf8'))) {
    const [id, raw, normalised] = text.split('|');
    const transcript = normalised?.trim() || raw?.trim();
    if (!id || !transcript) {
      scan.problems.push({ where: `${file}:${line}`, reason: 'expected "id|transcription|normalized transcription"' });
      continue;
    }
    const audioPath = join(dir, 'wavs', `${id}.wav`);
    if (!existsSync(audioPath)) {
      scan.problems.push({ where: audioPath, reason: `listed in metadata.csv:${line} but missing` });
      continue;
    }
    addUtterance(scan, 'ljspeech', { id, audioPath, text: transcript, speaker: 'LJ' });
  }
  return scan;
}
