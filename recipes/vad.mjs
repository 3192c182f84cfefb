// Trains the VAD the package ships and writes it to src/audio/vad-weights.ts:
//   npm run recipe:vad                 (CORPUS=runs/corpus-english, as recipes/english.sh builds it)
// Labelled synthetic sets from the corpus (src/corpus/vad/vad-splits.ts): trained on the
// train split's speakers, the threshold chosen on the dev speakers; the test speakers are
// for the bench (npm run bench vad). Seconds to a minute on one thread; the same corpus and
// SEED give the same weights.
import { encodeVadWeights } from '../dist/src/audio/vad-model-weights.js';
import { FrameVad } from '../dist/src/audio/frame-vad.js';
import { ModelVad } from '../dist/src/audio/model-vad.js';
import { buildVadSplit, VAD_SPLITS } from '../dist/src/corpus/vad/vad-splits.js';
import { vadRates } from '../dist/src/metrics/vad-scores.js';
import { chooseVadThreshold, evaluateVad } from '../dist/src/train/vad/evaluate-vad.js';
import { trainVad } from '../dist/src/train/vad/train-vad.js';
import { writeFileAtomic } from '../dist/src/util/atomic-write.js';
import { vadWeightsModule } from '../dist/src/train/vad/vad-weights-module.js';

const corpus = process.env.CORPUS ?? 'runs/corpus-english';
const seed = Number(process.env.SEED ?? 1);
const out = process.env.OUT ?? 'src/audio/vad-weights.ts';

const t0 = performance.now();
const train = buildVadSplit(corpus, 'train');
const dev = buildVadSplit(corpus, 'dev');
const minutes = (examples) => examples.reduce((s, e) => s + e.samples.length / e.sampleRate, 0) / 60;
console.log(`train: ${train.examples.length} examples, ${minutes(train.examples).toFixed(1)} min (${train.speakers.join(', ')})`);
console.log(`dev:   ${dev.examples.length} examples, ${minutes(dev.examples).toFixed(1)} min (${dev.speakers.join(', ')})`);
const t1 = performance.now();
const { weights, losses } = trainVad(train.examples, { seed, onEpoch: (e, loss) => console.log(`epoch ${e + 1}: loss ${loss.toFixed(4)}`) });
const t2 = performance.now();
const { threshold, accuracy } = chooseVadThreshold(weights, dev.examples);
weights.threshold = threshold;
console.log(`threshold ${threshold} (dev accuracy ${(100 * accuracy).toFixed(1)}%); sets built in ${((t1 - t0) / 1000).toFixed(1)} s, trained in ${((t2 - t1) / 1000).toFixed(1)} s`);

const energy = evaluateVad((rate) => new FrameVad(rate), dev.examples);
const model = evaluateVad((rate) => new ModelVad(rate, { weights }), dev.examples);
const pct = (x) => `${(100 * x).toFixed(1)}%`.padStart(6);
console.log('dev accuracy by SNR    energy   model');
for (const [snr, counts] of model.bySnr) {
  console.log(`  ${(Number.isFinite(snr) ? `${snr} dB` : 'clean').padEnd(20)} ${pct(vadRates(energy.bySnr.get(snr)).accuracy)}  ${pct(vadRates(counts).accuracy)}`);
}

const provenance = {
  recipe: 'npm run recipe:vad (recipes/vad.mjs)', seed,
  train: `${train.examples.length} examples (${minutes(train.examples).toFixed(1)} min) of ${VAD_SPLITS.train.clips} clean utterances of ${train.speakers.join(', ')}`,
  dev: `${dev.examples.length} examples of ${dev.speakers.join(', ')}: threshold ${threshold}, accuracy ${(100 * accuracy).toFixed(2)}%`,
  finalLoss: Number(losses.at(-1).toFixed(5)),
};
writeFileAtomic(out, vadWeightsModule(encodeVadWeights(weights, provenance)));
console.log(`wrote ${out}: rebuild (npm run build) to ship it`);
