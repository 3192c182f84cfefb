/**
 * Renders one text line to a greyscale PNG with ImageMagick's `convert`: the font at the
 * planned size and stroke, ink level, slant, rotation, elastic (sine) distortion, paper
 * texture, blur and noise, trimmed to the ink with a small margin.
 */
import { renameSync, rmSync } from 'node:fs';
import { runProcess } from '../run-process.js';
import type { PlannedLine } from './plan.js';

/** The `convert` arguments that render `line` to `out`. */
export function renderArgs(line: PlannedLine, out: string): string[] {
  const a = line.augmentation;
  const ink = `gray${a.ink}`;
  const args = ['-background', 'white', '-fill', ink, '-font', line.font.file, '-pointsize', String(a.pointSize)];
  if (a.strokeWidth > 0) args.push('-stroke', ink, '-strokewidth', String(a.strokeWidth));
  // label: draws the text as given (no escapes); a leading '@' would read a file, so pad it.
  args.push(`label:${line.text.startsWith('@') ? ` ${line.text}` : line.text}`, '+stroke');
  args.push('-bordercolor', 'white', '-border', `${Math.round(a.pointSize / 3)}x${Math.round(a.pointSize / 4)}`);
  if (a.slant !== 0) args.push('-shear', `${a.slant}x0`);
  if (a.rotate !== 0) args.push('-rotate', String(a.rotate));
  if (a.stretch !== undefined && a.stretch !== 1) args.push('-resize', `${Math.round(a.stretch * 100)}%x100%`);
  if (a.waveAmplitude > 0) args.push('-wave', `${a.waveAmplitude}x${a.waveLength}`);
  if (a.paper < 100) {
    // Paper texture: smoothed noise mapped to [paper%, 100%], multiplied under the ink.
    args.push('(', '+clone', '-seed', String(a.seed), '+noise', 'Random', '-blur', '0x4', '-colorspace', 'gray', '-auto-level',
      '+level', `${a.paper}%,100%`, ')', '-compose', 'multiply', '-composite');
  }
  if (a.blur > 0) args.push('-blur', `0x${a.blur}`);
  if (a.noise > 0) args.push('-seed', String(a.seed + 1), '-attenuate', String(a.noise), '+noise', 'Gaussian');
  args.push('-colorspace', 'gray', '-fuzz', '25%', '-trim', '+repage', '-bordercolor', 'white', '-border', String(Math.round(a.pointSize / 8)),
    '-alpha', 'off', '-depth', '8', `png:${out}`);
  return args;
}

/** Renders `line` to `path` atomically (a temporary file, then rename). */
export async function renderLine(line: PlannedLine, path: string, convert = 'convert'): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}.png`;
  try {
    await runProcess(convert, renderArgs(line, tmp));
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
