/**
 * Voice activity (`npm run bench -- vad`): the trained VAD (src/audio/model-vad.ts, the
 * bundled weights) beside its peer, the energy VAD (src/audio/frame-vad.ts), on the labelled
 * synthetic set of the held-out test speakers (src/corpus/vad/vad-splits.ts: their clean
 * utterances joined with 0.2-2 s pauses, under white, pink, brown, hum or babble noise at
 * each SNR, at a random level). Per SNR: frame accuracy, speech recall and false-alarm rate
 * of each; what the default endpoint rules make of its decisions (src/metrics/endpoint-scores.ts:
 * the reference pauses of at least 1 s after speech in which an endpoint fired, and the
 * endpoints that cut into speech); accuracy per noise; then each one's cost per second of audio (fed in 100 ms chunks as a live stream,
 * one thread; rounds alternate the two so that both see the same load; CPU time and the best
 * round's wall time).
 *
 *   SAYRE_VAD_CORPUS   the speech corpus (default runs/corpus-english, as recipes/english.sh builds it)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FrameVad } from '../src/audio/frame-vad.js';
import { ModelVad } from '../src/audio/model-vad.js';
import { type VoiceActivityDetector, vadDecisions } from '../src/audio/voice-activity.js';
import { NOISE_KINDS } from '../src/corpus/vad/vad-noise.js';
import { buildVadSplit, VAD_SPLITS } from '../src/corpus/vad/vad-splits.js';
import type { EndpointCounts } from '../src/metrics/endpoint-scores.js';
import { type VadCounts, vadRates } from '../src/metrics/vad-scores.js';
import { evaluateVad, type VadEvaluation } from '../src/train/vad/evaluate-vad.js';

const corpus = process.env['SAYRE_VAD_CORPUS'] ?? 'runs/corpus-english';
if (!existsSync(join(corpus, VAD_SPLITS.test.manifest))) {
  console.log(`no ${VAD_SPLITS.test.manifest} at ${corpus} (build the corpus: npm run recipe:english, or set SAYRE_VAD_CORPUS): nothing to measure`);
  process.exit(0);
}

const { examples, speakers } = buildVadSplit(corpus, 'test');
const seconds = examples.reduce((s, e) => s + e.samples.length / e.sampleRate, 0);
const detectors: { name: string; create: (rate: number) => VoiceActivityDetector }[] = [
  { name: 'energy', create: (rate) => new FrameVad(rate) },
  { name: 'trained', create: (rate) => new ModelVad(rate) },
];
console.log(`${examples.length} examples, ${(seconds / 60).toFixed(1)} min, speakers ${speakers.join(', ')}; ${new Date().toISOString().slice(0, 10)}`);

const results = detectors.map((d) => evaluateVad(d.create, examples));
const pct = (x: number): string => (100 * x).toFixed(1);
const snrName = (snr: number): string => (Number.isFinite(snr) ? `${snr} dB` : 'clean');

/** A Markdown table: a row per name, a column per detector, `cell` formatting each one's counts. */
function table<T>(title: string, first: string, rows: [string, T[]][], cell: (c: T) => string): void {
  console.log(`\n${title}`);
  console.log(`| ${first} | ${detectors.map((d) => d.name).join(' | ')} |`);
  console.log(`|---|${detectors.map(() => '---').join('|')}|`);
  for (const [name, counts] of rows) console.log(`| ${name} | ${counts.map(cell).join(' | ')} |`);
}

/** Rows per SNR and one for all examples, from each detector's evaluation. */
function bySnr<T>(per: (r: VadEvaluation) => Map<number, T>, all: (r: VadEvaluation) => T): [string, T[]][] {
  const rows: [string, T[]][] = [...per(results[0]!).keys()].map((snr) => [snrName(snr), results.map((r) => per(r).get(snr)!)]);
  rows.push(['all', results.map(all)]);
  return rows;
}

const frameCell = (c: VadCounts): string => {
  const r = vadRates(c);
  return `${pct(r.accuracy)} / ${pct(r.recall)} / ${pct(r.falseAlarmRate)}`;
};
table('accuracy / speech recall / false alarms, % of frames', 'SNR', bySnr((r) => r.bySnr, (r) => r.all), frameCell);
table('endpoints (default rules): pauses found, % / endpoints cutting speech, %', 'SNR', bySnr((r) => r.endpointsBySnr, (r) => r.endpoints),
  (c: EndpointCounts) => `${pct(c.found / c.pauses)} of ${c.pauses} / ${pct(c.cuts / c.endpoints)} of ${c.endpoints}`);
const byNoise: [string, VadCounts[]][] = NOISE_KINDS.map((kind) => {
  const some = examples.filter((e) => e.noiseKind === kind);
  return [kind, detectors.map((d) => evaluateVad(d.create, some).all)];
});
table('by noise, all SNRs: accuracy / speech recall / false alarms, % of frames', 'noise', byNoise, frameCell);

// Cost: every example through a fresh detector in 100 ms chunks, rounds alternating.
const ROUNDS = 3;
const cpu = detectors.map(() => 0), best = detectors.map(() => Infinity);
for (let round = 0; round < ROUNDS; round++) {
  detectors.forEach((d, i) => {
    const c0 = process.cpuUsage(), t0 = performance.now();
    for (const e of examples) vadDecisions(d.create(e.sampleRate), e.samples, e.sampleRate / 10);
    const wall = (performance.now() - t0) / 1000, used = process.cpuUsage(c0);
    cpu[i]! += (used.user + used.system) / 1e6;
    best[i] = Math.min(best[i]!, wall);
  });
}
console.log('\ncost per second of audio (100 ms chunks, one thread)');
console.log('| VAD | CPU ms / s | best wall ms / s | x energy (CPU) |');
console.log('|---|---|---|---|');
detectors.forEach((d, i) => {
  const perSecond = (1000 * cpu[i]!) / ROUNDS / seconds;
  console.log(`| ${d.name} | ${perSecond.toFixed(3)} | ${((1000 * best[i]!) / seconds).toFixed(3)} | ${(cpu[i]! / cpu[0]!).toFixed(1)} |`);
});
