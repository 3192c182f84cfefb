/** A tiny speech corpus for end-to-end tests: a few words spoken by espeak-ng (a non-reserved voice). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '../../src/audio/wav-read.js';
import type { RunConfig } from '../../src/train/run/run-config.js';

/** Why the corpus cannot be made here, or null when espeak-ng runs. */
export function espeakMissing(): string | null {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'espeak-ng is not installed';
  }
}

export const TINY_TEXTS = ['yes', 'no', 'go now', 'stop'];

/** Writes wav/*.wav, train.jsonl and dev.jsonl (the same utterances: the tests overfit) under a new temp folder. */
export function makeTinyCorpus(texts: readonly string[] = TINY_TEXTS): string {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-tiny-'));
  mkdirSync(join(dir, 'wav'));
  const lines = texts.map((text, i) => {
    const rel = `wav/u${i}.wav`;
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', join(dir, rel), text]);
    const a = readWav(join(dir, rel));
    if (!(statSync(join(dir, rel)).size > 44)) throw new Error(`espeak-ng wrote no audio for ${text}`);
    return JSON.stringify({ audio: rel, text, duration: a.samples.length / a.sampleRate, voice: 'espeak-ng:en-us' });
  });
  writeFileSync(join(dir, 'train.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'dev.jsonl'), lines.join('\n') + '\n');
  return dir;
}

/** A model small enough to train in seconds. */
export function tinyConfig(training: Partial<RunConfig['training']> = {}): RunConfig {
  return {
    model: { hiddenSize: 24, numLayers: 1, frameStack: 3, frameStride: 3 },
    frontEnd: { sampleRate: 16000, fbank: { numMelBins: 23 } },
    training: {
      learningRate: 0.01, optimizer: { kind: 'adam' }, schedule: { kind: 'constant' }, clipNorm: 5, maxBatchSize: 2, maxFrames: 100000,
      weightNoise: 0.005, patience: 2, noisePatience: 2, minDelta: 0, maxEpochs: 60, maxMinutes: 0, checkpointMinutes: 10, specAugment: null, featurePerturbation: null, linePerturbation: null, seed: 1,
      ...training,
    },
  };
}
