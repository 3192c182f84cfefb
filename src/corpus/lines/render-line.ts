/**
 * Renders one text line to a greyscale PNG with ImageMagick's `convert`. A plain line is
 * ImageMagick's label at 32 points, as it comes. A varied line is drawn in one piece or
 * word by word (each word its own size, slant and baseline), then underlined, sheared,
 * rotated, stretched and bent as planned, trimmed to the ink, given its margins (and a
 * ruled line), paper texture, blur, noise, contrast and polarity, and optionally passed
 * through JPEG.
 */
import { renameSync, rmSync } from 'node:fs';
import { runProcess } from '../run-process.js';
import type { PlannedLine } from './plan.js';

/**
 * Text for ImageMagick's `label:`, which reads `%` escapes, backslash escapes, a leading
 * `@` (a file) and a trailing `[...]` (a frame selection) itself.
 */
export function labelText(text: string): string {
  return text.replace(/[\\%]/g, (c) => (c === '%' ? '%%' : '\\\\')).replace(/^@/, '\\@').replace(/\]$/, '\\]');
}

/**
 * Paper added to each side (ImageMagick's -splice fails on a strip wider than the image):
 * a border as wide as the larger side, then the excess chopped off the other.
 */
export function padArgs(left: number, top: number, right: number, bottom: number): string[] {
  const x = Math.max(left, right), y = Math.max(top, bottom);
  if (x === 0 && y === 0) return [];
  const args = ['-bordercolor', 'white', '-border', `${x}x${y}`];
  if (left !== right) args.push('-gravity', left < right ? 'west' : 'east', '-chop', `${Math.abs(left - right)}x0`);
  if (top !== bottom) args.push('-gravity', top < bottom ? 'north' : 'south', '-chop', `0x${Math.abs(top - bottom)}`);
  return args;
}

/** The label drawing: one piece, or word by word with jitter, each word's baseline shifted within a common height. */
function drawText(line: PlannedLine, ink: string): string[] {
  const a = line.augmentation;
  const stroke = (size: number): string[] => (a.strokeWidth > 0 ? ['-stroke', ink, '-strokewidth', String(Math.min(a.strokeWidth, size / 8))] : []);
  if (!a.words) return [...stroke(a.pointSize), '-pointsize', String(a.pointSize), `label:${labelText(line.text)}`, '+stroke'];
  const words = line.text.split(' ');
  const shifts = a.words.map((w) => w.shift);
  const lo = Math.min(...shifts), hi = Math.max(...shifts);
  const args = ['-respect-parentheses'];
  words.forEach((word, i) => {
    const j = a.words![i] ?? { scale: 1, slant: 0, shift: 0 };
    const size = Math.max(6, Math.round(a.pointSize * j.scale));
    args.push('(', '-pointsize', String(size), ...stroke(size), `label:${labelText(word)}`, '+stroke');
    const slant = a.slant + j.slant;
    if (slant !== 0) args.push('-shear', `${slant}x0`);
    args.push(...padArgs(0, j.shift - lo, i < words.length - 1 ? a.wordGap ?? Math.round(a.pointSize / 3) : 0, hi - j.shift));
    args.push(')');
  });
  args.push('-gravity', 'south', '+append', '+repage');
  return args;
}

/** The `convert` arguments that render `line` to `out` (a PNG, or a JPEG when the line asks for JPEG artefacts). */
export function renderArgs(line: PlannedLine, out: string): string[] {
  const a = line.augmentation;
  if (line.rendering === 'plain') {
    return ['-font', line.font.file, '-pointsize', String(a.pointSize), `label:${labelText(line.text)}`, '-colorspace', 'gray', '-depth', '8', `png:${out}`];
  }
  const ink = `gray${a.ink}`;
  const args = ['-background', 'white', '-fill', ink, '-font', line.font.file, ...drawText(line, ink)];
  if (a.underline) {
    args.push('-gravity', 'south', '-splice', `0x${Math.max(1, Math.round(a.pointSize / 12))}`, '-background', ink, '-splice', `0x${a.underline}`, '-background', 'white');
  }
  // Room for the shear, rotation and wave to move ink into (trimmed away again below).
  args.push('-bordercolor', 'white', '-border', `${Math.round(a.pointSize / 3)}x${Math.round(a.pointSize / 4)}`);
  if (a.slant !== 0 && !a.words) args.push('-shear', `${a.slant}x0`);
  if (a.rotate !== 0) args.push('-rotate', String(a.rotate));
  if (a.stretch !== undefined && a.stretch !== 1) args.push('-resize', `${Math.round(a.stretch * 100)}%x100%`);
  if (a.waveAmplitude > 0) args.push('-wave', `${a.waveAmplitude}x${a.waveLength}`);
  args.push('-fuzz', '25%', '-trim', '+repage', '-fuzz', '0');
  const [left, top, right, bottom] = a.margin;
  args.push(...padArgs(left, 0, right, 0));
  if (a.ruled) args.push('-gravity', 'south', '-background', 'white', '-splice', `0x${Math.max(1, Math.round(a.pointSize / 10))}`, '-background', 'gray70', '-splice', '0x1', '-background', 'white');
  args.push(...padArgs(0, top, 0, bottom), '-gravity', 'northwest');
  if (a.paper < 100) {
    // Paper texture: smoothed noise mapped to [paper%, 100%], multiplied under the ink.
    args.push('(', '+clone', '-seed', String(a.seed), '+noise', 'Random', '-blur', '0x4', '-colorspace', 'gray', '-auto-level',
      '+level', `${a.paper}%,100%`, ')', '-compose', 'multiply', '-composite');
  }
  if (a.blur > 0) args.push('-blur', `0x${a.blur}`);
  if (a.noise > 0) args.push('-seed', String(a.seed + 1), '-attenuate', String(a.noise), '+noise', 'Gaussian');
  args.push('-colorspace', 'gray');
  if (a.contrast) args.push('+level', `${a.contrast[0]}%,${a.contrast[1]}%`);
  if (a.inverted) args.push('-negate');
  args.push('-alpha', 'off', '-depth', '8');
  if (a.jpegQuality !== undefined) args.push('-quality', String(a.jpegQuality), `jpg:${out}`);
  else args.push(`png:${out}`);
  return args;
}

/** Renders `line` to the PNG `path` atomically (temporary files, then rename). */
export async function renderLine(line: PlannedLine, path: string, convert = 'convert'): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}.png`, jpg = `${path}.tmp-${process.pid}.jpg`;
  try {
    if (line.rendering === 'varied' && line.augmentation.jpegQuality !== undefined) {
      await runProcess(convert, renderArgs(line, jpg));
      await runProcess(convert, [jpg, '-colorspace', 'gray', '-depth', '8', `png:${tmp}`]);
    } else {
      await runProcess(convert, renderArgs(line, tmp));
    }
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
    rmSync(jpg, { force: true });
  }
}
