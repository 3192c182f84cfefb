/**
 * The clean utterances a VAD set is built from, read from a speech corpus's manifest:
 * only those whose audio carries no noise, reverberation or channel effect (an effect
 * would blur the labels, which are read from the clean signal), a random subset by seed.
 */
import { loadAudio } from '../../audio/wav-read.js';
import type { AugmentationRecord } from '../../data/manifest.js';
import { readManifest } from '../../data/manifest.js';
import { Random } from '../../math/random.js';

/** Augmentations that add something to the voice (the others only reshape it). */
const ADDED: readonly (keyof AugmentationRecord)[] = ['noiseSnrDb', 'reverb', 'telephone', 'bandLow', 'bandHigh', 'gsm'];

/** Options of {@link readVadClips}. */
export interface VadClipOptions {
  /** Seed of the random subset. */
  seed: number;
  /** Utterances to read at most. */
  count: number;
  /** Rate the audio is resampled to (default 16000). */
  sampleRate?: number;
}

/** Clean utterances of `manifest` and their speakers (see the module comment). */
export function readVadClips(manifest: string, options: VadClipOptions): { clips: Float32Array[]; speakers: string[] } {
  const entries = readManifest(manifest).filter((e) => !ADDED.some((k) => e.augmentation?.[k] !== undefined && e.augmentation[k] !== false));
  const rng = new Random(options.seed);
  // A partial Fisher-Yates shuffle: the first `count` places hold the subset.
  const n = Math.min(options.count, entries.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(entries.length - i);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const chosen = entries.slice(0, n);
  return {
    clips: chosen.map((e) => loadAudio(e.audioPath, options.sampleRate ?? 16000)),
    speakers: chosen.map((e) => e.speaker ?? e.voice ?? 'unknown'),
  };
}
