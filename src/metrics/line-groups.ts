/**
 * The per-group tables of text-line scores that `sayre eval` and the lines bench write
 * alike (so a model card can put their columns side by side): by font family, by kind
 * (handwriting-like or regular) and, where lines carry a rendering ("plain", "varied"),
 * by rendering and by family and kind within each rendering.
 */
import type { UtteranceScore } from './error-rate.js';
import { scoreByGroup } from './group-scores.js';
import type { GroupScore } from './group-scores.js';

/** What the tables read of a line manifest entry (its extra fields). */
export interface LineGroupEntry {
  extra: Record<string, unknown>;
}

/** Handwriting-like or regular, as line corpora mark their lines. */
export const lineKind = (e: LineGroupEntry): string => (e.extra['handwriting'] === true ? 'handwriting-like' : 'regular');

/** The family of a line's font ("font" where the manifest has no family; "unknown" without either). */
export const lineFamily = (e: LineGroupEntry): string => String(e.extra['family'] ?? e.extra['font'] ?? 'unknown');

/** The per-group tables of `utterances`, scored lines of `entries` in the same order. */
export function lineScoreGroups(utterances: readonly UtteranceScore[], entries: readonly LineGroupEntry[]): Record<string, GroupScore[]> {
  const by = (key: (e: LineGroupEntry) => string, keep: (e: LineGroupEntry) => boolean = () => true): GroupScore[] => {
    const idx = entries.flatMap((e, i) => (keep(e) ? [i] : []));
    return scoreByGroup(idx.map((i) => utterances[i]!), (k) => key(entries[idx[k]!]!));
  };
  const groups: Record<string, GroupScore[]> = { family: by(lineFamily), kind: by(lineKind) };
  const rendering = (e: LineGroupEntry): string => String(e.extra['rendering']);
  if (entries.some((e) => e.extra['rendering'] !== undefined)) {
    groups['rendering'] = by(rendering);
    for (const r of [...new Set(entries.map(rendering))].sort()) {
      groups[`family/${r}`] = by(lineFamily, (e) => rendering(e) === r);
      groups[`kind/${r}`] = by(lineKind, (e) => rendering(e) === r);
    }
  }
  return groups;
}

/** The families whose lines are marked handwriting-like, sorted. */
export function handwritingFamilies(entries: readonly LineGroupEntry[]): string[] {
  return [...new Set(entries.filter((e) => e.extra['handwriting'] === true).map(lineFamily))].sort();
}
