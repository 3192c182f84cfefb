/**
 * Corpus build speed: hours of audio synthesised per hour of building by `sayre corpus tts`,
 * per engine kind (no perturbation) and with every voice (default perturbation and channel
 * shares), plus the time to read and clean the text. There is no PyTorch peer for this.
 * The target: 10 hours of audio per hour of building on 2 cores.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTtsCorpus } from '../src/corpus/tts/build-tts-corpus.js';
import { corpusText } from '../src/corpus/tts/corpus-text.js';
import { allVoices, detectVoices, selectVoices } from '../src/corpus/tts/voices.js';

const jobs = availableParallelism();

/**
 * CPU seconds used so far by this process and its finished children (the engines and sox):
 * on a shared machine wall time measures the neighbours, CPU time measures the build.
 */
function cpuSeconds(): number {
  const self = process.cpuUsage();
  // /proc/self/stat fields 16 and 17: cutime and cstime of waited-for children, in clock ticks (100 Hz).
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (self.user + self.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / 100;
}

const t0 = performance.now();
const text = corpusText({});
console.log(`corpus text: ${text.sentences.length} sentences (${JSON.stringify(text.record['sources'])}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`corpus tts build, ${jobs} jobs, 16 kHz (hours of audio per hour; no PyTorch peer; target >= 10 per hour on 2 cores)`);
console.log('h per h: per wall-clock hour here (shared machines: neighbours count); per 2 cores: 2 x audio per CPU second, the rate on 2 idle cores');
console.log(`voices                      utts   audio s    wall s     CPU s   h per h  per 2 cores`);
const installed = allVoices(detectVoices());
const kinds: [string, string[] | undefined, number][] = [
  ['espeak-ng formant', ['espeak-ng:en-us', 'espeak-ng:en-gb'], 0.02], ['espeak-ng mbrola', ['espeak-ng:mb-us1', 'espeak-ng:mb-en1'], 0.02],
  ['flite', ['flite'], 0.02], ['festival', ['festival'], 0.02], ['rhvoice', ['rhvoice'], 0.02], ['pico', ['pico'], 0.02],
  ['all (perturbed, channel)', undefined, 0.06],
];
for (const [name, selectors, hours] of kinds) {
  const present = selectors?.filter((s) => {
    try { return selectVoices(installed, [s]).length > 0; } catch { return false; }
  });
  if (present && present.length === 0) {
    console.log(`${name.padEnd(25)} (not installed)`);
    continue;
  }
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-bench-'));
  const cpu0 = cpuSeconds();
  try {
    const r = await buildTtsCorpus({
      outDir: out, hours, seed: 1, jobs, sentences: text.sentences, heldOutText: text.heldOutText,
      ...(present ? { voices: present, augmentShare: 0, perturbShare: 0, speakerDevShare: 0, speakerTestShare: 0 } : {}),
    });
    const p = r.progress;
    const cpu = cpuSeconds() - cpu0;
    console.log(`${name.padEnd(25)} ${String(p.generated).padStart(6)} ${p.generatedSeconds.toFixed(1).padStart(9)} ${r.wallSeconds.toFixed(1).padStart(9)} ${cpu.toFixed(1).padStart(9)} `
      + `${(p.generatedSeconds / r.wallSeconds).toFixed(1).padStart(9)} ${(2 * p.generatedSeconds / cpu).toFixed(1).padStart(12)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
