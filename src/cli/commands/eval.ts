import type { Command } from 'commander';
import { readAudio } from '../../audio/read-audio.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { readManifest } from '../../data/manifest.js';
import { scoreTranscripts } from '../../metrics/error-rate.js';
import { formatScoreReport, formatScoreSummary, scoreReportJsonl } from '../../metrics/report.js';
import { formatGroupTable, type GroupScore, scoreByGroup } from '../../metrics/group-scores.js';
import { voiceGroup } from '../../corpus/tts/summary.js';
import { decodingInfo } from '../../recognizer/decoding-info.js';
import { evalReport } from '../../report/eval-report.js';
import { basename } from 'node:path';
import { Recognizer } from '../../recognizer/recognizer.js';
import { formatDuration, startProgress } from '../../report/progress.js';
import { addDecoderFlags, decoderFromFlags } from './decoder-flags.js';
import { addBackendFlag, backendFromFlag } from '../backend-flag.js';
import { checkManifestKind, commandModel, evalLines, type EvalFlags } from './line-model.js';

/** `sayre eval`: WER/CER (best path, or beam search with --lm) of a model on a manifest, with a per-utterance report. */
export function registerEval(program: Command): void {
  addBackendFlag(addDecoderFlags(program.command('eval')))
    .description('score a model on a manifest (speech, or text-line images for a text-line model): prints WER and CER, writes a per-utterance report')
    .requiredOption('--manifest <file>', 'manifest of the utterances (or line images) to score (JSON lines)')
    .option('--model <dir|name>', 'model directory or bundled model name: english, text-lines (default: english)')
    .option('--report <file>', 'per-utterance report with alignments, worst first', 'eval-report.txt')
    .option('--jsonl <file>', 'also write the per-utterance scores as JSON lines')
    .option('--json-report <file>', 'also write the totals, per-voice/speaker (or per-font) tables and the decoding as JSON, for sayre card')
    .action(async (o: EvalFlags) => {
      const { dir, lines } = commandModel(o.model);
      const backend = await backendFromFlag(o.backend);
      if (lines) return evalLines(dir!, o, backend);
      checkManifestKind(o.manifest, false, o.model);
      const rec = Recognizer.load(dir, backend ? { backend } : {});
      const decoder = decoderFromFlags(rec, o);
      const entries = readManifest(o.manifest);
      const progress = startProgress({ total: entries.length, unit: 'utts', label: 'eval' });
      const t0 = performance.now();
      // Features of every utterance first, then batched inference.
      const feats = [];
      for (const e of entries) {
        const a = await readAudio(e.audioPath); // any format sayre reads, by content
        progress.tick(0.5);
        feats.push(rec.features(a.samples, a.sampleRate));
      }
      const hyps = await rec.transcribeFeaturesAsync(feats, decoder);
      progress.update(entries.length);
      progress.stop();
      const seconds = (performance.now() - t0) / 1000;
      const audio = entries.reduce((a, e) => a + e.duration, 0);
      const score = scoreTranscripts(entries.map((e, i) => ({ id: e.audio, ref: e.text, hyp: hyps[i]!.text })));
      // Per voice and per recorded speaker, where the manifest says (corpus tts manifests do).
      const groups: Record<string, GroupScore[]> = {};
      for (const key of ['voice', 'speaker'] as const) {
        if (entries.some((e) => e[key] !== undefined)) groups[key] = scoreByGroup(score.utterances, (i) => entries[i]![key] ?? 'unknown');
      }
      const tables = Object.entries(groups).map(([key, rows]) => formatGroupTable(key, rows));
      if (groups['voice']) groups['voiceGroup'] = scoreByGroup(score.utterances, (i) => voiceGroup(entries[i]!.voice ?? 'unknown'));
      writeFileAtomic(o.report, [formatScoreReport(score), ...tables].join('\n\n'));
      if (o.jsonl) writeFileAtomic(o.jsonl, scoreReportJsonl(score));
      if (o.jsonReport) {
        const decoding = decodingInfo(decoder.decoder, { lmFile: typeof o.lm === 'string' ? basename(o.lm) : undefined, transducer: rec.loaded.model.outputKind === 'transducer' });
        writeFileAtomic(o.jsonReport, `${JSON.stringify(evalReport({
          model: o.model ?? 'english', manifest: o.manifest, input: 'speech', decoding, seconds: Number(seconds.toFixed(2)), audioSeconds: Number(audio.toFixed(2)), score, groups,
        }), null, 2)}\n`);
      }
      console.log(formatScoreSummary(score));
      for (const t of tables) console.log(`\n${t}`);
      console.log(`${entries.length} utterances, ${formatDuration(audio)} of audio in ${seconds.toFixed(1)} s (real-time factor ${(seconds / audio).toFixed(3)}); report: ${o.report}`);
    });
}
