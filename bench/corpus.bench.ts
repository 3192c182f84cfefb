/**
 * Corpus build speed: seconds of audio synthesised per wall-clock second by
 * `sayre corpus tts`, per engine and with every voice (default augmentation share), plus
 * the time to read and clean the fortune sentences. There is no PyTorch peer for this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTtsCorpus } from '../src/corpus/tts/build-tts-corpus.js';
import { readFortuneSentences } from '../src/corpus/fortune-sentences.js';

const jobs = availableParallelism();
const t0 = performance.now();
const sentences = readFortuneSentences();
console.log(`fortune sentences: ${sentences.length} clean sentences in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
console.log(`corpus tts build, ${jobs} jobs, 16 kHz (audio seconds per wall second; no PyTorch peer)`);
console.log(`voices                   utts   audio s    wall s   audio s/s`);
for (const [name, voices, hours] of [
  ['espeak-ng', ['espeak-ng'], 0.02], ['flite', ['flite'], 0.02], ['festival', ['festival'], 0.01], ['all (30% augmented)', undefined, 0.05],
] as const) {
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-bench-'));
  try {
    const r = await buildTtsCorpus({ outDir: out, hours, seed: 1, jobs, sentences, ...(voices ? { voices: [...voices] } : {}), ...(voices ? { augmentShare: 0 } : {}) });
    const p = r.progress;
    console.log(`${name.padEnd(22)} ${String(p.generated).padStart(6)} ${p.generatedSeconds.toFixed(1).padStart(9)} ${r.wallSeconds.toFixed(1).padStart(9)} ${(p.generatedSeconds / r.wallSeconds).toFixed(1).padStart(11)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
