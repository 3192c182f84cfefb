/**
 * Speaks one planned utterance: the engine writes a WAV, sox converts it to mono 16-bit at
 * the corpus rate and applies the speed, reverb and telephone effects, and the noise is
 * added here (seeded, so a rebuild gives the same audio). The result lands at its final
 * path by an atomic rename.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { readWav } from '../../audio/wav-read.js';
import { writeWav } from '../../audio/wav-write.js';
import { addNoise } from './add-noise.js';
import type { FestivalSessions } from './festival-sessions.js';
import type { PlannedUtterance } from './plan.js';
import { runProcess } from '../run-process.js';
import { assertNotReserved } from './voices.js';

/** Runs the utterance's engine, writing its native WAV to `path`. */
export async function speak(u: PlannedUtterance, path: string, festival: FestivalSessions): Promise<void> {
  assertNotReserved(u.voice.id);
  const { voice, tts, text } = u;
  if (voice.engine === 'espeak-ng') {
    await runProcess('espeak-ng', ['-v', voice.name, '-s', String(tts.rate ?? 175), '-p', String(tts.pitch ?? 50), '-w', path, text]);
  } else if (voice.engine === 'flite') {
    await runProcess('flite', ['-voice', voice.name, '--setf', `duration_stretch=${tts.stretch ?? 1}`, '-t', text, '-o', path]);
  } else {
    const errors = await festival.speak(voice.name, tts.stretch ?? 1, text, path);
    if (!existsSync(path)) throw new Error(`festival wrote no ${path}: ${errors}`);
  }
}

/** sox effects for the utterance's augmentation. */
export function soxEffects(u: PlannedUtterance): string[] {
  const a = u.augmentation;
  if (!a) return [];
  const fx: string[] = [];
  if (a.speed !== undefined) fx.push('speed', String(a.speed));
  if (a.reverb !== undefined) fx.push('reverb', String(a.reverb));
  // Telephone: the 300-3400 Hz band.
  if (a.telephone) fx.push('sinc', '300-3400');
  // Peak-normalise to -2 dBFS: reverb and speed can push the signal past full scale.
  fx.push('gain', '-n', '-2');
  return fx;
}

/**
 * Synthesises `u` to `finalPath` at `sampleRate` (mono, 16-bit), using `tmpBase` + suffixes
 * for intermediate files and `festival` for festival voices, and returns its duration in seconds.
 */
export async function synthesise(u: PlannedUtterance, finalPath: string, tmpBase: string, sampleRate: number,
  festival: FestivalSessions): Promise<number> {
  const enginePath = `${tmpBase}.engine.wav`;
  const soxPath = `${tmpBase}.sox.wav`;
  try {
    await speak(u, enginePath, festival);
    // -D: no dither, so that the output is deterministic.
    await runProcess('sox', ['-D', enginePath, '-r', String(sampleRate), '-c', '1', '-b', '16', '-e', 'signed-integer', soxPath, ...soxEffects(u), 'rate', '-v', String(sampleRate)]);
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
    rmSync(enginePath, { force: true });
    rmSync(soxPath, { force: true });
  }
}
