import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fbank } from '../../src/audio/fbank.js';
import { computeFeatures, resolveFrontEnd, type FrontEndConfig } from '../../src/audio/front-end.js';
import { resample } from '../../src/audio/resample.js';
import { readWav } from '../../src/audio/wav-read.js';
import { writeWav } from '../../src/audio/wav-write.js';
import { readSafetensors, writeSafetensors } from '../../src/model/io/safetensors.js';
import { assertClose } from '../helpers/compare.js';
import { repoPath, runPython, torchMissing } from './python.js';

const skip = torchMissing('torchaudio');

/** The front ends compared: global CMVN only, sliding-window and per-utterance normalisation. */
const FRONT_ENDS: FrontEndConfig[] = [
  { sampleRate: 16000, fbank: { numMelBins: 23 } },
  { sampleRate: 16000, fbank: { numMelBins: 23 }, slidingCmvn: { window: 40 } },
  { sampleRate: 16000, fbank: { numMelBins: 23 }, slidingCmvn: { window: 25, normVars: true, varianceFloor: 0.1 } },
  { sampleRate: 16000, fbank: { numMelBins: 23 }, slidingCmvn: { window: 40, normVars: true, skipSilence: true } },
  { sampleRate: 16000, fbank: { numMelBins: 23 }, utteranceCmvn: {} },
  { sampleRate: 16000, fbank: { numMelBins: 20 }, utteranceCmvn: { normVars: true } },
].map((f) => resolveFrontEnd(f));

describe('sayre_torch.features (Debian python3-torch and torchaudio)', { skip }, () => {
  it('normalises as sayre does (sliding-window with and without skipSilence, and per-utterance CMVN), and its whole front end gives sayre\'s features', () => {
    const work = mkdtempSync(join(tmpdir(), 'sayre-torch-features-'));
    const hello = readWav(repoPath('samples/hello.wav'));
    const wav = join(work, 'hello-16k.wav'); // at the model's rate: the resamplers differ, the front ends may not
    // Digital silence before and between two readings: skipSilence leaves it out of the window.
    const speech = resample(hello.samples, hello.sampleRate, 16000);
    const padded = new Float32Array(8000 + 2 * speech.length + 12000);
    padded.set(speech, 8000);
    padded.set(speech, 8000 + speech.length + 12000);
    writeWav(wav, padded, 16000);
    const audio = readWav(wav);
    const raw = FRONT_ENDS.map((f) => fbank(audio.samples, 16000, f.fbank));
    writeFileSync(join(work, 'cases.json'), JSON.stringify(FRONT_ENDS.map((frontEnd) => ({ frontEnd, wav }))));
    writeSafetensors(join(work, 'raw.safetensors'), raw.map((r, i) => [`raw.${i}`, { shape: [r.frames, r.dim], data: r.data }]));
    runPython([repoPath('test/python/torch_features.py'), join(work, 'cases.json'), join(work, 'raw.safetensors'), join(work, 'out.safetensors')]);
    const torch = readSafetensors(join(work, 'out.safetensors')).tensors;
    FRONT_ENDS.forEach((f, i) => {
      const what = JSON.stringify(f);
      const normalised = computeFeatures(audio.samples, 16000, f).data;
      // The same filterbank in: the normalisations agree to float32 rounding.
      assertClose(torch.get(`normalised.${i}`)!.data as Float32Array, normalised, 1e-5, `normalisation of ${what}`);
      // torchaudio's filterbank in: as close as sayre's fbank is to torchaudio's (test/audio/fbank.test.ts).
      assertClose(torch.get(`features.${i}`)!.data as Float32Array, normalised, 2e-3, `front end ${what}`);
    });
  });
});
