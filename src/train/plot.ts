/**
 * The training-curve plot: an SVG drawn from the training log and written beside it.
 * Top panel: training loss per step (light) and per epoch (mean over the epoch's steps),
 * and dev loss per epoch; bottom panel (when the log has them): dev CER and WER per epoch,
 * in percent. Events (resume, weight noise on, early stop) are dashed vertical lines.
 */
import { writeFileAtomic } from '../util/atomic-write.js';
import { formatTick, renderChart } from '../report/line-chart.js';
import type { Marker, Panel } from '../report/line-chart.js';
import { readTrainingLog } from './log.js';
import type { LogRecord } from './log.js';

/** Options of {@link trainingPlotSvg}. */
export interface TrainingPlotOptions {
  /** Log-scale loss axis (CTC losses fall over decades early on). Default false. */
  logScale?: boolean;
  title?: string;
  /** Width in pixels; default 900. */
  width?: number;
  /** Most per-step training points drawn; longer runs are averaged in bins. Default 1000. */
  maxPoints?: number;
}

type Point = [number, number];

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The curves in a log, with repeated steps (after a resume) taken from the latest record. */
export interface TrainingCurves {
  /** [step, loss] of every training record, sorted by step. */
  trainSteps: Point[];
  /** [last step of the epoch, mean finite training loss of the epoch]. */
  trainEpochs: Point[];
  /** [step, value] of dev records, sorted by step; error rates are fractions. */
  devLoss: Point[];
  devCer: Point[];
  devWer: Point[];
  events: { step: number; message: string }[];
}

/** Extracts the curves from log records ('train', 'dev' and 'event' records; others are ignored). */
export function trainingCurves(records: readonly LogRecord[]): TrainingCurves {
  const train = new Map<number, { epoch: number | undefined; loss: number }>();
  const dev = new Map<number, { step: number | undefined; loss?: number; cer?: number; wer?: number }>();
  const events: TrainingCurves['events'] = [];
  for (const r of records) {
    const step = num(r['step']);
    if (r.type === 'train' && step !== undefined && num(r['loss']) !== undefined) {
      train.set(step, { epoch: num(r['epoch']), loss: num(r['loss'])! });
    } else if (r.type === 'dev' && num(r['epoch']) !== undefined) {
      dev.set(num(r['epoch'])!, { step, loss: num(r['loss']), cer: num(r['cer']), wer: num(r['wer']) });
    } else if (r.type === 'event' && step !== undefined) {
      events.push({ step, message: String(r['message'] ?? '') });
    }
  }
  const trainSteps: Point[] = [...train].map(([s, t]): Point => [s, t.loss]).sort((a, b) => a[0] - b[0]);

  const byEpoch = new Map<number, { end: number; sum: number; count: number }>();
  for (const [step, t] of train) {
    if (t.epoch === undefined) continue;
    const e = byEpoch.get(t.epoch) ?? { end: -Infinity, sum: 0, count: 0 };
    e.end = Math.max(e.end, step);
    if (Number.isFinite(t.loss)) { e.sum += t.loss; e.count++; }
    byEpoch.set(t.epoch, e);
  }
  const trainEpochs: Point[] = [...byEpoch.values()].filter((e) => e.count > 0).map((e): Point => [e.end, e.sum / e.count]).sort((a, b) => a[0] - b[0]);

  const devLoss: Point[] = [];
  const devCer: Point[] = [];
  const devWer: Point[] = [];
  for (const [epoch, d] of [...dev].sort((a, b) => a[0] - b[0])) {
    // A dev record without a step sits at the end of its epoch's training.
    const step = d.step ?? byEpoch.get(epoch)?.end;
    if (step === undefined || !Number.isFinite(step)) continue;
    if (d.loss !== undefined) devLoss.push([step, d.loss]);
    if (d.cer !== undefined) devCer.push([step, d.cer]);
    if (d.wer !== undefined) devWer.push([step, d.wer]);
  }
  return { trainSteps, trainEpochs, devLoss, devCer, devWer, events };
}

/** Averages consecutive points in equal-count bins so that at most `max` remain. */
export function binPoints(points: readonly Point[], max: number): Point[] {
  if (points.length <= max) return [...points];
  const out: Point[] = [];
  for (let b = 0; b < max; b++) {
    const from = Math.floor((b * points.length) / max);
    const to = Math.floor(((b + 1) * points.length) / max);
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let i = from; i < to; i++) {
      const [x, y] = points[i]!;
      if (!Number.isFinite(y)) continue;
      sx += x; sy += y; n++;
    }
    if (n > 0) out.push([sx / n, sy / n]);
  }
  return out;
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** A legend entry naming the series' lowest finite value: `CER (best 9.1%)`. */
function withBest(name: string, points: readonly Point[], format: (v: number) => string): string {
  let best = Infinity;
  for (const [, y] of points) if (y < best) best = y;
  return Number.isFinite(best) ? `${name} (best ${format(best)})` : name;
}

/** Draws the training curves of a log as an SVG document. */
export function trainingPlotSvg(records: readonly LogRecord[], options: TrainingPlotOptions = {}): string {
  const c = trainingCurves(records);
  const panels: Panel[] = [{
    title: 'Loss',
    logY: options.logScale ?? false,
    series: [
      { name: 'train (per step)', points: binPoints(c.trainSteps, options.maxPoints ?? 1000), color: '#1f77b4', width: 1, opacity: 0.35 },
      { name: 'train (epoch mean)', points: c.trainEpochs, color: '#1f77b4', dots: true },
      { name: withBest('dev', c.devLoss, formatTick), points: c.devLoss, color: '#ff7f0e', dots: true },
    ].filter((s) => s.points.length > 0),
  }];
  if (c.devCer.length > 0 || c.devWer.length > 0) {
    const percent = (ps: Point[]): Point[] => ps.map(([x, y]): Point => [x, 100 * y]);
    panels.push({
      title: 'Dev error rate (greedy)',
      yMin: 0,
      yUnit: '%',
      height: 180,
      series: [
        { name: withBest('CER', c.devCer, pct), points: percent(c.devCer), color: '#2ca02c', dots: true },
        { name: withBest('WER', c.devWer, pct), points: percent(c.devWer), color: '#9467bd', dots: true },
      ].filter((s) => s.points.length > 0),
    });
  }
  const markers: Marker[] = c.events.map((e) => ({ x: e.step, label: e.message, color: '#d62728', dashed: true }));
  return renderChart({ title: options.title ?? 'Training curves', xLabel: 'step', panels, markers, width: options.width });
}

/**
 * Reads a training log and writes its plot atomically beside it (`log.jsonl` ->
 * `log.svg`, or `out`). A truncated last line of the log is skipped. Returns the SVG path.
 */
export function writeTrainingPlot(logPath: string, options: TrainingPlotOptions & { out?: string } = {}): string {
  const out = options.out ?? logPath.replace(/(\.jsonl?|\.log)?$/, '.svg');
  writeFileAtomic(out, trainingPlotSvg(readTrainingLog(logPath).records, options));
  return out;
}
