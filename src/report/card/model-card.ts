/**
 * A model card in Markdown, made only from files (config.json, corpus.json, eval reports,
 * bench results), so every figure in it can be remade by rerunning the command it names.
 */
import type { CardInputs } from './inputs.js';
import { linesCorpusSection, linesNeverSeen, linesTables } from './lines.js';
import { modelSection, trainingSection } from './model-section.js';
import { baselineComparison, resultsSummary } from './results.js';
import { speechCorpusSection, speechNeverSeen, speechTables } from './speech.js';

/** True for a text-line (CRNN) model's config.json. */
export function isLineModelConfig(config: Record<string, unknown>): boolean {
  return (config['model'] as { type?: unknown } | undefined)?.type === 'crnn';
}

/** The card of `c`; throws when the inputs contradict each other (a speech corpus for a text-line model, a reserved voice or font in the corpus). */
export function modelCard(c: CardInputs): string {
  const lines = isLineModelConfig(c.config);
  const k = c.corpus?.data;
  if (k && (k.kind === 'lines') !== lines) {
    throw new Error(`${c.corpus!.path}: a ${k.kind === 'lines' ? 'text-line' : 'speech'} corpus, but ${c.modelDir} is a ${lines ? 'text-line' : 'speech'} model`);
  }
  const sections = [
    `# ${c.name}: model card`,
    `Generated on ${c.date.toISOString().slice(0, 10)} by\n\n\`\`\`sh\n${c.command}\n\`\`\`\n\n`
      + 'from the files it names; do not edit it by hand: rerun the command (after `sayre eval --json-report` on each split) to remake it.',
    modelSection(c),
    trainingSection(c),
  ];
  if (!k) sections.push('## Data\n\nNo corpus description given (`--corpus corpus.json`): this card cannot list the training data, its licences or what the model has never seen.');
  else if (k.kind === 'tts') sections.push(speechCorpusSection(c, k, c.corpus!.path), speechNeverSeen(c, k, c.corpus!.path));
  else sections.push(linesCorpusSection(c, k, c.corpus!.path), linesNeverSeen(c, k, c.corpus!.path));
  sections.push(resultsSummary(c, lines));
  const beside = baselineComparison(c, lines);
  if (beside) sections.push(beside);
  const tables = lines ? linesTables(c) : speechTables(c);
  if (tables) sections.push(tables);
  return `${sections.join('\n\n')}\n`;
}
