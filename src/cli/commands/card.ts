/**
 * `sayre card`: writes a model directory's model card from its config.json, the corpus
 * description and `sayre eval --json-report` results (see src/report/card/).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { readSafetensors } from '../../model/io/safetensors.js';
import { modelCard } from '../../report/card/model-card.js';
import { readCardInputs } from '../../report/card/inputs.js';
import { resolveModelDir } from '../../recognizer/default-model.js';
import { fontSources } from '../../corpus/lines/font-licences.js';
import { RESERVED_FONT_FAMILIES } from '../../corpus/lines/fonts.js';
import { RESERVED_VOICES } from '../../corpus/tts/voices.js';
import { RESERVED_TEXTS } from '../../corpus/fortune-sentences.js';
import { ESPEAK_FORMANT_INFO } from '../../corpus/tts/voice-catalogue.js';

/** The card's file name in a model directory (every bundled model has one). */
export const CARD_NAME = 'MODEL_CARD.md';

const collect = (v: string, list: string[]): string[] => [...list, v];

/** Quotes an argument for the command line shown in the card when the shell would need it. */
const quote = (a: string): string => (/^[\w./=:@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** Registers `sayre card`. */
export function registerCard(program: Command): void {
  program.command('card')
    .description(`write a model directory's ${CARD_NAME} from its config.json, its corpus.json and eval reports (every figure from those files)`)
    .requiredOption('--model <dir|name>', 'model directory or bundled model name: english, english-streaming, text-lines')
    .option('--corpus <file>', 'corpus.json of sayre corpus tts or sayre corpus lines (voices or fonts, licences, splits, held-out speakers or fonts)')
    .option('--extension <file>', 'corpus.json of a sayre corpus tts or sayre corpus lines --extend build of that corpus whose train split the model also read (repeat)', collect, [])
    .option('--eval <split=file>', 'a sayre eval --json-report result for a split (repeat: one per split and decoding, e.g. best path and with LM)', collect, [])
    .option('--bench <split=file>', 'text lines: a lines bench JSON result for a split (SAYRE_LINES_JSON=FILE npm run bench -- lines): adds tesseract\'s columns', collect, [])
    .option('--baseline <split=file>', 'another model\'s sayre eval --json-report result on a split, shown beside this model\'s (repeat; with --baseline-name)', collect, [])
    .option('--baseline-name <name>', 'the other model\'s name in the comparison (default: baseline)', 'baseline')
    .option('--name <name>', 'the model\'s name in the title (default: the directory\'s, or its parent\'s for runs/NAME/model)')
    .option('--out <file>', `where to write the card (default: ${CARD_NAME} in the model directory; - for stdout)`)
    .action((o: { model: string; name?: string; corpus?: string; extension: string[]; eval: string[]; bench: string[]; baseline: string[]; baselineName: string; out?: string }) => {
      const dir = resolveModelDir(o.model);
      const command = ['sayre', 'card', ...process.argv.slice(3)].map(quote).join(' ');
      const inputs = readCardInputs({ model: dir, name: o.name, corpus: o.corpus, extensions: o.extension, evals: o.eval, benches: o.bench, ...(o.baseline.length ? { baseline: { name: o.baselineName, evals: o.baseline } } : {}), cardName: CARD_NAME, command }, {
        weights: (path) => {
          const tensors = [...readSafetensors(path).tensors.values()];
          const kinds = [...new Set(tensors.map((t) => (t.dtype === 'F16' ? 'float16' : t.dtype === 'F32' ? 'float32' : t.dtype)))];
          return { parameters: tensors.reduce((a, t) => a + t.data.length, 0), storedAs: kinds.join(', ') };
        },
        fontSources,
        espeakFormant: { package: ESPEAK_FORMANT_INFO.package, licence: ESPEAK_FORMANT_INFO.licence },
        reserved: { voices: RESERVED_VOICES, fonts: RESERVED_FONT_FAMILIES, texts: RESERVED_TEXTS },
      });
      const card = modelCard(inputs);
      if (o.out === '-') {
        process.stdout.write(card);
        return;
      }
      const out = o.out ?? join(dir, CARD_NAME);
      writeFileAtomic(out, card);
      if (!o.corpus) console.error('sayre card: no --corpus given: the card cannot list the training data, its licences or what the model never saw');
      if (!o.eval.length) console.error('sayre card: no --eval given: the card has no results');
      console.log(`${out}: ${inputs.evals.length} eval report(s), ${inputs.benches.length} bench result(s)${o.corpus ? `, corpus ${o.corpus}` : ''}`);
    });
}
