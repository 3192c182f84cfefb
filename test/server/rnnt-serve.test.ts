import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readWav } from '../../src/audio/wav-read.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { decodeUtterance } from '../../src/recognizer/transcription-json.js';
import { loadRecognizer } from '../../src/server/recognizer-setup.js';
import { WorkerEngine } from '../../src/server/worker-engine.js';
import { makeTinyRnntModelDir, SAMPLES } from '../helpers/tiny-rnnt-model.js';

const hello = readWav(new URL('hello.wav', SAMPLES).pathname);
const ARPA = '\\data\\\nngram 1=4\n\n\\1-grams:\n-1\t</s>\n-99\t<s>\n-0.5\thello\n-1.5\t<unk>\n\n\\end\\\n';

test('sayre serve decodes RNN-T models: greedy, or by beam search with an LM, as sayre transcribe does', async () => {
  const modelDir = makeTinyRnntModelDir();
  const lm = join(mkdtempSync(join(tmpdir(), 'sayre-rnnt-serve-')), 'lm.arpa');
  writeFileSync(lm, ARPA);
  // the thread's decoding is the Recognizer's with the same setup
  const setup = { modelDir, lm, alpha: 0.7, beta: 0.5, beamWidth: 4 };
  const loaded = loadRecognizer(setup);
  assert.equal(loaded.decoder?.search, 'beam');
  assert.equal(loaded.decoder?.config.rnntSearch, undefined); // the modified beam search
  const direct = decodeUtterance(loaded.rec, hello.samples, hello.sampleRate, 'tiny-rnnt', loaded.decoder);
  assert.equal(direct.frames, 0); // a transducer has no output matrix to draw
  const rec = Recognizer.load(modelDir);
  const viaLoad = loadRecognizer(setup);
  assert.equal(direct.result.text, rec.transcribe(hello.samples, hello.sampleRate, { decoder: viaLoad.decoder }).text);

  for (const [s, decoder] of [[{ modelDir }, 'greedy'], [setup, 'beam']] as const) {
    const engine = await WorkerEngine.create(s);
    try {
      assert.equal(engine.decoder, decoder);
      // (the engine takes the samples' buffer over to its thread: send a copy)
      const r = await engine.start({ samples: hello.samples.slice(), sampleRate: hello.sampleRate }).result;
      assert.equal(r.decoder, decoder);
      assert.equal(r.model, 'tiny-rnnt');
      assert.equal(r.words.map((w) => w.word).join(' '), r.text);
      const want = rec.transcribe(hello.samples, hello.sampleRate, decoder === 'beam' ? { decoder: loadRecognizer(s).decoder } : {});
      assert.equal(r.text, want.text);
    } finally {
      await engine.close();
    }
  }
});
