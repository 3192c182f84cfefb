/**
 * The bundled English model's language model (issue 15, part 4: load at most 2 s,
 * real-time factor with the LM at most 0.05 on one thread, peak RSS of `sayre transcribe`
 * at most 300 MB), on samples/*.wav:
 *
 * - load: `readArpa` of the model directory's LM (its ModelLm.load, and loadWord for a word
 *   LM beside a character LM), then the decoder built over it (a word LM's trie), the first
 *   thing this fresh process does (cold JIT, as a user meets it);
 * - real-time factor on one thread of the default decoding (beam search + LM) and of best
 *   path (`--no-lm`), network included, and of the beam search alone on the network's
 *   output (median of passes after a warm-up pass);
 * - the peak RSS of `sayre transcribe` of the samples with the bundled LM (its own process).
 *
 * Wall and CPU seconds are both printed: on a shared machine the wall clock counts time
 * lost to other processes. The transcripts and their scores are printed too, so that a
 * change to the search can be checked to leave them as they were.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav } from '../src/audio/wav-read.js';
import { createBackend } from '../src/backend/index.js';
import { CtcBeamSearchDecoder } from '../src/decode/prefix-beam-search.js';
import { NgramModel } from '../src/decode/lm/ngram-model.js';
import { decoderConfigOf } from '../src/recognizer/beam-decoder.js';
import { bundledModelDir } from '../src/recognizer/default-model.js';
import { Recognizer } from '../src/recognizer/recognizer.js';
import { median } from './torch.js';

const PASSES = 5;
const dir = bundledModelDir();
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Wall and CPU (user + system) seconds of f. */
function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

const s = (x: number): string => x.toFixed(3);

if (!existsSync(join(dir, 'config.json'))) {
  console.log(`no bundled model in ${dir}: nothing to measure`);
  process.exit(0);
}
const rec = Recognizer.load(dir, { backend: createBackend('auto', { threads: 1 }) });
const own = rec.loaded.lm;
if (!own) {
  console.log(`${dir} has no LM of its own: nothing to measure`);
  process.exit(0);
}

// The recogniser's own LMs (read once, then kept): its default decoder below uses these.
const load = timed(() => [own.load(), own.loadWord()]);
for (const [m, path] of [[load.value[0], own.path], [load.value[1], own.config.wordLm?.file]] as const) {
  if (m === undefined) continue;
  if (!(m instanceof NgramModel)) throw new Error(`${path}: not read as an n-gram model`);
  console.log(`LM ${path}: ${m.order}-gram, ${[...Array(m.order).keys()].map((k) => m.count(k + 1)).join(' + ')} n-grams, tables ${(m.bytes / 2 ** 20).toFixed(1)} MiB`);
}
// The search as the recogniser's default decoder runs it (the directory's weights, unit and word LM).
const config = decoderConfigOf({}, undefined, own);
const { alpha, beta, beamWidth } = config;
const build = timed(() => new CtcBeamSearchDecoder(rec.labels, { ...config.ctc, blank: rec.loaded.tokenizer.blank, lm: config.lm, alpha, beta, beamWidth }));
console.log(`load (first thing in a fresh process): readArpa (the recogniser's own LMs) ${s(load.wall)} s wall / ${s(load.cpu)} s CPU; ` +
  `decoder (a word LM's trie) ${s(build.wall)} s wall / ${s(build.cpu)} s CPU; together ${s(load.wall + build.wall)} s wall / ${s(load.cpu + build.cpu)} s CPU`);

const samplesDir = join(root, 'samples');
const names = readdirSync(samplesDir).filter((f) => f.endsWith('.wav')).sort();
const clips = names.map((f) => readWav(join(samplesDir, f)));
const audioSeconds = clips.reduce((a, c) => a + c.samples.length / c.sampleRate, 0);
console.log(`${clips.length} sample clips, ${audioSeconds.toFixed(1)} s of audio; backend ${rec.loaded.model.backend.name}, one thread`);

// The network's output once (best path, so cheap), for the search-only figure.
const outputs = clips.map((c) => rec.transcribe(c.samples, c.sampleRate, { decoder: rec.decoder(), keepOutput: true }).output!);
const search = build.value;

/** Median wall and CPU seconds of PASSES passes over the clips after a warm-up pass (`first`), and the last pass's results. */
function passes<T>(f: () => T): { wall: number; cpu: number; value: T; first: { wall: number; cpu: number } } {
  const first = timed(f);
  let value = first.value;
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    const r = timed(f);
    walls.push(r.wall);
    cpus.push(r.cpu);
    value = r.value;
  }
  return { wall: median(walls), cpu: median(cpus), value, first };
}

const withLm = passes(() => clips.map((c) => rec.transcribe(c.samples, c.sampleRate).text));
const bestPath = rec.decoder();
const noLm = passes(() => clips.map((c) => rec.transcribe(c.samples, c.sampleRate, { decoder: bestPath }).text));
const searchOnly = passes(() => outputs.map((o) => search.decode(o.logits, [o.frames, 1, o.classes])[0]![0]!));
const rtf = (x: { wall: number; cpu: number }): string => `${(x.wall / audioSeconds).toFixed(4)} by the clock, ${(x.cpu / audioSeconds).toFixed(4)} by CPU time`;
console.log(`real-time factor, default decoding (beam ${beamWidth} + LM, alpha ${alpha}, beta ${beta}): ${rtf(withLm)}`);
console.log(`  its first pass (the recogniser's decoder and word trie built on first use, the search's code cold, as \`sayre eval\` times it): ${rtf(withLm.first)}`);
console.log(`real-time factor, best path (--no-lm): ${rtf(noLm)}`);
console.log(`real-time factor, the beam search + LM alone on the network's output: ${rtf(searchOnly)}`);
searchOnly.value.forEach((h, i) => {
  if (h.text !== withLm.value[i]) throw new Error(`${names[i]}: the search alone read "${h.text}", the recogniser "${withLm.value[i]}"`);
  console.log(`  ${names[i]}: "${h.text}" score ${h.score} (acoustic ${h.acousticScore}, LM ${h.lmScore}); best path "${noLm.value[i]}"`);
});

// Peak RSS of the CLI in its own process, reported by the process itself as it exits.
const reportRss = 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxRSS "+process.resourceUsage().maxRSS+"\\n"))';
const cli = spawnSync(process.execPath, ['--import', reportRss, join(root, 'dist/src/cli/main.js'), 'transcribe', ...names.map((f) => join(samplesDir, f))],
  { encoding: 'utf8', env: { ...process.env, SAYRE_THREADS: '1' } });
const rss = /maxRSS (\d+)/.exec(cli.stderr);
if (cli.status !== 0 || !rss) console.log(`sayre transcribe failed (${cli.status}): ${cli.stderr.trim()}`);
else console.log(`peak RSS of \`sayre transcribe samples/*.wav\` (bundled LM, SAYRE_THREADS=1): ${(Number(rss[1]) / 1024).toFixed(0)} MiB`);
