/**
 * Scores by group (voice, speaker): a per-voice table for `sayre eval` and a model card,
 * so that a figure on held-out speakers shows which speakers it comes from.
 */
import { errorRate, sumCounts } from './align.js';
import type { EditCounts } from './align.js';
import type { UtteranceScore } from './error-rate.js';

/** Totals of one group. */
export interface GroupScore {
  group: string;
  utterances: number;
  words: EditCounts;
  chars: EditCounts;
  wer: number;
  cer: number;
}

/** Groups scored utterances by `groupOf(index)` (groups sorted by name). */
export function scoreByGroup(utterances: readonly UtteranceScore[], groupOf: (index: number) => string): GroupScore[] {
  const groups = new Map<string, UtteranceScore[]>();
  utterances.forEach((u, i) => {
    const g = groupOf(i);
    const list = groups.get(g) ?? [];
    list.push(u);
    groups.set(g, list);
  });
  return [...groups.keys()].sort().map((group) => {
    const list = groups.get(group)!;
    const words = sumCounts(list.map((u) => u.words));
    const chars = sumCounts(list.map((u) => u.chars));
    return { group, utterances: list.length, words, chars, wer: errorRate(words), cer: errorRate(chars) };
  });
}

/** A text table: group, utterances, CER %, WER %. */
export function formatGroupTable(title: string, groups: readonly GroupScore[]): string {
  const width = Math.max(title.length, ...groups.map((g) => g.group.length));
  const pct = (r: number): string => (Number.isFinite(r) ? (100 * r).toFixed(2) : 'inf').padStart(8);
  return [`${title.padEnd(width)}    utts   CER %   WER %`,
    ...groups.map((g) => `${g.group.padEnd(width)} ${String(g.utterances).padStart(7)}${pct(g.cer)}${pct(g.wer)}`)].join('\n');
}
