/**
 * Speaks one planned utterance: the engine writes a WAV (speak.ts), sox converts it to
 * mono 16-bit at the corpus rate and applies the perturbation's effects (perturbation.ts),
 * a second sox pass takes it through the GSM codec where asked, and the noise is added
 * here (seeded, so a rebuild gives the same audio). The result lands at its final path by
 * an atomic rename.
 */
import { renameSync, rmSync } from 'node:fs';
import { readWav } from '../../audio/wav-read.js';
import { writeWav } from '../../audio/wav-write.js';
import { addNoise } from './add-noise.js';
import type { FestivalSessions } from './festival-sessions.js';
import { soxEffects } from './perturbation.js';
import type { PlannedUtterance } from './plan.js';
import { runProcess } from '../run-process.js';
import { speak } from './speak.js';

const PCM16 = ['-c', '1', '-b', '16', '-e', 'signed-integer'];

/**
 * Synthesises `u` to `finalPath` at `sampleRate` (mono, 16-bit), using `tmpBase` + suffixes
 * for intermediate files and `festival` for festival voices, and returns its duration in seconds.
 */
export async function synthesise(u: PlannedUtterance, finalPath: string, tmpBase: string, sampleRate: number,
  festival: FestivalSessions): Promise<number> {
  const enginePath = `${tmpBase}.engine.wav`;
  const soxPath = `${tmpBase}.sox.wav`;
  const gsmPath = `${tmpBase}.gsm`;
  try {
    await speak(u, enginePath, festival);
    // -D: no dither, so that the output is deterministic. The effects run at the corpus rate
    // (engines write 8 to 24 kHz), then speed's rate change is undone.
    const rate = ['rate', '-v', String(sampleRate)];
    await runProcess('sox', ['-D', enginePath, '-r', String(sampleRate), ...PCM16, soxPath, ...rate, ...soxEffects(u.augmentation, sampleRate), ...rate]);
    if (u.augmentation?.gsm) {
      // GSM 06.10 works at 8 kHz: down, through the codec, and back up to the corpus rate.
      await runProcess('sox', ['-D', soxPath, '-r', '8000', '-c', '1', '-t', 'gsm', gsmPath]);
      await runProcess('sox', ['-D', '-t', 'gsm', '-r', '8000', '-c', '1', gsmPath, '-r', String(sampleRate), ...PCM16, soxPath]);
    }
    const audio = readWav(soxPath);
    if (audio.sampleRate !== sampleRate) throw new Error(`${soxPath}: sox wrote ${audio.sampleRate} Hz, not ${sampleRate}`);
    const a = u.augmentation;
    if (a?.noiseSnrDb !== undefined) {
      addNoise(audio.samples, sampleRate, a.noiseSnrDb, a.noiseColour ?? 'white', u.seed);
      // Keep the peak below full scale.
      let peak = 0;
      for (const v of audio.samples) peak = Math.max(peak, Math.abs(v));
      if (peak > 0.99) for (let i = 0; i < audio.samples.length; i++) audio.samples[i]! *= 0.99 / peak;
      writeWav(finalPath, audio.samples, sampleRate);
    } else {
      renameSync(soxPath, finalPath);
    }
    return audio.samples.length / sampleRate;
  } finally {
    for (const p of [enginePath, soxPath, gsmPath]) rmSync(p, { force: true });
  }
}
