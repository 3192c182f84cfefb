/**
 * The text-line parts of a card: the corpus (lines and font families per split, fonts and
 * their licences, texts), the fonts it has never seen, and per-font results per split
 * and rendering, beside tesseract's where a lines bench result is given.
 */
import type { GroupRow } from '../eval-report.js';
import { type CardInputs, extensionsOf } from './inputs.js';
import type { LinesCorpusJson } from './corpus-json.js';
import { count, inWords, table } from './markdown.js';
import { columnsOf, groupRow, rateCells, splitsOf } from './results.js';

const TRAINED = ['train', 'dev', 'test'];

/** Families of the held-out splits that no train, dev or test line uses. */
function heldOutFamilies(k: LinesCorpusJson): Record<string, string[]> {
  const seen = new Set(TRAINED.flatMap((s) => k.fonts[s] ?? []));
  return Object.fromEntries(Object.entries(k.fonts).filter(([s]) => !TRAINED.includes(s)).map(([s, f]) => [s, f.filter((x) => !seen.has(x))]));
}

/** The "Data" section of a line corpus. */
export function linesCorpusSection(c: CardInputs, k: LinesCorpusJson, path: string): string {
  const out = [`## Data\n\nFrom \`${path}\` (\`sayre corpus lines\`${k.seed !== undefined ? `, seed ${k.seed}` : ''}; augmentation ${k.augmentation ?? '?'}). `
    + 'Every line is rendered from a font with ImageMagick: no scans, photographs or real handwriting.'];
  const row = (name: string, x: LinesCorpusJson, s: string): string[] => [name, count(x.counts[s] ?? 0), count(x.fonts[s]?.length ?? 0), (x.fonts[s] ?? []).join(', ')];
  const extensions = extensionsOf(c, 'lines');
  out.push(table(['split', 'lines', 'font families', 'families'],
    [...Object.keys(k.fonts).map((s) => row(s, k, s)), ...extensions.map((e) => row(`train, extension (seed ${e.data.seed ?? '?'})`, e.data, 'train'))],
    [false, true, true, false]));
  for (const e of extensions) {
    const d = e.data.extends!.dropped;
    out.push(`The model also trained on \`${e.path}\` (\`sayre corpus lines --extend\`): the train lines of another seed's plan with the same fonts and text sources, `
      + `less ${count(d.text)} whose text is a dev, test or held-out text of this corpus and ${count(d.family)} in its held-out families.`);
  }
  const rows = k.families.map((f) => {
    const src = c.fontSources?.[f];
    return [f, Object.keys(k.fonts).filter((s) => k.fonts[s]!.includes(f)).join(', '), src ? `${src.package} (${src.section})` : '?', src?.licence ?? 'not found on this machine'];
  });
  out.push(`### Fonts and licences\n\nPackages and licences looked up on the machine that made this card (fontconfig, dpkg, the package's Debian copyright file).\n\n${
    table(['family', 'splits', 'package (section)', 'licence'], rows)}`);
  const terms = new Map<string, string[]>();
  for (const f of k.families) {
    const l = c.fontSources?.[f]?.licence ?? 'unknown';
    terms.set(l, [...(terms.get(l) ?? []), f]);
  }
  out.push(`### Licences\n\n${[...terms.entries()].map(([l, f]) => `- ${l}: ${f.join(', ')}`).join('\n')}`);
  if (k.candidateTexts !== undefined) {
    out.push(`### Text\n\n${count(k.candidateTexts)} candidate lines for train, dev and test (fortunes, WordNet, GCIDE, names, numbers, punctuation, letter strings); `
      + `${count(k.heldOutTexts ?? 0)} held-out lines for the held-out-font splits, from a source the others do not read.`);
  }
  return out.join('\n\n');
}

/** The "Never seen" section: held-out font families and texts; reserved fonts and texts. */
export function linesNeverSeen(c: CardInputs, k: LinesCorpusJson, path: string): string {
  const key = (f: string): string => f.toLowerCase().replace(/\s+/g, '');
  const heldOut = heldOutFamilies(k), held = Object.values(heldOut).flat();
  for (const source of [{ path, data: k }, ...extensionsOf(c, 'lines')]) {
    const reserved = source.data.families.filter((f) => c.reserved.fonts.some((r) => key(r) === key(f)));
    if (reserved.length) throw new Error(`${source.path}: reserved fonts in the corpus: ${reserved.join(', ')}`);
    // the corpus's held-out families stay out of its extensions' train
    const leaked = source.data === k ? [] : (source.data.fonts['train'] ?? []).filter((f) => held.includes(f));
    if (leaked.length) throw new Error(`${source.path}: held-out font families ${leaked.join(', ')} are in train`);
  }
  const lines = Object.entries(heldOut).filter(([, f]) => f.length).map(([s, f]) => `- Font families of \`${s}\` in no train, dev or test line: ${inWords(f)}.`);
  if (k.heldOutTexts) lines.push('- Text: the held-out splits read lines from a source that neither the other splits nor the line LM text use.');
  lines.push(`- Reserved for independent evaluation, in no split: the fonts ${inWords(c.reserved.fonts)} and the texts ${inWords(c.reserved.texts.map((t) => `\`${t}\``))}.`);
  lines.push('- Scans, photographs, real handwriting: none.');
  return `## What it has never seen\n\n${lines.join('\n')}`;
}

/** Per-font tables, one per split and rendering given, with tesseract's columns where a bench result is given. */
export function linesTables(c: CardInputs): string {
  const out: string[] = [];
  for (const split of splitsOf(c)) {
    const cols = columnsOf(c, split, true);
    const tess = c.benches.find((b) => b.split === split)?.data.systems['tesseract'];
    const sources = [...cols.map((x) => x.report.data.groups), ...(tess ? [tess.groups] : [])];
    if (!sources.length) continue;
    const hand = new Set([...cols.flatMap((x) => x.report.data.handwritingFamilies ?? []), ...(c.benches.find((b) => b.split === split)?.data.handwritingFamilies ?? [])]);
    const renderings = [...new Set(sources.flatMap((g) => (g['rendering'] ?? []).map((r) => r.group)))].sort();
    for (const r of renderings.length ? renderings : [undefined]) {
      const fam = r ? `family/${r}` : 'family', kind = r ? `kind/${r}` : 'kind';
      const families = [...new Set(sources.flatMap((g) => (g[fam] ?? []).map((x) => x.group)))]
        .sort((a, b) => Number(hand.has(b)) - Number(hand.has(a)) || a.localeCompare(b));
      const cells = (tableName: string, group: string): string[] => [
        ...cols.flatMap((x) => rateCells(groupRow(x.report.data.groups, tableName, group))), ...(tess ? rateCells(groupRow(tess.groups, tableName, group)) : []),
      ];
      const n = (tableName: string, group: string): number => sources.map((g) => groupRow(g, tableName, group)).find((x): x is GroupRow => x !== undefined)?.utterances ?? 0;
      const rows = families.map((f) => [f, hand.has(f) ? 'handwriting-like' : 'regular', count(n(fam, f)), ...cells(fam, f)]);
      for (const k of ['handwriting-like', 'regular']) if (n(kind, k)) rows.push([`**all ${k}**`, '', count(n(kind, k)), ...cells(kind, k)]);
      if (r) rows.push(['**all**', '', count(n('rendering', r)), ...cells('rendering', r)]);
      else rows.push(['**all**', '', count((cols[0]?.report.data.total ?? tess!.total).utterances), ...cols.flatMap((x) => rateCells(x.report.data.total)), ...(tess ? rateCells(tess.total) : [])]);
      const head = ['font family', 'kind', 'lines', ...cols.flatMap((x) => [`CER ${x.label}`, `WER ${x.label}`]), ...(tess ? ['CER tesseract', 'WER tesseract'] : [])];
      out.push(`### ${split}${r ? `, ${r} rendering` : ''}\n\n${table(head, rows, head.map((_, i) => i >= 2))}`);
    }
  }
  return out.length ? `## Per font\n\n${out.join('\n\n')}` : '';
}
