/**
 * Runs one planned utterance's engine, writing its native WAV. espeak-ng, flite, RHVoice
 * and Pico start quickly (well under a tenth of the audio they make), so each utterance is
 * one process; festival, slow to start, runs as long-lived processes (festival-sessions.ts).
 * The engine's F0 factor (tts.f0) is the first half of a vocal-tract-length change.
 */
import { existsSync } from 'node:fs';
import type { FestivalSessions } from './festival-sessions.js';
import type { PlannedUtterance } from './plan.js';
import { runProcess } from '../run-process.js';
import { assertNotReserved } from './voices.js';

/** flite's default intonation mean in Hz (int_f0_target_mean), per voice: the F0 factor scales it. */
const FLITE_F0_MEAN: Record<string, number> = { kal16: 95, kal: 95, awb: 131 };

/** The engine's command line for `u` (not festival, which takes Scheme on a pipe). */
export function engineCommand(u: PlannedUtterance, path: string): { cmd: string; args: string[]; input?: string } {
  const { voice, tts, text } = u;
  const f0 = tts.f0 ?? 1;
  switch (voice.engine) {
    case 'espeak-ng':
      return { cmd: 'espeak-ng', args: ['-v', voice.name, '-s', String(tts.rate ?? 175), '-p', String(tts.pitch ?? 50), '-w', path, text] };
    case 'flite': {
      const args = ['-voice', voice.name, '--setf', `duration_stretch=${tts.stretch ?? 1}`];
      if (f0 !== 1) args.push('--setf', `int_f0_target_mean=${((FLITE_F0_MEAN[voice.name] ?? 100) * f0).toFixed(1)}`);
      return { cmd: 'flite', args: [...args, '-t', text, '-o', path] };
    }
    case 'rhvoice':
      // -t: pitch in percent of the voice's own.
      return { cmd: 'RHVoice-test', args: ['-p', voice.name, '-t', String(Math.round(100 * f0)), '-o', path], input: text };
    case 'pico':
      // Pico's markup: <pitch level="N"> scales F0 by N/100 (measured: 80 -> x0.80).
      return { cmd: 'pico2wave', args: ['-l', voice.name, '-w', path, f0 === 1 ? text : `<pitch level="${Math.round(100 * f0)}">${text}</pitch>`] };
    case 'festival':
      throw new Error('festival speaks through FestivalSessions');
  }
}

/** Runs the utterance's engine, writing its native WAV to `path`. */
export async function speak(u: PlannedUtterance, path: string, festival: FestivalSessions): Promise<void> {
  assertNotReserved(u.voice.id);
  if (u.voice.engine === 'festival') {
    const { tts } = u;
    const errors = await festival.speak(u.voice.name, u.text, path, { stretch: tts.stretch ?? 1, f0: tts.f0 ?? 1, f0Range: tts.f0Range ?? 1 });
    if (!existsSync(path)) throw new Error(`festival wrote no ${path}: ${errors}`);
    return;
  }
  const c = engineCommand(u, path);
  await runProcess(c.cmd, c.args, c.input);
  if (!existsSync(path)) throw new Error(`${c.cmd} wrote no ${path}`);
}
