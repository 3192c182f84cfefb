/** The model and training sections of a card, from config.json and the directory's files. */
import type { CardInputs } from './inputs.js';
import { count, hours, pct, size, table } from './markdown.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The network in words, from config.json's "model" (and "frontEnd"). */
export function architecture(config: Json): string {
  const m = obj(config['model']);
  const layers = num(m['numLayers']) ?? 1, hidden = num(m['hiddenSize']);
  const lc = obj(m['latencyControl']);
  const kind = m['bidirectional'] === false ? 'unidirectional LSTM'
    : m['latencyControl'] ? `latency-controlled BiLSTM (chunks of ${num(lc['chunk'])} frames, ${num(lc['rightContext'])} of right context)` : 'BiLSTM';
  const lstm = `${layers} x ${hidden} ${kind}`;
  const labels = `${num(m['numClasses'])} labels (blank included)`;
  if (m['type'] === 'crnn') {
    const blocks = Array.isArray(m['blocks']) ? (m['blocks'] as Json[]) : [];
    return `CRNN: ${blocks.length} convolution blocks (channels ${blocks.map((b) => num(b['channels'])).join('-')}), ${lstm}, CTC over ${labels}; `
      + `reads text-line images scaled to ${num(m['height'])} rows`;
  }
  const fe = obj(config['frontEnd']);
  const mels = num(obj(fe['fbank'])['numMelBins']);
  const input = `${num(m['inputDim'])} features a frame${mels ? ` (${mels} log-mel bins at ${num(fe['sampleRate']) ?? 16000} Hz)` : ''}`;
  const stack = (num(m['frameStack']) ?? 1) > 1 ? `, ${num(m['frameStack'])} frames stacked, every ${num(m['frameStride']) ?? 1}` : '';
  const sliding = obj(fe['slidingCmvn']);
  const norm = num(sliding['window']) ? `; causal sliding-window CMVN (${num(sliding['window'])} frames) then global CMVN` : config['cmvn'] ? '; global CMVN' : '';
  if (m['type'] === 'rnnt') {
    return `RNN Transducer: ${lstm} encoder over ${input}${stack}; prediction network ${num(m['predNumLayers']) ?? 1} x ${num(m['predHiddenSize']) ?? hidden} LSTM, `
      + `joint ${num(m['jointDim']) ?? hidden}, ${labels}${norm}`;
  }
  return `${lstm} CTC over ${input}${stack}, ${labels}${norm}`;
}

/** The "Model" section. */
export function modelSection(c: CardInputs): string {
  const lm = obj(c.config['lm']);
  const lmFile = typeof lm['file'] === 'string' ? lm['file'] : undefined;
  /** A file of the directory with its size, e.g. "lm.arpa.gz (7.0 MB)". */
  const sized = (name: string): string => {
    const b = c.files.find((f) => f.name === name)?.bytes;
    return `${name} (${b === undefined ? 'file missing' : size(b)})`;
  };
  const wordLmText = (): string => {
    const w = obj(lm['wordLm']);
    if (typeof w['file'] !== 'string') return '';
    return `; beside it the word n-gram ${sized(w['file'])}, alpha ${num(w['alpha'])}${lm['unkScore'] !== undefined ? `, unknown word ${num(lm['unkScore'])}` : ''}`;
  };
  const rows: string[][] = [
    ['architecture', architecture(c.config)],
    ['parameters', `${count(c.parameters)}, stored as ${c.storedAs}`],
    ['size on disk', `${c.files.map((f) => `${f.name} ${size(f.bytes)}`).join(', ')}; ${size(c.files.reduce((a, f) => a + f.bytes, 0))} in all`],
  ];
  const tokenizer = obj(c.config['tokenizer']);
  if (typeof tokenizer['alphabet'] === 'string') rows.push(['output alphabet', `\`${JSON.stringify(tokenizer['alphabet']).slice(1, -1)}\``]);
  if (lmFile) {
    rows.push(['language model', `${sized(lmFile)}, ${lm['unit'] === 'char' ? 'character' : 'word'} n-gram, `
      + `alpha ${num(lm['alpha'])}, beta ${num(lm['beta'])}${num(lm['labelBonus']) ? `, label bonus ${num(lm['labelBonus'])}` : ''}, beam ${num(lm['beamWidth'])}${wordLmText()}: used by default; \`--no-lm\` decodes by best path`]);
  } else {
    rows.push(['language model', 'none in the model directory (best path by default; `--lm FILE` decodes with one)']);
  }
  return `## Model\n\n${table(['', ''], rows)}`;
}

/** The "Training" section, from config.json's "info" (what the trainer stores with the best model). */
export function trainingSection(c: CardInputs): string {
  const info = obj(c.config['info']);
  if (Object.keys(info).length === 0) return '## Training\n\nconfig.json records no training facts ("info"): this model directory was not written by `sayre train`.';
  const rows: string[][] = [];
  const h = num(info['trainHours']), utts = num(info['trainUtterances']), images = num(info['trainImages']);
  if (h !== undefined || utts !== undefined) rows.push(['training data', [h !== undefined ? `${hours(h)} h` : '', utts !== undefined ? `${count(utts)} utterances` : ''].filter(Boolean).join(', ')]);
  if (images !== undefined) rows.push(['training data', `${count(images)} line images`]);
  const secs = num(info['trainSeconds']);
  if (secs !== undefined) rows.push(['training time to the best model', `${(secs / 60).toFixed(1)} min (${count(secs)} s)`]);
  const from = obj(info['startedFrom']);
  if (typeof from['checkpoint'] === 'string') {
    const before = num(from['trainSeconds']);
    rows.push(['started from', `${from['part'] === 'encoder' ? 'the encoder of' : 'every weight of'} \`${from['checkpoint']}\``
      + (before !== undefined ? `, after ${(before / 60).toFixed(1)} min of training behind it` : '')]);
    if (before !== undefined && secs !== undefined) rows.push(['training time in all', `${((before + secs) / 60).toFixed(1)} min`]);
  }
  const averaged = Array.isArray(info['averageOf']) ? info['averageOf'].map(obj) : [];
  if (averaged.length > 0) {
    rows.push(['weights', `the average of ${averaged.map((a) => `\`${String(a['model'])}\` (weight ${num(a['weight'])?.toFixed(3) ?? '?'})`).join(', ')} (\`sayre average\`); the other rows are the first model's`]);
  }
  const epoch = num(info['epoch']);
  if (epoch !== undefined) rows.push(['best model', `epoch ${epoch}, step ${num(info['step']) ?? '?'}${num(info['phase']) === 2 ? ', weight-noise phase' : ''}`]);
  if (num(info['devCer']) !== undefined) rows.push(['best dev score', `CER ${pct(num(info['devCer']))}, WER ${pct(num(info['devWer']))}`]);
  const recipe = obj(info['recipe']);
  for (const [k, v] of Object.entries(recipe)) if (v !== null && v !== undefined) rows.push([`recipe: ${k}`, `\`${JSON.stringify(v)}\``]);
  return `## Training\n\nFrom config.json's "info" (written by \`sayre train\` with the best model).\n\n${table(['', ''], rows)}`;
}
