/**
 * The network's output matrix as an image: one column per output frame, one row per
 * label (blank on top), each cell's brightness its posterior; the best path (the arg-max
 * label of each frame) drawn over it.
 */
import { logSoftmaxRow } from '../math/log-softmax.js';

/** Posteriors [T, C] (softmax of each row of `logits`) and each frame's arg-max. */
export function posteriors(logits: Float32Array, frames: number, classes: number): { probs: Float32Array; best: Int32Array } {
  const probs = new Float32Array(frames * classes);
  const best = new Int32Array(frames);
  const row = new Float64Array(classes);
  for (let t = 0; t < frames; t++) {
    logSoftmaxRow(logits, t * classes, classes, row, 0);
    let k = 0;
    for (let c = 0; c < classes; c++) {
      probs[t * classes + c] = Math.exp(row[c]!);
      if (row[c]! > row[k]!) k = c;
    }
    best[t] = k;
  }
  return { probs, best };
}

// Viridis at five stops: dark (probability 0) to bright (1).
const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/** RGB of `x` in [0, 1] on the colour ramp. */
export function ramp(x: number): [number, number, number] {
  const f = Math.min(Math.max(x, 0), 1) * (STOPS.length - 1);
  const i = Math.min(Math.floor(f), STOPS.length - 2);
  const w = f - i;
  const a = STOPS[i]!, b = STOPS[i + 1]!;
  return [0, 1, 2].map((j) => Math.round(a[j]! + w * (b[j]! - a[j]!))) as [number, number, number];
}

/** Layout of the drawing, in CSS pixels. */
const ROW = 14, LEFT = 28, BOTTOM = 22, TOP = 6;

/**
 * Draws the matrix on `canvas` (resized to fit `width` CSS pixels), labels on the left,
 * seconds along the bottom, the best path as a line through each frame's arg-max cell.
 */
export function drawOutputMatrix(canvas: HTMLCanvasElement, logits: Float32Array, frames: number, classes: number, labels: readonly string[], secondsPerFrame: number, width: number): void {
  const { probs, best } = posteriors(logits, frames, classes);
  const plotW = Math.max(1, width - LEFT - 8);
  const plotH = classes * ROW;
  const scale = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round((TOP + plotH + BOTTOM) * scale);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${TOP + plotH + BOTTOM}px`;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2D canvas context');
  g.setTransform(scale, 0, 0, scale, 0, 0);
  g.clearRect(0, 0, width, TOP + plotH + BOTTOM);
  // The matrix itself, one pixel per cell, then stretched without smoothing.
  const cells = new ImageData(Math.max(frames, 1), classes);
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < classes; c++) {
      const [r, gg, b] = ramp(probs[t * classes + c]!);
      const at = 4 * (c * frames + t);
      cells.data[at] = r; cells.data[at + 1] = gg; cells.data[at + 2] = b; cells.data[at + 3] = 255;
    }
  }
  const tmp = document.createElement('canvas');
  tmp.width = cells.width;
  tmp.height = cells.height;
  tmp.getContext('2d')!.putImageData(cells, 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(tmp, LEFT, TOP, plotW, plotH);
  // Row labels.
  g.fillStyle = '#333';
  g.font = '11px ui-monospace, monospace';
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  labels.forEach((l, c) => g.fillText(l, LEFT - 6, TOP + (c + 0.5) * ROW));
  // Seconds along the bottom.
  const seconds = frames * secondsPerFrame;
  const step = seconds > 8 ? 2 : seconds > 3 ? 1 : seconds > 1 ? 0.5 : 0.1;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (let s = 0; s <= seconds + 1e-9; s += step) {
    const x = LEFT + (s / Math.max(seconds, 1e-9)) * plotW;
    g.fillRect(x, TOP + plotH, 1, 4);
    g.fillText(`${Number(s.toFixed(1))}s`, x, TOP + plotH + 6);
  }
  // The best path.
  const colW = plotW / Math.max(frames, 1);
  g.strokeStyle = '#ff3b30';
  g.lineWidth = 1.5;
  g.beginPath();
  for (let t = 0; t < frames; t++) {
    const y = TOP + (best[t]! + 0.5) * ROW;
    if (t === 0) g.moveTo(LEFT + t * colW, y);
    else g.lineTo(LEFT + t * colW, y);
    g.lineTo(LEFT + (t + 1) * colW, y);
  }
  g.stroke();
}
