/**
 * Model cards from a fabricated model directory, corpus.json and eval reports: the tables
 * hold the figures of the reports, the licences and speakers per split of the corpus, and
 * missing or contradictory inputs give errors that name the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreTranscripts } from '../../src/metrics/error-rate.js';
import { scoreByGroup } from '../../src/metrics/group-scores.js';
import { handwritingFamilies, lineScoreGroups } from '../../src/metrics/line-groups.js';
import { evalReport, groupRows, LINES_BENCH_FORMAT, scoreRow } from '../../src/report/eval-report.js';
import type { DecodingInfo, EvalReport, LinesBench } from '../../src/report/eval-report.js';
import { readCardInputs } from '../../src/report/card/inputs.js';
import type { CardLookups, CardOptions } from '../../src/report/card/inputs.js';
import { modelCard } from '../../src/report/card/model-card.js';

const dir = mkdtempSync(join(tmpdir(), 'sayre-card-'));
const write = (name: string, data: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
  return path;
};

const lookups: CardLookups = {
  weights: () => ({ parameters: 1234567, storedAs: 'float16' }),
  espeakFormant: { package: 'espeak-ng-data', licence: 'GPL-3+' },
  reserved: { voices: ['flite:rms', 'flite:slt'], fonts: ['Kristi', 'Dancing Script'], texts: ['bible-kjv', 'dict-devil'] },
  fontSources: (families) => Object.fromEntries(families.filter((f) => f !== 'Tuffy').map((f) => [f, { package: `fonts-${f.toLowerCase()}`, section: 'main', licence: `OFL-1.1 (${f})` }])),
};

function modelDir(name: string, model: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'config.json'), JSON.stringify({ format: 'sayre.ctc-model/1', model, ...extra }));
  writeFileSync(join(d, 'model.safetensors'), new Uint8Array(2000));
  writeFileSync(join(d, 'MODEL_CARD.md'), 'old card');
  return d;
}

const speechModel = modelDir('english', { inputDim: 80, hiddenSize: 176, numLayers: 3, numClasses: 29, frameStack: 3, frameStride: 3 }, {
  frontEnd: { sampleRate: 16000, fbank: { numMelBins: 80 }, slidingCmvn: { window: 300 } }, cmvn: {},
  info: { epoch: 12, step: 900, phase: 2, devCer: 0.1234, devWer: 0.3456, trainSeconds: 3600, trainUtterances: 5000, trainHours: 9.5 },
});

const voice = (id: string, speaker: string, sex: string, licence: string): Record<string, string> => ({ id, speaker, sex, synthesis: 'diphone', package: `pkg-${speaker}`, licence });
const row = (utterances: number, hours: number): Record<string, number> => ({ utterances, hours, augmented: 1 });
const ttsCorpus = {
  plan: { seed: 1 }, hours: 12, heldOutVariants: ['klatt5'], heldOutSpeakers: { dev: ['mbrola-us2'], test: ['rhvoice-lyubov'] },
  voices: [
    voice('flite:kal16', 'kal', 'male', 'CMU free'),
    voice('espeak-ng:mb-us1', 'mbrola-us1', 'female', 'mbrola: non-commercial use only'),
    voice('espeak-ng:mb-us2', 'mbrola-us2', 'male', 'mbrola: non-commercial use only'),
    voice('rhvoice:lyubov', 'rhvoice-lyubov', 'female', 'CC BY-NC-ND 4.0, non-commercial use only'),
  ],
  espeakFormantVoices: 808, skippedVoices: [{ id: 'pico:en-GB', package: 'libttspico-utils' }],
  text: { sources: { fortunes: 100, 'jargon (held out)': 20 }, heldOutTextSource: 'jargon' },
  status: 'complete',
  summary: {
    splits: { train: row(100, 9.5), 'dev-speakers': row(10, 0.5), 'test-speakers': row(12, 0.52) },
    voices: {
      'flite:kal16': { train: row(40, 4) }, 'espeak-ng:mb-us1': { train: row(30, 3) }, 'espeak-ng:en-gb': { train: row(30, 2.5) },
      'espeak-ng:mb-us2': { 'dev-speakers': row(10, 0.5) }, 'rhvoice:lyubov': { 'test-speakers': row(12, 0.52) },
    },
    distinctVoices: { train: 3, 'dev-speakers': 1, 'test-speakers': 1 },
    speakers: { train: ['espeak-ng-formant', 'kal', 'mbrola-us1'], 'dev-speakers': ['mbrola-us2'], 'test-speakers': ['rhvoice-lyubov'] },
  },
};

const BEST: DecodingInfo = { search: 'greedy', text: 'best path, no LM' };
const LM: DecodingInfo = { search: 'beam', lm: 'lm.bin', lmUnit: 'word', lmOrder: 3, alpha: 0.5, beta: 1, beamWidth: 32, text: 'prefix beam search, width 32, word 3-gram LM (lm.bin), alpha 0.5, beta 1' };

/** An eval report of utterances [voice, speaker, ref, hyp], scored for real. */
function speechReport(items: [string, string, string, string][], decoding: DecodingInfo): EvalReport {
  const score = scoreTranscripts(items.map(([, , ref, hyp]) => ({ ref, hyp })));
  return evalReport({
    model: 'runs/english/model', manifest: 'test-speakers.jsonl', input: 'speech', decoding, seconds: 1, audioSeconds: 10, score,
    groups: { voiceGroup: scoreByGroup(score.utterances, (i) => items[i]![0]), speaker: scoreByGroup(score.utterances, (i) => items[i]![1]) },
  });
}

const options = (o: Partial<CardOptions>): CardOptions => ({ model: speechModel, cardName: 'MODEL_CARD.md', command: 'sayre card --model english', date: new Date('2026-12-05T12:00:00Z'), ...o });
const tableRow = (card: string, first: string): string[] => {
  const line = card.split('\n').find((l) => l.startsWith(`| ${first} |`));
  assert.ok(line, `no table row for ${first}`);
  return line.slice(2, -2).split(' | ');
};

test('a speech card: per-voice tables with best path and LM columns, speakers per split, licences, what it never heard', () => {
  const corpus = write('corpus.json', ttsCorpus);
  const best = write('ts-best.json', speechReport([
    ['espeak-ng:mb-us2', 'mbrola-us2', 'hello world', 'hello word'], // CER 1/11, WER 1/2
    ['rhvoice:lyubov', 'rhvoice-lyubov', 'good day', 'good day'],
  ], BEST));
  const lm = write('ts-lm.json', speechReport([
    ['espeak-ng:mb-us2', 'mbrola-us2', 'hello world', 'hello world'],
    ['rhvoice:lyubov', 'rhvoice-lyubov', 'good day', 'good bay'], // CER 1/8, WER 1/2
  ], LM));
  const card = modelCard(readCardInputs(options({ corpus, evals: [`test-speakers=${lm}`, `test-speakers=${best}`] }), lookups));

  assert.match(card, /^# english: model card/);
  assert.match(card, /\| parameters \| 1,234,567, stored as float16 \|/);
  assert.match(card, /3 x 176 BiLSTM CTC over 80 features a frame \(80 log-mel bins at 16000 Hz\), 3 frames stacked, every 3, 29 labels .*sliding-window CMVN \(300 frames\)/);
  assert.match(card, /config\.json [\d.]+ kB, model\.safetensors 2\.0 kB/);
  assert.doesNotMatch(card, /MODEL_CARD\.md \d/, 'the card itself is not a file of the model');
  assert.match(card, /\| training data \| 9\.50 h, 5,000 utterances \|/);
  assert.match(card, /\| training time to the best model \| 60\.0 min \(3,600 s\) \|/);
  assert.match(card, /\| best dev score \| CER 12\.34%, WER 34\.56% \|/);
  // Hours and speakers per split.
  assert.deepEqual(tableRow(card, 'train'), ['train', '100', '9.50', '1', '3', '2']);
  assert.deepEqual(tableRow(card, 'mbrola-us1'), ['mbrola-us1', 'female', 'espeak-ng:mb-us1', 'yes', '', '']);
  assert.deepEqual(tableRow(card, 'rhvoice-lyubov'), ['rhvoice-lyubov', 'female', 'rhvoice:lyubov', '', '', 'yes']);
  assert.match(card, /4 recorded speakers in all; 2 in train, 1 of them female/);
  // Licences: every voice with its terms; the non-commercial ones the model inherits (train voices only).
  assert.match(card, /\| rhvoice:lyubov \| rhvoice-lyubov \| female \| diphone \| pkg-rhvoice-lyubov \| CC BY-NC-ND 4\.0, non-commercial use only \|/);
  assert.match(card, /\| espeak-ng formant voices \(808\) \| espeak-ng-formant \| various \| formant \| espeak-ng-data \| GPL-3\+ \|/);
  assert.match(card, /- mbrola: non-commercial use only: espeak-ng:mb-us1\n/);
  assert.match(card, /- GPL-3\+: espeak-ng formant voices/);
  assert.match(card, /\*\*The model was trained on voices licensed for non-commercial use only \(espeak-ng:mb-us1\)/);
  assert.match(card, /pico:en-GB \(libttspico-utils\)/);
  // Never heard.
  assert.match(card, /Speakers of `dev-speakers` never heard in training: mbrola-us2/);
  assert.match(card, /Speakers of `test-speakers` never heard in training: rhvoice-lyubov/);
  assert.match(card, /the `jargon` source is read only by `test-speakers`/);
  assert.match(card, /klatt5/);
  assert.match(card, /the voices `flite:rms` and `flite:slt`/);
  // Results: best path before LM, figures from the reports.
  const perVoice = card.slice(card.indexOf('## Per voice'));
  assert.deepEqual(tableRow(perVoice, 'espeak-ng:mb-us2'), ['espeak-ng:mb-us2', 'mbrola-us2', 'male', 'diphone', '1', '9.09%', '50.00%', '0.00%', '0.00%']);
  assert.deepEqual(tableRow(perVoice, 'rhvoice:lyubov').slice(4), ['1', '0.00%', '0.00%', '12.50%', '50.00%']);
  assert.match(card, /\| voice \| speaker \| sex \| synthesis \| utterances \| CER best path \| WER best path \| CER with LM \| WER with LM \|/);
  assert.match(card, /\| test-speakers \| best path \| 2 \| 5\.26% \| 25\.00% \|/);
  assert.match(card, /\| test-speakers \| with LM \| 2 \| 5\.26% \| 25\.00% \|/);
  assert.match(card, /ts-lm\.json` \(2026-\d\d-\d\d; prefix beam search, width 32, word 3-gram LM \(lm\.bin\)/);
  assert.match(card, /sayre card --model english/);
});

/** corpus.json of a `sayre corpus tts --extend` build of ttsCorpus: train only, with `speakers` in it. */
const extension = (speakers: string[], voices = ttsCorpus.voices, base = dir): Record<string, unknown> => ({
  ...ttsCorpus, plan: { seed: 2 }, voices, extends: { corpus: base, utterances: 300, dropped: { text: 17, variant: 9, speaker: 0 } },
  summary: { splits: { train: row(300, 20.25) }, voices: {}, distinctVoices: { train: 5 }, speakers: { train: speakers } },
});

test('a speech card with an extension: its train row and what it left out; its speakers count as heard', () => {
  const corpus = write('corpus.json', ttsCorpus);
  const more = write('more.json', extension(['espeak-ng-formant', 'kal', 'mbrola-us1', 'arctic-bdl']));
  const card = modelCard(readCardInputs(options({ corpus, extensions: [more] }), lookups));
  assert.deepEqual(tableRow(card, 'train'), ['train', '100', '9.50', '1', '3', '2']);
  assert.deepEqual(tableRow(card, 'train, extension (seed 2)'), ['train, extension (seed 2)', '300', '20.25', '1', '5', '3']);
  assert.match(card, /also trained on `.*more\.json` \(`sayre corpus tts --extend`\).*less 17 that read a dev or test sentence of this corpus, 9 in the espeak-ng variants it keeps for test and 0 by its held-out speakers/);
  // a held-out speaker or a reserved voice in an extension's train is refused, naming the extension
  const leaked = write('leaked-more.json', extension(['kal', 'rhvoice-lyubov']));
  assert.throws(() => modelCard(readCardInputs(options({ corpus, extensions: [leaked] }), lookups)), /leaked-more\.json: held-out test speakers rhvoice-lyubov are in train/);
  const reserved = write('reserved-more.json', extension(['kal'], [...ttsCorpus.voices, voice('flite:rms', 'arctic-rms', 'male', 'x')]));
  assert.throws(() => modelCard(readCardInputs(options({ corpus, extensions: [reserved] }), lookups)), /reserved-more\.json: reserved voices in the corpus: flite:rms/);
  // only the corpus.json of an --extend build, and only beside the corpus it extends
  assert.throws(() => readCardInputs(options({ corpus, extensions: [corpus] }), lookups), /not the corpus\.json of a sayre corpus tts or sayre corpus lines --extend build/);
  assert.throws(() => readCardInputs(options({ extensions: [more] }), lookups), /--extension needs --corpus/);
  const other = write('other-more.json', extension(['kal'], ttsCorpus.voices, '/runs/another-corpus'));
  assert.throws(() => readCardInputs(options({ corpus, extensions: [other] }), lookups), /other-more\.json: extends \/runs\/another-corpus, not the corpus of --corpus/);
});

test('a streaming card: its figures beside the baseline model\'s on the splits and decodings both have; an LM shared from a sibling model counts in its size', () => {
  const streaming = modelDir('english-streaming', { inputDim: 80, hiddenSize: 256, numLayers: 4, numClasses: 29, bidirectional: false, frameStack: 3, frameStride: 3 },
    { frontEnd: { sampleRate: 16000, fbank: { numMelBins: 80 } }, cmvn: {}, lm: { file: '../english/lm.arpa.gz', unit: 'word', alpha: 1, beta: 0, beamWidth: 16 } });
  writeFileSync(join(speechModel, 'lm.arpa.gz'), new Uint8Array(5000));
  const mine = write('st-best.json', speechReport([['rhvoice:lyubov', 'rhvoice-lyubov', 'good day', 'god dag']], BEST)); // CER 2/8
  const mineLm = write('st-lm.json', speechReport([['rhvoice:lyubov', 'rhvoice-lyubov', 'good day', 'good dag']], LM)); // CER 1/8
  const theirs = write('bi-best.json', speechReport([['rhvoice:lyubov', 'rhvoice-lyubov', 'good day', 'good dag']], BEST)); // CER 1/8
  const card = modelCard(readCardInputs(options({ model: streaming, evals: [`test-speakers=${mine}`, `test-speakers=${mineLm}`], baseline: { name: 'english', evals: [`test-speakers=${theirs}`] } }), lookups));
  const beside = card.slice(card.indexOf('## Beside english'));
  assert.match(beside, /\| split \| decoding \| CER \| english CER \| ratio \| WER \| english WER \|/);
  assert.deepEqual(tableRow(beside, 'test-speakers'), ['test-speakers', 'best path', '25.00%', '12.50%', '2.00x', '100.00%', '50.00%']);
  assert.equal(beside.split('\n').filter((l) => l.startsWith('| test-speakers |')).length, 1, 'no row for a decoding the baseline was not scored with');
  assert.match(beside, /bi-best\.json` \(\d{4}-\d\d-\d\d; best path, no LM/);
  assert.match(card, /4 x 256 unidirectional LSTM CTC over 80 features/);
  assert.match(card, /\| language model \| \.\.\/english\/lm\.arpa\.gz \(5\.0 kB\), word n-gram, alpha 1, beta 0/);
  assert.match(card, /\.\.\/english\/lm\.arpa\.gz 5\.0 kB/);
  assert.throws(() => modelCard(readCardInputs(options({ model: streaming, evals: [`test=${mine}`], baseline: { name: 'english', evals: [`test-speakers=${theirs}`] } }), lookups)),
    /--baseline english: no report shares a split and decoding/);
});

test('a text-line card: per-font tables per rendering beside tesseract, fonts with licences, held-out families', () => {
  const lineModel = modelDir('text-lines', { type: 'crnn', height: 32, blocks: [{ channels: 16 }, { channels: 32 }], hiddenSize: 128, numLayers: 2, numClasses: 96 },
    { lm: { file: 'lm.arpa.gz', unit: 'char', alpha: 0.4, beta: 0, beamWidth: 16, unkScore: -3, wordLm: { file: 'word-lm.arpa.gz', alpha: 0.5 } }, info: { trainImages: 12000, trainSeconds: 600, startedFrom: { checkpoint: '/runs/text-lines/model/model.safetensors', part: 'weights', trainSeconds: 3000 },
      averageOf: [{ model: '/runs/a/model', weight: 0.75 }, { model: '/runs/b/model', weight: 0.25 }] } });
  writeFileSync(join(lineModel, 'lm.arpa.gz'), new Uint8Array(3000));
  writeFileSync(join(lineModel, 'word-lm.arpa.gz'), new Uint8Array(2000));
  const corpus = write('lines-corpus.json', {
    kind: 'sayre.lines-corpus/1', seed: 1, lines: 100, augmentation: 'strong', counts: { train: 90, dev: 5, test: 5, 'heldout-test': 4 },
    fonts: { train: ['Comic Neue', 'DejaVu Sans'], dev: ['Comic Neue'], test: ['DejaVu Sans'], 'heldout-test': ['Breip', 'Tuffy'] },
    candidateTexts: 1000, heldOutTexts: 50,
  });
  const entries = [
    { extra: { family: 'Breip', handwriting: true, rendering: 'plain' } }, { extra: { family: 'Tuffy', handwriting: false, rendering: 'plain' } },
    { extra: { family: 'Breip', handwriting: true, rendering: 'varied' } }, { extra: { family: 'Tuffy', handwriting: false, rendering: 'varied' } },
  ];
  const refs = ['abcd', 'efgh', 'ijkl', 'mnop'];
  const report = (hyps: string[], decoding: DecodingInfo): EvalReport => {
    const score = scoreTranscripts(refs.map((ref, i) => ({ ref, hyp: hyps[i]! })));
    return evalReport({ model: 'm', manifest: 'heldout-test.jsonl', input: 'lines', decoding, seconds: 1, score, groups: lineScoreGroups(score.utterances, entries), handwritingFamilies: handwritingFamilies(entries) });
  };
  const tess = scoreTranscripts(refs.map((ref, i) => ({ ref, hyp: ['abcx', 'efgh', 'xxxl', 'mnop'][i]! })));
  const bench: LinesBench = {
    format: LINES_BENCH_FORMAT, date: '2026-12-05T00:00:00Z', manifest: 'heldout-test.jsonl', model: 'm', handwritingFamilies: ['Breip'],
    systems: { tesseract: { decoding: 'tesseract --psm 7', seconds: 4, linesPerSecond: 1, total: scoreRow(tess, 4), groups: groupRows(lineScoreGroups(tess.utterances, entries)) } },
  };
  const card = modelCard(readCardInputs(options({
    model: lineModel, corpus,
    evals: [`heldout-test=${write('l-best.json', report(['abxd', 'efgh', 'ijkl', 'mnop'], BEST))}`, `heldout-test=${write('l-lm.json', report(['abcd', 'efgh', 'ijkl', 'mnop'], LM))}`],
    benches: [`heldout-test=${write('bench.json', bench)}`],
  }), lookups));
  assert.match(card, /CRNN: 2 convolution blocks \(channels 16-32\), 2 x 128 BiLSTM, CTC over 96 labels/);
  // a fine-tuned model: where its weights started, and the training behind them added in
  assert.match(card, /\| started from \| every weight of `\/runs\/text-lines\/model\/model\.safetensors`, after 50\.0 min of training behind it \|/);
  assert.match(card, /\| training time in all \| 60\.0 min \|/);
  // averaged weights (sayre average) say so
  assert.match(card, /\| weights \| the average of `\/runs\/a\/model` \(weight 0\.750\), `\/runs\/b\/model` \(weight 0\.250\) \(`sayre average`\); the other rows are the first model's \|/);
  assert.match(card, /\| language model \| lm\.arpa\.gz \(3\.0 kB\), character n-gram, alpha 0\.4, beta 0, beam 16; beside it the word n-gram word-lm\.arpa\.gz \(2\.0 kB\), alpha 0\.5, unknown word -3: used by default/);
  assert.match(card, /\| training data \| 12,000 line images \|/);
  assert.deepEqual(tableRow(card, 'heldout-test'), ['heldout-test', '4', '2', 'Breip, Tuffy']);
  assert.match(card, /\| Breip \| heldout-test \| fonts-breip \(main\) \| OFL-1\.1 \(Breip\) \|/);
  assert.match(card, /\| Tuffy \| heldout-test \| \? \| not found on this machine \|/);
  assert.match(card, /Font families of `heldout-test` in no train, dev or test line: Breip and Tuffy/);
  assert.match(card, /the fonts Kristi and Dancing Script/);
  assert.match(card, /### heldout-test, plain rendering\n\n\| font family \| kind \| lines \| CER best path \| WER best path \| CER with LM \| WER with LM \| CER tesseract \| WER tesseract \|/);
  const plain = card.slice(card.indexOf('### heldout-test, plain rendering'), card.indexOf('### heldout-test, varied rendering'));
  const varied = card.slice(card.indexOf('### heldout-test, varied rendering'));
  assert.deepEqual(tableRow(plain, 'Breip'), ['Breip', 'handwriting-like', '1', '25.00%', '100.00%', '0.00%', '0.00%', '25.00%', '100.00%']);
  assert.deepEqual(tableRow(plain, '**all**'), ['**all**', '', '2', '12.50%', '50.00%', '0.00%', '0.00%', '12.50%', '50.00%']);
  assert.deepEqual(tableRow(varied, 'Breip'), ['Breip', 'handwriting-like', '1', '0.00%', '0.00%', '0.00%', '0.00%', '75.00%', '100.00%']);
  assert.deepEqual(tableRow(varied, '**all regular**'), ['**all regular**', '', '1', '0.00%', '0.00%', '0.00%', '0.00%', '0.00%', '0.00%']);
  assert.match(card, /\| heldout-test \| tesseract \| 4 \| 25\.00% \| 50\.00% \|/);
});

test('a text-line card with an extension: its train row and what it left out; a held-out family in its train is refused', () => {
  const lineModel = modelDir('lines-ext', { type: 'crnn', height: 48, blocks: [{ channels: 16 }], hiddenSize: 8, numLayers: 1, numClasses: 96 });
  const corpus = write('lines-base.json', {
    kind: 'sayre.lines-corpus/1', seed: 1, counts: { train: 90, test: 5, 'heldout-test': 4 },
    fonts: { train: ['Comic Neue', 'DejaVu Sans'], test: ['DejaVu Sans'], 'heldout-test': ['Breip', 'Tuffy'] },
  });
  const ext = (train: string[], name: string): string => write(name, {
    kind: 'sayre.lines-corpus/1', seed: 2, counts: { train: 80 }, fonts: { train }, extends: { corpus: dir, lines: 80, dropped: { text: 3, family: 0 } },
  });
  const card = modelCard(readCardInputs(options({ model: lineModel, corpus, extensions: [ext(['Comic Neue', 'DejaVu Sans'], 'lines-more.json')] }), lookups));
  assert.deepEqual(tableRow(card, 'train, extension (seed 2)'), ['train, extension (seed 2)', '80', '2', 'Comic Neue, DejaVu Sans']);
  assert.match(card, /also trained on `.*lines-more\.json` \(`sayre corpus lines --extend`\).*less 3 whose text is a dev, test or held-out text of this corpus and 0 in its held-out families/);
  assert.match(card, /Font families of `heldout-test` in no train, dev or test line: Breip and Tuffy/);
  const leaked = ext(['Comic Neue', 'Breip'], 'lines-leaked.json');
  assert.throws(() => modelCard(readCardInputs(options({ model: lineModel, corpus, extensions: [leaked] }), lookups)), /lines-leaked\.json: held-out font families Breip are in train/);
  // an extension of the other kind than the corpus is refused
  assert.throws(() => readCardInputs(options({ model: lineModel, corpus: write('tts-base.json', ttsCorpus), extensions: [ext(['Comic Neue'], 'lines-x.json')] }), lookups),
    /--extension needs --corpus: the line corpus it extends/);
});

test('missing or contradictory inputs give errors that name the file', () => {
  const card = (o: Partial<CardOptions>): string => modelCard(readCardInputs(options(o), lookups));
  assert.throws(() => card({ model: join(dir, 'nowhere') }), /nowhere: not a model directory \(no config\.json\)/);
  assert.throws(() => card({ corpus: join(dir, 'absent.json') }), /absent\.json: no such file \(--corpus\)/);
  assert.throws(() => card({ evals: ['test.json'] }), /--eval test\.json: expected SPLIT=FILE/);
  assert.throws(() => card({ evals: [`test=${join(dir, 'gone.json')}`] }), /gone\.json: no such file \(--eval test\)/);
  const text = write('report.txt', '%WER 10.00 [ 1 / 10, 0 ins, 0 del, 1 sub ]\n%CER 2.00 [ 1 / 50, 0 ins, 0 del, 1 sub ]\n');
  assert.throws(() => card({ evals: [`test=${text}`] }), /report\.txt: a text report; give the JSON one \(sayre eval --json-report FILE\)/);
  const building = write('building.json', { ...ttsCorpus, status: 'building', summary: undefined });
  assert.throws(() => card({ corpus: building }), /building\.json: the corpus build has not finished \(status "building"/);
  const lines = write('lc.json', { kind: 'sayre.lines-corpus/1', counts: {}, fonts: { train: ['Comic Neue'] } });
  assert.throws(() => card({ corpus: lines }), /lc\.json: a text-line corpus, but .*english is a speech model/);
  const a = write('a.json', speechReport([['flite:kal16', 'kal', 'a b', 'a b']], BEST));
  const b = write('b.json', speechReport([['flite:kal16', 'kal', 'a b', 'a c']], BEST));
  assert.throws(() => card({ evals: [`test=${a}`, `test=${b}`] }), /a\.json and .*b\.json: two reports of split test decode alike \(best path\)/);
  const leaky = write('leaky.json', { ...ttsCorpus, voices: [...ttsCorpus.voices, voice('flite:slt', 'arctic-slt', 'female', 'x')] });
  assert.throws(() => card({ corpus: leaky }), /leaky\.json: reserved voices in the corpus: flite:slt/);
  const leakedSpeaker = write('leaked-speaker.json', { ...ttsCorpus, summary: { ...ttsCorpus.summary, speakers: { ...ttsCorpus.summary.speakers, train: ['kal', 'mbrola-us2'] } } });
  assert.throws(() => card({ corpus: leakedSpeaker }), /leaked-speaker\.json: held-out dev speakers mbrola-us2 are in train/);
  const lineModel = modelDir('lines-x', { type: 'crnn', height: 32, blocks: [], hiddenSize: 8, numLayers: 1, numClasses: 5 });
  const reservedFont = write('reserved-font.json', { kind: 'sayre.lines-corpus/1', counts: {}, fonts: { train: ['Comic Neue', 'DancingScript'] } });
  assert.throws(() => card({ model: lineModel, corpus: reservedFont }), /reserved-font\.json: reserved fonts in the corpus: DancingScript/);
  const weird = write('weird.json', { hello: 1 });
  assert.throws(() => card({ corpus: weird }), /weird\.json: neither a corpus\.json of sayre corpus tts/);
});
