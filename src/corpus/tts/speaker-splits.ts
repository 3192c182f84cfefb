/**
 * Splits by recorded speaker: the held-out-speakers dev and test splits hear whole
 * speakers that the train, dev and test splits never hear, through any engine (mbrola us2
 * held out means espeak-ng's mb-us2 and festival's us2_mbrola both are).
 */
import type { Voice } from './voices.js';

/** The recorded speakers held out for each held-out-speakers split. */
export interface HeldOutSpeakers {
  dev: string[];
  test: string[];
}

/** dev: mbrola us2 (male) + Pico en-GB (female); test: mbrola us3 (male) + RHVoice lyubov (female). */
export const DEFAULT_HELD_OUT: HeldOutSpeakers = { dev: ['mbrola-us2', 'pico-en-GB'], test: ['mbrola-us3', 'rhvoice-lyubov'] };

/** Voices partitioned by speaker. */
export interface SpeakerPartition {
  /** Voices of speakers in neither held-out list: train, dev and test use these. */
  seen: Voice[];
  dev: Voice[];
  test: Voice[];
  /** The held-out speakers that have at least one voice here. */
  installed: HeldOutSpeakers;
}

/** Partitions `voices`; throws if a speaker is held out for both dev and test. */
export function partitionBySpeaker(voices: readonly Voice[], held: HeldOutSpeakers): SpeakerPartition {
  const both = held.dev.filter((s) => held.test.includes(s));
  if (both.length) throw new Error(`corpus: speaker ${both.join(', ')} is held out for both dev-speakers and test-speakers`);
  const dev = voices.filter((v) => held.dev.includes(v.speaker));
  const test = voices.filter((v) => held.test.includes(v.speaker));
  const seen = voices.filter((v) => !held.dev.includes(v.speaker) && !held.test.includes(v.speaker));
  const present = (list: string[]): string[] => list.filter((s) => voices.some((v) => v.speaker === s));
  return { seen, dev, test, installed: { dev: present(held.dev), test: present(held.test) } };
}

/** The speakers of each split of manifests (entries carry a `speaker` field). */
export function speakersBySplit(splits: Record<string, readonly { speaker?: string }[]>): Record<string, Set<string>> {
  const out: Record<string, Set<string>> = {};
  for (const [split, entries] of Object.entries(splits)) out[split] = new Set(entries.map((e) => e.speaker ?? 'unknown'));
  return out;
}

/**
 * Speakers that a held-out-speakers split shares with any other split (empty when the
 * splits are clean). Used by tests and by the build as a last check before it writes.
 */
export function speakerLeaks(splits: Record<string, readonly { speaker?: string }[]>): string[] {
  const by = speakersBySplit(splits);
  const leaks: string[] = [];
  for (const held of ['dev-speakers', 'test-speakers']) {
    for (const s of by[held] ?? []) {
      for (const [other, speakers] of Object.entries(by)) {
        if (other !== held && speakers.has(s)) leaks.push(`${s} in ${held} and ${other}`);
      }
    }
  }
  return leaks;
}
