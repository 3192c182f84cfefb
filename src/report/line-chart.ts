/**
 * A small SVG line chart: panels stacked over one shared x axis, each with its own y axis
 * (linear or log), ticks, grid, legend and vertical markers. Hand-written SVG with no
 * dependency, so that training curves can be drawn anywhere sayre runs.
 */
import { compactNumber } from './format-number.js';

/** One line of a panel. Points need not be sorted; non-finite ones (and non-positive ones on a log axis) break the line. */
export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  color: string;
  /** Stroke width; default 2. */
  width?: number;
  /** Draw a dot at every point; default false. */
  dots?: boolean;
  /** Stroke opacity; default 1. */
  opacity?: number;
  /** Leave out of the legend. */
  hideInLegend?: boolean;
}

/** A vertical line across every panel at `x`, labelled at its top. */
export interface Marker {
  x: number;
  label: string;
  color?: string;
  dashed?: boolean;
}

/** One panel with its own y axis. */
export interface Panel {
  title: string;
  series: Series[];
  /** Log-scale y axis (base 10). */
  logY?: boolean;
  /** Lowest y shown (e.g. 0 for an error rate); by default the data's range with a margin. */
  yMin?: number;
  /** Appended to y tick labels, e.g. '%'. */
  yUnit?: string;
  /** Plot height in pixels; default 240. */
  height?: number;
}

/** A whole chart. */
export interface ChartSpec {
  title?: string;
  xLabel: string;
  panels: Panel[];
  markers?: Marker[];
  /** Width in pixels; default 900. */
  width?: number;
}

const MARGIN = { left: 64, right: 20, top: 26, bottom: 40 };
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Tick label: three significant digits, k/M past ten thousand. */
export function formatTick(v: number): string {
  return compactNumber(v, 1e4);
}

/** Round tick positions (1, 2 or 5 times a power of ten apart) covering [lo, hi], about `target` of them. */
export function linearTicks(lo: number, hi: number, target = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => (hi - lo) / s <= target) ?? 10 * p;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(k * step);
  return ticks;
}

/** Log-axis ticks in [lo, hi] (lo > 0): 1-9, 1-2-5 or powers of ten, by how many decades the range spans. */
export function logTicks(lo: number, hi: number): number[] {
  const d0 = Math.floor(Math.log10(lo));
  const d1 = Math.ceil(Math.log10(hi));
  const span = Math.log10(hi / lo);
  const mantissas = span < 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : span <= 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let d = d0; d <= d1; d++) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** d).toPrecision(6));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v);
    }
  }
  return ticks;
}

/** [min, max] of values without spreading them into arguments (arrays can be long); null when empty. */
function extent(values: readonly number[]): [number, number] | null {
  if (values.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

interface Scale {
  lo: number;
  hi: number;
  map(v: number): number;
  ticks: number[];
}

function xScale(lo: number, hi: number, px0: number, px1: number): Scale {
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const ticks = linearTicks(lo, hi, Math.max(2, Math.round((px1 - px0) / 90)));
  return { lo, hi, ticks, map: (v) => px0 + ((v - lo) / (hi - lo)) * (px1 - px0) };
}

function yScale(values: number[], panel: Panel, px0: number, px1: number): Scale {
  // px0 is the bottom (larger pixel y), px1 the top.
  if (panel.logY) {
    let [lo, hi] = extent(values.filter((v) => v > 0)) ?? [1, 10];
    if (!(hi > lo)) { lo /= 2; hi *= 2; }
    const pad = (hi / lo) ** 0.05;
    lo /= pad; hi *= pad;
    let ticks = logTicks(lo, hi);
    if (ticks.length < 2) ticks = [lo, hi].map((v) => Number(v.toPrecision(2)));
    const l0 = Math.log10(lo);
    const l1 = Math.log10(hi);
    return { lo, hi, ticks, map: (v) => px0 + ((Math.log10(v) - l0) / (l1 - l0)) * (px1 - px0) };
  }
  let [lo, hi] = extent(values) ?? [0, 1];
  if (panel.yMin !== undefined) lo = Math.min(panel.yMin, lo);
  if (!(hi > lo)) { hi = lo + (Math.abs(lo) || 1); }
  const pad = (hi - lo) * 0.05;
  if (panel.yMin === undefined || lo < panel.yMin) lo -= pad;
  hi += pad;
  const ticks = linearTicks(lo, hi, 5);
  return { lo, hi, ticks, map: (v) => px0 + ((v - lo) / (hi - lo)) * (px1 - px0) };
}

function usable(p: readonly [number, number], logY: boolean | undefined): boolean {
  return Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!logY || p[1] > 0);
}

/** SVG path data for a series, broken at unusable points; null when nothing is drawable. */
function pathData(s: Series, x: Scale, y: Scale, logY: boolean | undefined): string | null {
  const pts = [...s.points].sort((a, b) => a[0] - b[0]);
  let d = '';
  let pen = false;
  for (const p of pts) {
    if (!usable(p, logY)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${x.map(p[0]).toFixed(1)},${y.map(p[1]).toFixed(1)}`;
    pen = true;
  }
  return d === '' ? null : d;
}

/** Renders a chart to an SVG document. */
export function renderChart(spec: ChartSpec): string {
  const width = spec.width ?? 900;
  const titleHeight = spec.title ? 30 : 6;
  const heights = spec.panels.map((p) => p.height ?? 240);
  const height = titleHeight + heights.reduce((a, h) => a + h + MARGIN.top + MARGIN.bottom, 0);
  const plotLeft = MARGIN.left;
  const plotRight = width - MARGIN.right;

  const xs: number[] = [];
  for (const p of spec.panels) for (const s of p.series) for (const pt of s.points) if (usable(pt, p.logY)) xs.push(pt[0]);
  for (const m of spec.markers ?? []) xs.push(m.x);
  const [x0, x1] = extent(xs) ?? [0, 1];
  const x = xScale(x0, x1, plotLeft, plotRight);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  if (spec.title) out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`);

  let top = titleHeight;
  spec.panels.forEach((panel, i) => {
    const plotTop = top + MARGIN.top;
    const plotBottom = plotTop + heights[i]!;
    const ys: number[] = [];
    for (const s of panel.series) for (const pt of s.points) if (usable(pt, panel.logY)) ys.push(pt[1]);
    const y = yScale(ys, panel, plotBottom, plotTop);
    const clip = `clip${i}`;
    out.push(`<clipPath id="${clip}"><rect x="${plotLeft}" y="${plotTop}" width="${plotRight - plotLeft}" height="${plotBottom - plotTop}"/></clipPath>`);
    out.push(`<text x="${plotLeft}" y="${plotTop - 8}" font-size="13" font-weight="bold">${escapeXml(panel.title)}${panel.logY ? ' (log scale)' : ''}</text>`);

    // Grid and tick labels.
    for (const t of y.ticks) {
      const py = y.map(t).toFixed(1);
      out.push(`<line x1="${plotLeft}" x2="${plotRight}" y1="${py}" y2="${py}" stroke="#e4e4e4"/>`);
      out.push(`<text x="${plotLeft - 6}" y="${py}" text-anchor="end" dominant-baseline="middle" fill="#444">${escapeXml(formatTick(t) + (panel.yUnit ?? ''))}</text>`);
    }
    for (const t of x.ticks) {
      const px = x.map(t).toFixed(1);
      out.push(`<line x1="${px}" x2="${px}" y1="${plotTop}" y2="${plotBottom}" stroke="#f0f0f0"/>`);
      out.push(`<text x="${px}" y="${plotBottom + 16}" text-anchor="middle" fill="#444">${escapeXml(formatTick(t))}</text>`);
    }
    if (i === spec.panels.length - 1) {
      out.push(`<text x="${(plotLeft + plotRight) / 2}" y="${plotBottom + 33}" text-anchor="middle" fill="#222">${escapeXml(spec.xLabel)}</text>`);
    }

    // Markers, then the data on top.
    for (const m of spec.markers ?? []) {
      const px = x.map(m.x).toFixed(1);
      const color = m.color ?? '#999';
      out.push(`<line x1="${px}" x2="${px}" y1="${plotTop}" y2="${plotBottom}" stroke="${color}"${m.dashed ? ' stroke-dasharray="4,3"' : ''}/>`);
      if (i === 0) out.push(`<text x="${px}" y="${plotTop + 11}" dx="3" font-size="10" fill="${color}">${escapeXml(m.label)}</text>`);
    }
    for (const s of panel.series) {
      const d = pathData(s, x, y, panel.logY);
      if (d === null) continue;
      const opacity = s.opacity !== undefined ? ` stroke-opacity="${s.opacity}"` : '';
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"${opacity} stroke-linejoin="round" clip-path="url(#${clip})"/>`);
      if (s.dots) {
        for (const p of s.points) {
          if (!usable(p, panel.logY)) continue;
          out.push(`<circle cx="${x.map(p[0]).toFixed(1)}" cy="${y.map(p[1]).toFixed(1)}" r="3" fill="${s.color}"/>`);
        }
      }
    }
    out.push(`<rect x="${plotLeft}" y="${plotTop}" width="${plotRight - plotLeft}" height="${plotBottom - plotTop}" fill="none" stroke="#888"/>`);

    // Legend, top right inside the plot.
    const entries = panel.series.filter((s) => !s.hideInLegend);
    if (entries.length > 0) {
      const boxWidth = 28 + 7 * Math.max(...entries.map((s) => s.name.length));
      const lx = plotRight - boxWidth - 8;
      const ly = plotTop + 8;
      out.push(`<rect x="${lx}" y="${ly}" width="${boxWidth}" height="${entries.length * 17 + 6}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`);
      entries.forEach((s, k) => {
        const ey = ly + 13 + k * 17;
        const opacity = s.opacity !== undefined ? ` stroke-opacity="${s.opacity}"` : '';
        out.push(`<line x1="${lx + 6}" x2="${lx + 22}" y1="${ey - 4}" y2="${ey - 4}" stroke="${s.color}" stroke-width="3"${opacity}/>`);
        out.push(`<text x="${lx + 27}" y="${ey}">${escapeXml(s.name)}</text>`);
      });
    }
    top = plotBottom + MARGIN.bottom;
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
