/**
 * Builds a synthetic English speech corpus with Debian's TTS engines: plans it (see
 * plan.ts), synthesises the utterances in parallel, and writes train/dev/test manifests
 * and corpus.json. Resumable: an utterance whose WAV already exists and is valid is not
 * redone, and the manifests are rewritten atomically as the build goes.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseWavHeader } from '../../audio/wav-header.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { ManifestEntry } from '../manifest.js';
import { writeManifest } from '../manifest.js';
import { readFortuneSentences } from './fortune-sentences.js';
import type { FortuneSentence } from './fortune-sentences.js';
import { planCorpus, SPLITS } from './plan.js';
import type { CorpusPlan, PlannedUtterance, PlanOptions, Split } from './plan.js';
import { summariseCorpus } from './summary.js';
import type { CorpusSummary } from './summary.js';
import { synthesise } from './synthesise.js';
import { allVoices, detectVoices, selectVoices } from './voices.js';
import type { Voice } from './voices.js';

/** Progress of a build. */
export interface CorpusProgress {
  /** Utterances finished (generated, skipped or failed). */
  done: number;
  total: number;
  generated: number;
  skipped: number;
  failed: number;
  /** Seconds of audio finished so far. */
  audioSeconds: number;
}

/** Options of {@link buildTtsCorpus}. */
export interface TtsCorpusOptions extends PlanOptions {
  outDir: string;
  /** Output sample rate. Default 16000. */
  sampleRate?: number;
  /** Parallel synthesis jobs. Default: the number of CPUs. */
  jobs?: number;
  /** Voice selectors (see selectVoices), e.g. ["espeak-ng:en-us", "flite:kal16"]. Default: every installed voice. */
  voices?: string[];
  /** Sentences to speak instead of the fortune files (tests, custom text). */
  sentences?: FortuneSentence[];
  /** Folders of fortune files. Default the Debian one. */
  fortuneDirs?: string[];
  /** Stops the build after the utterances in flight (manifests are still written). */
  signal?: AbortSignal;
  onProgress?: (p: CorpusProgress) => void;
  /** Messages (failures, notes). */
  log?: (message: string) => void;
}

/** The result of a build. */
export interface TtsCorpusResult {
  summary: CorpusSummary;
  progress: CorpusProgress;
  plan: CorpusPlan;
  /** False when the build was stopped before every utterance was done. */
  complete: boolean;
  wallSeconds: number;
}

/** The options that fix the plan: a resumed build must match them (hours may grow). */
function planKey(o: TtsCorpusOptions, sampleRate: number, voices: Voice[]): Record<string, unknown> {
  return {
    seed: o.seed, sampleRate, augmentShare: o.augmentShare ?? 0.3, devShare: o.devShare ?? 0.05, testShare: o.testShare ?? 0.05,
    heldOutVariantShare: o.heldOutVariantShare ?? 0.1, maxSentences: o.maxSentences ?? null, voices: voices.map((v) => v.id),
  };
}

/** The duration of a finished WAV, or undefined if it is missing or not a valid file at `sampleRate`. */
function existingDuration(path: string, sampleRate: number): number | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const h = parseWavHeader(readFileSync(path), path);
    if (h.sampleRate !== sampleRate || h.channels !== 1 || h.encoding !== 'pcm-s16') return undefined;
    return h.dataBytes / h.blockAlign / sampleRate;
  } catch {
    return undefined;
  }
}

function manifestEntry(u: PlannedUtterance, duration: number): ManifestEntry {
  const e: ManifestEntry = {
    audio: `audio/${u.split}/${u.id}.wav`, text: u.text, duration: Number(duration.toFixed(4)),
    voice: u.voice.id, source: u.source, tts: u.tts,
  };
  if (u.augmentation) {
    const { noiseColour, ...record } = u.augmentation;
    e.augmentation = record;
    if (noiseColour) e['noiseColour'] = noiseColour;
  }
  return e;
}

/** Builds (or resumes) a TTS corpus in `options.outDir`. */
export async function buildTtsCorpus(options: TtsCorpusOptions): Promise<TtsCorpusResult> {
  const t0 = performance.now();
  const sampleRate = options.sampleRate ?? 16000;
  if (!Number.isInteger(sampleRate) || sampleRate < 8000) throw new Error(`corpus: sample rate must be an integer >= 8000, got ${sampleRate}`);
  const jobs = options.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`corpus: jobs must be a positive integer, got ${jobs}`);
  const log = options.log ?? (() => {});
  const installed = allVoices(detectVoices());
  const voices = options.voices ? selectVoices(installed, options.voices) : installed;
  if (voices.length === 0) throw new Error('corpus: no TTS voice is installed (apt-get install espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k sox)');
  const sentences = options.sentences ?? readFortuneSentences(options.fortuneDirs ? { dirs: options.fortuneDirs } : {});
  const plan = planCorpus(sentences, voices, options);

  const { outDir } = options;
  const configPath = join(outDir, 'corpus.json');
  const key = planKey(options, sampleRate, voices);
  if (existsSync(configPath)) {
    const old = JSON.parse(readFileSync(configPath, 'utf8')) as { plan?: Record<string, unknown> };
    if (JSON.stringify(old.plan) !== JSON.stringify(key)) {
      throw new Error(`${configPath}: this folder holds a corpus built with other settings (${JSON.stringify(old.plan)}); use another --out or the same settings`);
    }
  }
  mkdirSync(outDir, { recursive: true });
  const tmpDir = join(outDir, '.tmp');
  rmSync(tmpDir, { recursive: true, force: true }); // leftovers of an interrupted build
  mkdirSync(tmpDir, { recursive: true });
  for (const s of SPLITS) mkdirSync(join(outDir, 'audio', s), { recursive: true });
  const writeConfig = (extra: Record<string, unknown>): void => writeFileAtomic(configPath, `${JSON.stringify({
    plan: key, hours: options.hours, heldOutVariants: plan.heldOutVariants, sentences: plan.sentences,
    targetHours: plan.targetHours, ...extra,
  }, null, 2)}\n`);
  writeConfig({ status: 'building' });

  const done = new Map<string, ManifestEntry>();
  const progress: CorpusProgress = { done: 0, total: plan.utterances.length, generated: 0, skipped: 0, failed: 0, audioSeconds: 0 };
  const manifests = (): Record<Split, ManifestEntry[]> => {
    const out: Record<Split, ManifestEntry[]> = { train: [], dev: [], test: [] };
    for (const u of plan.utterances) {
      const e = done.get(u.id);
      if (e) out[u.split].push(e);
    }
    return out;
  };
  const writeManifests = (): void => {
    const m = manifests();
    for (const s of SPLITS) writeManifest(join(outDir, `${s}.jsonl`), m[s]);
  };
  let lastWrite = performance.now();
  const finish = (u: PlannedUtterance, duration: number | undefined): void => {
    progress.done++;
    if (duration !== undefined) {
      done.set(u.id, manifestEntry(u, duration));
      progress.audioSeconds += duration;
    }
    if (performance.now() - lastWrite > 10_000) {
      writeManifests();
      lastWrite = performance.now();
    }
    options.onProgress?.({ ...progress });
  };

  // Finished utterances first, so that a resumed build's progress starts where it stopped.
  const todo: PlannedUtterance[] = [];
  for (const u of plan.utterances) {
    const d = existingDuration(join(outDir, 'audio', u.split, `${u.id}.wav`), sampleRate);
    if (d === undefined) {
      todo.push(u);
    } else {
      progress.skipped++;
      finish(u, d);
    }
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length && !options.signal?.aborted) {
      const u = todo[next++]!;
      const path = join(outDir, 'audio', u.split, `${u.id}.wav`);
      let duration: number | undefined;
      for (let attempt = 1; attempt <= 2 && duration === undefined; attempt++) {
        try {
          duration = await synthesise(u, path, join(tmpDir, u.id), sampleRate);
        } catch (err) {
          if (attempt === 2) log(`${u.id} (${u.voice.id}): ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (duration === undefined) progress.failed++;
      else progress.generated++;
      finish(u, duration);
      if (progress.failed >= 10 && progress.failed > progress.generated) {
        next = todo.length; // the other workers stop after their current utterance
        throw new Error(`corpus: ${progress.failed} of ${progress.failed + progress.generated} utterances failed; see the messages above`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, todo.length)) }, worker));
  } finally {
    writeManifests();
  }
  rmSync(tmpDir, { recursive: true, force: true });
  const summary = summariseCorpus(manifests());
  const complete = progress.done === progress.total && progress.failed === 0;
  writeConfig({ status: complete ? 'complete' : 'incomplete', summary });
  return { summary, progress, plan, complete, wallSeconds: (performance.now() - t0) / 1000 };
}
