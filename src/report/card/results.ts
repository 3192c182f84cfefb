/** The evaluation results of a card: each split's reports as columns, and the summary table. */
import type { EvalReport, GroupRow, ScoreRow } from '../eval-report.js';
import type { CardInputs, SplitFile } from './inputs.js';
import { count, pct, table } from './markdown.js';

/** One column pair (CER, WER) of a split's tables: one eval report. */
export interface ResultColumn {
  label: string;
  report: SplitFile<EvalReport>;
}

/** The column label of a decoding: best path, beam (no LM), with LM. */
function label(r: EvalReport): string {
  if (r.decoding.search === 'greedy') return 'best path';
  return r.decoding.lmOrder !== undefined || r.decoding.lm !== undefined ? 'with LM' : 'beam, no LM';
}

/** The splits given, in the order first given. */
export function splitsOf(c: CardInputs): string[] {
  return [...new Set([...c.evals.map((e) => e.split), ...c.benches.map((b) => b.split)])];
}

/** A split's reports as columns, best path first; throws when two decode alike or a report scores the other kind of model. */
export function columnsOf(c: CardInputs, split: string, lines: boolean, evals = c.evals): ResultColumn[] {
  const order = ['best path', 'beam, no LM', 'with LM'];
  const cols = evals.filter((e) => e.split === split).map((report) => {
    if ((report.data.input === 'lines') !== lines) {
      throw new Error(`${report.path}: scores a ${report.data.input === 'lines' ? 'text-line' : 'speech'} model, but ${c.modelDir} is a ${lines ? 'text-line' : 'speech'} model`);
    }
    return { label: label(report.data), report };
  }).sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label));
  for (let i = 1; i < cols.length; i++) {
    if (cols[i]!.label === cols[i - 1]!.label) throw new Error(`${cols[i - 1]!.report.path} and ${cols[i]!.report.path}: two reports of split ${split} decode alike (${cols[i]!.label}); give one`);
  }
  return cols;
}

/** The row of `group` in table `name` of a report's groups, if any. */
export function groupRow(groups: Record<string, GroupRow[]>, name: string, group: string): GroupRow | undefined {
  return groups[name]?.find((g) => g.group === group);
}

/** CER and WER cells of a row (dashes where the row is absent). */
export const rateCells = (r: ScoreRow | undefined): string[] => (r ? [pct(r.cer), pct(r.wer)] : ['-', '-']);

/** The "From:" line of a column: its report file, date, decoding and model (and manifest). */
function reportNote(split: string, col: ResultColumn, manifest: boolean): string {
  const r = col.report.data;
  return `- ${split}, ${col.label}: \`${col.report.path}\` (${r.date.slice(0, 10)}; ${r.decoding.text}; model ${r.model}${manifest ? `; manifest ${r.manifest}` : ''})`;
}

/** The summary table: per split and decoding, items, CER, WER (and tesseract's, where a bench result is given). */
export function resultsSummary(c: CardInputs, lines: boolean): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const split of splitsOf(c)) {
    for (const col of columnsOf(c, split, lines)) {
      const r = col.report.data;
      rows.push([split, col.label, count(r.total.utterances), ...rateCells(r.total)]);
      notes.push(reportNote(split, col, true));
    }
    for (const b of c.benches.filter((x) => x.split === split)) {
      const t = b.data.systems['tesseract'];
      if (t) rows.push([split, 'tesseract', count(t.total.utterances), ...rateCells(t.total)]);
      const s = b.data.systems['sayre'];
      const speed = t && s ? `; sayre ${s.linesPerSecond.toFixed(1)} lines/s, tesseract ${t.linesPerSecond.toFixed(2)} lines/s (${(s.linesPerSecond / t.linesPerSecond).toFixed(1)}x)` : '';
      notes.push(`- ${split}, tesseract: \`${b.path}\` (${b.data.date.slice(0, 10)}; ${t ? t.decoding : 'not measured'}${speed})`);
    }
  }
  if (rows.length === 0) return '## Results\n\nNo evaluation reports given (`--eval SPLIT=FILE`, written by `sayre eval --json-report FILE`).';
  return `## Results\n\n${table(['split', 'decoding', lines ? 'lines' : 'utterances', 'CER', 'WER'], rows, [false, false, true, true, true])}\n\nFrom:\n${notes.join('\n')}`;
}

/** This model's CER and WER beside the baseline's, per split and decoding both were scored with. */
export function baselineComparison(c: CardInputs, lines: boolean): string | undefined {
  const b = c.baseline;
  if (!b) return undefined;
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const split of splitsOf(c)) {
    const theirs = columnsOf(c, split, lines, b.evals);
    for (const col of columnsOf(c, split, lines)) {
      const other = theirs.find((t) => t.label === col.label);
      if (!other) continue;
      const [m, o] = [col.report.data.total, other.report.data.total];
      rows.push([split, col.label, pct(m.cer), pct(o.cer), m.cer !== null && o.cer !== null && o.cer > 0 ? `${(m.cer / o.cer).toFixed(2)}x` : '-', pct(m.wer), pct(o.wer)]);
      notes.push(reportNote(split, other, false));
    }
  }
  if (rows.length === 0) throw new Error(`--baseline ${b.name}: no report shares a split and decoding with this model's --eval reports`);
  return `## Beside ${b.name}

${table(['split', 'decoding', 'CER', `${b.name} CER`, 'ratio', 'WER', `${b.name} WER`], rows, [false, false, true, true, true, true, true])}

${b.name}'s reports:
${notes.join('\n')}`;
}
