/**
 * The speech parts of a card: the corpus (hours per split, speakers per split, voices and
 * their licences, text), what the model has never heard, and per-voice results per split.
 */
import { type CardInputs, extensionsOf } from './inputs.js';
import type { CorpusVoice, TtsCorpusJson } from './corpus-json.js';
import { count, hours, inWords, table } from './markdown.js';
import { columnsOf, groupRow, rateCells, splitsOf } from './results.js';

/** espeak-ng's own formant voices: one group per accent in the per-voice tables. */
const FORMANT = 'espeak-ng-formant';
const isRecorded = (speaker: string): boolean => speaker !== FORMANT && speaker !== 'unknown';

/** What corpus.json says about a voice group (an id, or "espeak-ng:<accent>" for formant voices). */
function voiceOf(corpus: TtsCorpusJson | undefined, group: string): Pick<CorpusVoice, 'speaker' | 'sex' | 'synthesis'> | undefined {
  const v = corpus?.voices.find((x) => x.id === group);
  if (v) return v;
  if (corpus && group.startsWith('espeak-ng:') && !group.includes('mb-')) return { speaker: FORMANT, sex: 'various', synthesis: 'formant' };
  return undefined;
}

/** Splits in corpus order: the summary's. */
const corpusSplits = (k: TtsCorpusJson): string[] => Object.keys(k.summary.splits);

/** The "Training data" section of a speech corpus. */
export function speechCorpusSection(c: CardInputs, k: TtsCorpusJson, path: string): string {
  const splits = corpusSplits(k);
  const s = k.summary;
  const out = [`## Data\n\nFrom \`${path}\` (\`sayre corpus tts\`${k.plan?.seed !== undefined ? `, seed ${k.plan.seed}` : ''}; status ${k.status}). `
    + 'Every utterance is synthetic: made by Debian\'s text-to-speech engines, none recorded from a person for this corpus.'];
  const row = (name: string, sum: TtsCorpusJson['summary'], sp: string): string[] => [name, count(sum.splits[sp]!.utterances), hours(sum.splits[sp]!.hours),
    count(sum.splits[sp]!.augmented), count(sum.distinctVoices[sp] ?? 0), count((sum.speakers[sp] ?? []).filter(isRecorded).length)];
  const extensions = extensionsOf(c, 'tts').filter((e) => e.data.summary.splits['train']);
  out.push(table(['split', 'utterances', 'hours', 'channel-augmented', 'distinct voices', 'recorded speakers'],
    [...splits.map((sp) => row(sp, s, sp)), ...extensions.map((e) => row(`train, extension (seed ${e.data.plan?.seed ?? '?'})`, e.data.summary, 'train'))],
    [false, true, true, true, true, true]));
  for (const e of extensions) {
    const d = e.data.extends!.dropped;
    out.push(`The model also trained on \`${e.path}\` (\`sayre corpus tts --extend\`): the train utterances of another seed's plan with the same voices, `
      + `less ${count(d.text)} that read a dev or test sentence of this corpus, ${count(d.variant)} in the espeak-ng variants it keeps for test `
      + `and ${count(d.speaker)} by its held-out speakers.`);
  }
  // Speakers: who is heard in which split.
  const speakers = [...new Set(Object.values(s.speakers).flat())].sort();
  const sexOf = (sp: string): string => (sp === FORMANT ? 'various' : k.voices.find((v) => v.speaker === sp)?.sex ?? '?');
  const recorded = speakers.filter(isRecorded);
  const inTrain = (s.speakers['train'] ?? []).filter(isRecorded);
  out.push(`### Speakers per split\n\n${recorded.length} recorded speakers in all; ${inTrain.length} in train, `
    + `${inTrain.filter((sp) => sexOf(sp) === 'female').length} of them female. "${FORMANT}" is espeak-ng's own formant synthesis `
    + `(${count(k.espeakFormantVoices)} accent x variant voices), not a recorded person.`);
  out.push(table(['speaker', 'sex', 'voices', ...splits],
    speakers.map((sp) => [sp, sexOf(sp), sp === FORMANT ? 'espeak-ng accents x variants' : k.voices.filter((v) => v.speaker === sp).map((v) => v.id).join(', '),
      ...splits.map((x) => ((s.speakers[x] ?? []).includes(sp) ? 'yes' : ''))])));
  out.push(`### Voices and licences\n\n${table(['voice', 'speaker', 'sex', 'synthesis', 'package', 'licence terms'],
    [...k.voices.map((v) => [v.id, v.speaker, v.sex, v.synthesis, v.package, v.licence]),
      ...(k.espeakFormantVoices > 0 ? [[`espeak-ng formant voices (${count(k.espeakFormantVoices)})`, FORMANT, 'various', 'formant',
        c.espeakFormant?.package ?? '?', c.espeakFormant?.licence ?? 'not recorded in corpus.json']] : [])])}`);
  out.push(licenceSummary(c, k));
  if (k.skippedVoices.length) out.push(`Voices skipped because their package was not installed: ${k.skippedVoices.map((v) => `${v.id} (${v.package})`).join(', ')}.`);
  else out.push('No voice was skipped: every voice sayre knows was installed.');
  const sources = Object.entries(k.text?.sources ?? {});
  if (sources.length) {
    out.push(`### Text\n\n${table(['source', 'sentences'], sources.map(([n, v]) => [n, count(v)]), [false, true])}`
      + `${k.text?.maxPerSource ? `\n\nAt most ${count(k.text.maxPerSource)} sentences a source.` : ''}`);
  }
  return out.join('\n\n');
}

/** Licences grouped, and the terms a model inherits from the voices it trained on. */
function licenceSummary(c: CardInputs, k: TtsCorpusJson): string {
  const trainGroups = Object.entries(k.summary.voices).filter(([, sp]) => (sp['train']?.utterances ?? 0) > 0).map(([g]) => g);
  const trained = k.voices.filter((v) => trainGroups.includes(v.id));
  const terms = new Map<string, string[]>();
  for (const v of trained) terms.set(v.licence, [...(terms.get(v.licence) ?? []), v.id]);
  if (trainGroups.some((g) => voiceOf(k, g)?.speaker === FORMANT)) {
    const l = c.espeakFormant?.licence ?? 'not recorded in corpus.json';
    terms.set(l, [...(terms.get(l) ?? []), 'espeak-ng formant voices']);
  }
  const nc = [...terms.entries()].filter(([l]) => /non-commercial/i.test(l)).flatMap(([, ids]) => ids);
  return `### Licences of the training voices\n\n${[...terms.entries()].map(([l, ids]) => `- ${l}: ${ids.join(', ')}`).join('\n')}\n\n`
    + (nc.length ? `**The model was trained on voices licensed for non-commercial use only (${nc.join(', ')}): it inherits those terms.**`
      : 'No training voice is limited to non-commercial use.');
}

/** The "Never heard" section: held-out speakers, variants and text; reserved voices and texts. */
export function speechNeverSeen(c: CardInputs, k: TtsCorpusJson, path: string): string {
  const train = new Set([k, ...extensionsOf(c, 'tts').map((e) => e.data)].flatMap((x) => x.summary.speakers['train'] ?? []));
  const lines: string[] = [];
  for (const sp of corpusSplits(k).filter((x) => x !== 'train')) {
    const unseen = (k.summary.speakers[sp] ?? []).filter((x) => !train.has(x));
    if (unseen.length) lines.push(`- Speakers of \`${sp}\` never heard in training: ${inWords(unseen)} (through every engine that voices them).`);
  }
  // the corpus's held-out speakers and reserved voices stay out of its extensions' train too
  for (const source of [{ path, data: k }, ...extensionsOf(c, 'tts')]) {
    const heard = new Set(source.data.summary.speakers['train'] ?? []);
    for (const [split, list] of Object.entries(k.heldOutSpeakers)) {
      const leaked = list.filter((x) => heard.has(x));
      if (leaked.length) throw new Error(`${source.path}: held-out ${split} speakers ${leaked.join(', ')} are in train`);
    }
    const reserved = source.data.voices.filter((v) => c.reserved.voices.includes(v.id));
    if (reserved.length) throw new Error(`${source.path}: reserved voices in the corpus: ${reserved.map((v) => v.id).join(', ')}`);
  }
  if (k.heldOutVariants?.length) lines.push(`- espeak-ng variants never in train or dev (heard in \`test\` only): ${k.heldOutVariants.join(', ')}.`);
  const heldText = k.text?.heldOutTextSource;
  if (heldText) lines.push(`- Text: the \`${heldText}\` source is read only by \`test-speakers\`, never by training or the other splits; an LM for this model must not use it.`);
  lines.push(`- Reserved for independent evaluation, in no split: the voices ${inWords(c.reserved.voices.map((v) => `\`${v}\``))} (and any built from CMU ARCTIC slt or rms), `
    + `and the texts ${inWords(c.reserved.texts.map((t) => `\`${t}\``))}.`);
  lines.push('- Recorded human speech: none in training.');
  return `## What it has never heard\n\n${lines.join('\n')}`;
}

/** Per-voice tables, one per split given. */
export function speechTables(c: CardInputs): string {
  const k = c.corpus?.data.kind === 'tts' ? c.corpus.data : undefined;
  const out: string[] = [];
  for (const split of splitsOf(c)) {
    const cols = columnsOf(c, split, false);
    if (!cols.length) continue;
    const groupTable = (cols.some((x) => x.report.data.groups['voiceGroup']) ? 'voiceGroup' : 'voice');
    const groups = [...new Set(cols.flatMap((x) => (x.report.data.groups[groupTable] ?? []).map((g) => g.group)))].sort();
    // Without corpus.json nothing says who speaks a voice: those columns go.
    const about = (g: string): string[] => {
      const v = voiceOf(k, g);
      return k ? [v?.speaker ?? '?', v?.sex ?? '?', v?.synthesis ?? '?'] : [];
    };
    const rows = groups.map((g) => {
      const n = cols.map((x) => groupRow(x.report.data.groups, groupTable, g)).find((r) => r)?.utterances ?? 0;
      return [g, ...about(g), count(n), ...cols.flatMap((x) => rateCells(groupRow(x.report.data.groups, groupTable, g)))];
    });
    rows.push(['**all**', ...(k ? ['', '', ''] : []), count(cols[0]!.report.data.total.utterances), ...cols.flatMap((x) => rateCells(x.report.data.total))]);
    const head = ['voice', ...(k ? ['speaker', 'sex', 'synthesis'] : []), 'utterances', ...cols.flatMap((x) => [`CER ${x.label}`, `WER ${x.label}`])];
    out.push(`### ${split}\n\n${table(head, rows, head.map((_, i) => i >= head.indexOf('utterances')))}`);
  }
  return out.length ? `## Per voice\n\nespeak-ng's formant voices are summed per accent.\n\n${out.join('\n\n')}` : '';
}
