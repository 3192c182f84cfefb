import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readWav } from '../../src/audio/wav-read.js';
import { JsBackend } from '../../src/backend/index.js';
import type { DecoderConfig } from '../../src/decode/decoder.js';
import { buildKneserNey } from '../../src/decode/lm/kneser-ney.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import type { StreamResult } from '../../src/recognizer/recognizer-stream.js';
import { makeTinyModelDir, SAMPLES } from '../helpers/tiny-model.js';
import { LATENCY_CONTROLLED, makeTinyStreamingCtcDir, makeTinyStreamingRnntDir } from '../helpers/tiny-streaming-model.js';

// The JavaScript backend's products do not depend on how many rows they get, so the streamed
// network output equals the offline one bit for bit and the results can be compared exactly.
const backend = new JsBackend();

const ctcDir = makeTinyStreamingCtcDir();
const rnntDir = makeTinyStreamingRnntDir();
// bidirectional layers whose reverse direction reads chunks of 3 frames and 2 more
const lcCtcDir = makeTinyStreamingCtcDir('lc-ctc', LATENCY_CONTROLLED);
const lcRnntDir = makeTinyStreamingRnntDir('lc-rnnt', LATENCY_CONTROLLED);

const lm = buildKneserNey(['the cat sat', 'hello there', 'the weather is fine', 'a quick brown fox'].map((s) => s.split(' ')), { order: 2, discountFallback: [0.5, 1, 1.5] }).model;

/** Feeds `samples` in chunks of the given sizes (cycled), decoding after each; returns the final result and the partials' texts. */
function streamed(rec: Recognizer, samples: Float32Array, rate: number, sizes: number[], config: DecoderConfig): { final: StreamResult; partials: string[] } {
  // no endpoint inside these utterances: the comparison is over the whole audio
  const s = rec.createStream({ decoder: rec.decoder(config), endpoint: { rule1: { minTrailingSilence: 1e9 }, rule2: { minTrailingSilence: 1e9 }, rule3: { minUtteranceLength: 1e9 } } });
  const partials: string[] = [];
  for (let at = 0, i = 0; at < samples.length; i++) {
    const n = sizes[i % sizes.length]!;
    s.acceptWaveform(samples.subarray(at, at + n), rate);
    rec.decode(s);
    partials.push(s.partial().text);
    at += n;
  }
  s.inputFinished();
  rec.decode(s);
  return { final: s.final(), partials };
}

const CHUNKS = [[1600], [7, 333], [4001], [1_000_000]];

const ctcConfigs = { greedy: {}, 'prefix beam': { beamWidth: 8 }, 'prefix beam + LM': { beamWidth: 8, lm, alpha: 0.5, beta: 1 } } as const;
const rnntConfigs = { greedy: {}, 'modified beam': { beamWidth: 4 }, 'Graves beam': { beamWidth: 4, rnntSearch: 'graves' }, 'modified beam + LM': { beamWidth: 4, lm, alpha: 0.5 } } as const;

for (const [kind, dir, configs] of [
  ['CTC', ctcDir, ctcConfigs],
  ['RNN-T', rnntDir, rnntConfigs],
  ['latency-controlled CTC', lcCtcDir, ctcConfigs],
  ['latency-controlled RNN-T', lcRnntDir, rnntConfigs],
] as const) {
  describe(`a streaming ${kind} model's stream`, () => {
    const rec = Recognizer.load(dir, { backend });
    for (const file of ['hello.wav', 'weather.wav']) {
      const wav = readWav(new URL(file, SAMPLES).pathname);
      for (const [name, config] of Object.entries(configs) as [string, DecoderConfig][]) {
        it(`${file} (${wav.sampleRate} Hz), ${name}: the streamed result equals the offline one for any chunk sizes`, () => {
          const offline = rec.transcribe(wav.samples, wav.sampleRate, { decoder: rec.decoder(config) });
          if (!config.search && !config.beamWidth) assert.ok(offline.tokens.length > 2, 'the random model says something');
          for (const sizes of CHUNKS) {
            const { final } = streamed(rec, wav.samples, wav.sampleRate, sizes, config);
            const what = `chunks of ${sizes}`;
            assert.equal(final.text, offline.text, what);
            assert.deepEqual(final.tokens, offline.tokens, what);
            assert.deepEqual(final.timesteps, offline.timesteps, what);
            assert.equal(final.score, offline.score, what);
            assert.deepEqual(final.words, offline.words, what);
            assert.equal(final.start, 0);
            assert.equal(final.end, Math.round(wav.samples.length / wav.sampleRate * 1000) / 1000);
          }
        });
      }
    }

    it('gives the offline result for one-sample chunks too (greedy and beam, the first half second)', () => {
      const wav = readWav(new URL('hello.wav', SAMPLES).pathname);
      const clip = wav.samples.subarray(0, Math.round(wav.sampleRate / 2));
      for (const config of Object.values(configs).slice(0, 2) as DecoderConfig[]) {
        const offline = rec.transcribe(clip, wav.sampleRate, { decoder: rec.decoder(config) });
        const { final } = streamed(rec, clip, wav.sampleRate, [1], config);
        assert.deepEqual([final.tokens, final.timesteps, final.score], [offline.tokens, offline.timesteps, offline.score]);
      }
    });

    it('decodes several streams together (shared encoder products), each with its offline result', () => {
      const config: DecoderConfig = Object.values(configs)[1]!;
      const audio = ['hello.wav', 'fox.wav', 'weather.wav'].map((f) => readWav(new URL(f, SAMPLES).pathname));
      const streams = audio.map(() => rec.createStream({ decoder: rec.decoder(config) }));
      const sizes = [1600, 999, 4410];
      const ats = [0, 0, 0];
      while (audio.some((a, i) => ats[i]! < a.samples.length)) {
        audio.forEach((a, i) => {
          if (ats[i]! >= a.samples.length) return;
          streams[i]!.acceptWaveform(a.samples.subarray(ats[i]!, ats[i]! + sizes[i]!), a.sampleRate);
          ats[i]! += sizes[i]!;
          if (ats[i]! >= a.samples.length) streams[i]!.inputFinished();
        });
        rec.decode(...streams);
      }
      audio.forEach((a, i) => {
        const offline = rec.transcribe(a.samples, a.sampleRate, { decoder: rec.decoder(config) });
        const final = streams[i]!.final();
        assert.deepEqual([final.tokens, final.timesteps, final.score], [offline.tokens, offline.timesteps, offline.score], `stream ${i}`);
      });
    });

    it('gives greedy partials that grow into the final text', () => {
      const wav = readWav(new URL('hello.wav', SAMPLES).pathname);
      const { final, partials } = streamed(rec, wav.samples, wav.sampleRate, [1600], {});
      assert.ok(new Set(partials).size > 1, 'the partial result changes as audio arrives');
      [...partials, final.text].reduce((a, b) => {
        assert.ok(b.startsWith(a), `${JSON.stringify(a)} then ${JSON.stringify(b)}`);
        return b;
      });
    });
  });
}

describe('a stream over a bidirectional (offline) model', () => {
  it('re-decodes the utterance: its final equals transcribe(), and partials come as audio arrives', () => {
    const rec = Recognizer.load(makeTinyModelDir(), { backend });
    const wav = readWav(new URL('fox.wav', SAMPLES).pathname);
    const offline = rec.transcribe(wav.samples, wav.sampleRate);
    const { final, partials } = streamed(rec, wav.samples, wav.sampleRate, [1600], {});
    assert.equal(final.text, offline.text);
    assert.deepEqual(final.words, offline.words);
    assert.ok(partials.filter((p) => p !== '').length > 3);
  });
});

describe('stream endpoints', () => {
  for (const vad of [undefined, { kind: 'energy' } as const]) it(`ends an utterance at a pause, then goes on with the next on the stream's clock (${vad?.kind ?? 'default'} VAD)`, () => {
    const rec = Recognizer.load(ctcDir, { backend });
    const a = readWav(new URL('fox.wav', SAMPLES).pathname).samples;
    const b = readWav(new URL('call.wav', SAMPLES).pathname).samples;
    const audio = new Float32Array(a.length + 32000 + b.length + 32000);
    audio.set(a);
    audio.set(b, a.length + 32000);
    const s = rec.createStream(vad ? { vad } : {});
    const finals: StreamResult[] = [];
    for (let at = 0; at < audio.length; at += 1600) {
      s.acceptWaveform(audio.subarray(at, at + 1600), 16000);
      rec.decode(s);
      if (s.isEndpoint()) {
        finals.push(s.final());
        s.reset();
      }
    }
    assert.equal(finals.length, 2, `finals: ${JSON.stringify(finals.map((f) => [f.start, f.end]))}`);
    const speechEnd = a.length / 16000;
    // rule 2 fires 0.8 s after the speech, give or take the VAD's edge and a chunk
    assert.ok(finals[0]!.end > speechEnd + 0.7 && finals[0]!.end < speechEnd + 1.0, `first final ends at ${finals[0]!.end}`);
    assert.equal(finals[1]!.start, finals[0]!.end);
    for (const w of finals[1]!.words) assert.ok(w.start >= finals[1]!.start, 'words on the stream clock');
    assert.throws(() => { s.inputFinished(); s.acceptWaveform(new Float32Array(1), 16000); }, /after inputFinished\(\) or final\(\)/);
  });

  it('refuses VAD options of the other kind when the stream is created', () => {
    const rec = Recognizer.load(ctcDir, { backend });
    assert.throws(() => rec.createStream({ vad: { marginDb: 10 } as never }), /marginDb is an option of the energy VAD/);
  });
});
