import type { ManifestEntry } from '../../data/manifest.js';
import { SPLITS } from './plan.js';
import type { Split } from './plan.js';

/** Hours and utterances of one group. */
export interface SummaryRow {
  utterances: number;
  hours: number;
  augmented: number;
}

/** What a corpus holds, per split and per voice group (espeak-ng by accent). */
export interface CorpusSummary {
  splits: Record<Split, SummaryRow>;
  /** voice group -> split -> row */
  voices: Record<string, Partial<Record<Split, SummaryRow>>>;
  /** Distinct voices (espeak-ng accent+variant counted separately) per split. */
  distinctVoices: Record<Split, number>;
  /** The recorded speakers heard in each split ("espeak-ng-formant" for espeak-ng's own voices). */
  speakers: Record<Split, string[]>;
}

/** The group a voice id is summarised under: "espeak-ng:en-gb+Alex" -> "espeak-ng:en-gb". */
export function voiceGroup(voice: string): string {
  return voice.startsWith('espeak-ng:') ? voice.replace(/\+.*$/, '') : voice;
}

function addTo(row: SummaryRow | undefined, e: ManifestEntry): SummaryRow {
  const r = row ?? { utterances: 0, hours: 0, augmented: 0 };
  r.utterances++;
  r.hours += e.duration / 3600;
  if (e.augmentation) r.augmented++;
  return r;
}

/** Summarises the manifests of a corpus. */
export function summariseCorpus(manifests: Record<Split, readonly ManifestEntry[]>): CorpusSummary {
  const splits = {} as Record<Split, SummaryRow>;
  const distinctVoices = {} as Record<Split, number>;
  const speakers = {} as Record<Split, string[]>;
  const voices: CorpusSummary['voices'] = {};
  for (const split of SPLITS) {
    let row: SummaryRow = { utterances: 0, hours: 0, augmented: 0 };
    const distinct = new Set<string>();
    const heard = new Set<string>();
    for (const e of manifests[split]) {
      heard.add(e.speaker ?? 'unknown');
      row = addTo(row, e);
      const v = e.voice ?? 'unknown';
      distinct.add(v);
      const g = (voices[voiceGroup(v)] ??= {});
      g[split] = addTo(g[split], e);
    }
    splits[split] = row;
    distinctVoices[split] = distinct.size;
    speakers[split] = [...heard].sort();
  }
  return { splits, voices, distinctVoices, speakers };
}

/** The summary as a text table (hours per voice group and split). */
export function formatCorpusSummary(s: CorpusSummary): string {
  const w = 16;
  const h = (r: SummaryRow | undefined): string => (r ? r.hours.toFixed(3) : '-').padStart(w);
  const lines = [`${'voice'.padEnd(28)}${SPLITS.map((x) => `${x} h`.padStart(w)).join('')}`];
  for (const g of Object.keys(s.voices).sort()) lines.push(`${g.padEnd(28)}${SPLITS.map((x) => h(s.voices[g]![x])).join('')}`);
  lines.push(`${'total hours'.padEnd(28)}${SPLITS.map((x) => h(s.splits[x])).join('')}`);
  lines.push(`${'utterances'.padEnd(28)}${SPLITS.map((x) => String(s.splits[x].utterances).padStart(w)).join('')}`);
  lines.push(`${'  augmented'.padEnd(28)}${SPLITS.map((x) => String(s.splits[x].augmented).padStart(w)).join('')}`);
  lines.push(`${'distinct voices'.padEnd(28)}${SPLITS.map((x) => String(s.distinctVoices[x]).padStart(w)).join('')}`);
  lines.push(`${'recorded speakers'.padEnd(28)}${SPLITS.map((x) => String(s.speakers[x].filter((k) => k !== 'espeak-ng-formant' && k !== 'unknown').length).padStart(w)).join('')}`);
  return lines.join('\n');
}
