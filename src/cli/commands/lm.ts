/** `sayre lm build` and `sayre lm score`: thin shells over the n-gram builder and reader. */
import { readFileBounded } from '../../util/read-bounded.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { readArpa } from '../../decode/lm/arpa-reader.js';
import { writeArpa } from '../../decode/lm/arpa-writer.js';
import { buildKneserNey, corpusSentences, type Discounts } from '../../decode/lm/kneser-ney.js';
import { perplexity } from '../../decode/lm/perplexity.js';
import { attachModelLm, describeModelLm } from '../../model/io/model-lm.js';
import { DEFAULT_WORD_LM_ALPHA } from '../../decode/prefix-beam-search.js';
import { cutIntoLines, LINE_WORDS } from '../../corpus/lines/line-texts.js';
import { Random } from '../../math/random.js';

interface BuildFlags {
  order: number; text: string[]; out: string; prune?: number[]; unit: 'word' | 'char'; delimiter: string;
  exclude?: string[]; discountFallback?: number[]; fold?: boolean; recut?: boolean; seed?: number;
}

interface ScoreFlags { lm: string; text: string; unit: 'word' | 'char'; delimiter: string; fold?: boolean }

const FOLD_HELP = 'word models: lower-case words without their edge punctuation ("Hello," -> hello), as a word LM beside a character LM reads them';

/** Refuses --fold on a character model. */
function checkFold(f: { fold?: boolean; unit: 'word' | 'char' }): void {
  if (f.fold && f.unit !== 'word') throw new Error('--fold applies to word models (--unit word)');
}

function int(name: string, min: number) {
  return (value: string): number => {
    const v = Number(value);
    if (!Number.isInteger(v) || v < min) throw new InvalidArgumentError(`${name}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
    return v;
  };
}

function numbers(name: string) {
  return (value: string, prev: number[] | undefined): number[] => {
    const out = [...(prev ?? [])];
    for (const part of value.split(/[\s,]+/).filter((p) => p !== '')) {
      const v = Number(part);
      if (!Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`${name}: expected numbers >= 0, got ${JSON.stringify(value)}`);
      out.push(v);
    }
    return out;
  };
}

function finiteNumber(name: string) {
  return (value: string): number => {
    const v = Number(value);
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`${name}: expected a number, got ${JSON.stringify(value)}`);
    return v;
  };
}

function unit(value: string): 'word' | 'char' {
  if (value !== 'word' && value !== 'char') throw new InvalidArgumentError(`--unit: expected word or char, got ${JSON.stringify(value)}`);
  return value;
}

/** Sentences to keep out of the LM text: lines of text files, or the "text" of JSON-lines manifests. */
function excludedSentences(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    readFileBounded(f, 'text file').toString('utf8').split('\n').forEach((line, i) => {
      const t = line.trim();
      if (t === '') return;
      let text = t;
      if (f.endsWith('.jsonl') || f.endsWith('.json')) {
        try {
          const rec = JSON.parse(t) as { text?: unknown };
          if (typeof rec.text !== 'string') throw new Error('no "text" field');
          text = rec.text;
        } catch (err) {
          throw new Error(`${f}:${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      out.add(normalise(text));
    });
  }
  return out;
}

const normalise = (s: string): string => s.trim().split(/\s+/).join(' ');

/** Registers `lm build` and `lm score`. */
export function registerLmCommand(program: Command): void {
  const lm = program.command('lm').description('n-gram language models for beam-search decoding.');
  lm.command('build')
    .description('Estimate an interpolated modified Kneser-Ney n-gram model from text (one sentence per line) and write it as ARPA.')
    .requiredOption('--order <n>', 'n of the n-gram model', int('--order', 1))
    .requiredOption('--text <files...>', 'training text, one sentence per line, tokens split on whitespace')
    .requiredOption('--out <file>', 'ARPA file to write (atomically)')
    .option('--prune <counts...>', 'per order, drop n-grams whose count is <= this (e.g. 0 0 1; unigrams never)', numbers('--prune'))
    .option('--unit <unit>', 'word, or char: a character model with --delimiter between words', unit, 'word')
    .option('--delimiter <token>', 'the word delimiter token of a character model', '|')
    .option('--exclude <files...>', 'sentences never to use (text lines, or the "text" of .jsonl manifests): dev and test sets')
    .option('--discount-fallback <d...>', 'D1 D2 D3+ for orders whose estimate is unusable', numbers('--discount-fallback'))
    .option('--fold', FOLD_HELP)
    .option('--recut', `join the sentences (those not excluded, in file order) into running text and cut it again at random points into lines of ${LINE_WORDS[0]}-${LINE_WORDS[1]} words, `
      + 'as `corpus lines` cuts text: lines of print run across sentence ends, which a model of one sentence a line rarely sees mid-line')
    .option('--seed <n>', 'with --recut: seed of the cut points (default 1)', int('--seed', 0))
    .action((f: BuildFlags) => {
      checkFold(f);
      if (f.seed !== undefined && !f.recut) throw new Error('--seed applies to --recut');
      if (f.discountFallback && f.discountFallback.length !== 3) throw new Error('--discount-fallback needs three numbers: D1 D2 D3+');
      const excluded = excludedSentences(f.exclude ?? []);
      let dropped = 0;
      let lines: string[] = [];
      for (const file of f.text) {
        for (const line of readFileBounded(file, 'text file').toString('utf8').split('\n')) {
          const t = normalise(line);
          if (t === '') continue;
          if (excluded.has(t)) dropped++;
          else lines.push(t);
        }
      }
      if (f.recut) lines = cutIntoLines(lines.join(' '), new Random(f.seed ?? 1));
      const t0 = Date.now();
      const r = buildKneserNey(corpusSentences(lines.join('\n'), f.unit, f.delimiter, f.fold), {
        order: f.order, prune: f.prune, discountFallback: f.discountFallback as Discounts | undefined,
      });
      writeArpa(r.model, f.out);
      console.log(`${lines.length} ${f.recut ? 'lines cut from the running text' : 'sentences'}${excluded.size > 0 ? ` (${dropped} excluded)` : ''}; ${r.model.vocabulary.length} tokens in the vocabulary`);
      for (let k = 1; k <= f.order; k++) {
        const d = r.discounts[k - 1]!.map((x) => x.toFixed(4)).join(' ');
        console.log(`  ${k}-grams: ${r.model.count(k)} kept of ${r.counted[k - 1]}; discounts ${d}${r.fallbackOrders.includes(k) ? ' (fallback: too few counts to estimate)' : ''}`);
      }
      console.log(`wrote ${f.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
  lm.command('attach')
    .description('Make an ARPA file the default LM of a model directory: copied in, named by an "lm" entry in its config.json '
      + '(transcribe and eval then decode with it unless --no-lm or --lm FILE).')
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--lm <file>', 'ARPA file (plain or gzip)')
    .option('--unit <unit>', 'word, or char: a character model with --delimiter between words', unit, 'word')
    .option('--delimiter <token>', 'the word delimiter token of a character model', '<sp>')
    .requiredOption('--alpha <a>', 'LM weight to decode with', finiteNumber('--alpha'))
    .option('--beta <b>', 'word insertion bonus to decode with', finiteNumber('--beta'), 0)
    .option('--label-bonus <g>', 'bonus per label to decode with (CTC)', finiteNumber('--label-bonus'))
    .option('--beam <n>', 'beam width to decode with', int('--beam', 1), 16)
    .option('--word-lm <file>', 'with --unit char: a word ARPA LM to score whole words beside it (copied in as word-lm.arpa[.gz])')
    .option('--word-alpha <a>', 'with --word-lm: its weight', finiteNumber('--word-alpha'), DEFAULT_WORD_LM_ALPHA)
    .option('--unk-score <s>', 'score of a word the word LM does not know', finiteNumber('--unk-score'))
    .action((f: { model: string; lm: string; unit: 'word' | 'char'; delimiter: string; alpha: number; beta: number; labelBonus?: number; beam: number; wordLm?: string; wordAlpha: number; unkScore?: number }) => {
      const entry = attachModelLm(f.model, f.lm, {
        unit: f.unit, ...(f.unit === 'char' ? { delimiter: f.delimiter } : {}), alpha: f.alpha, beta: f.beta, beamWidth: f.beam,
        ...(f.labelBonus !== undefined ? { labelBonus: f.labelBonus } : {}), ...(f.unkScore !== undefined ? { unkScore: f.unkScore } : {}),
      }, f.wordLm !== undefined ? { arpa: f.wordLm, alpha: f.wordAlpha } : undefined);
      console.log(`${f.model}: decodes with ${describeModelLm(entry)} by default`);
    });
  lm.command('score')
    .description('Perplexity of a text (one sentence per line) under an ARPA model.')
    .requiredOption('--lm <file>', 'ARPA file (plain or gzip)')
    .requiredOption('--text <file>', 'text, one sentence per line')
    .option('--unit <unit>', 'word or char (as the model was built)', unit, 'word')
    .option('--delimiter <token>', 'the word delimiter token of a character model', '|')
    .option('--fold', FOLD_HELP)
    .action((f: ScoreFlags) => {
      checkFold(f);
      const model = readArpa(f.lm);
      const r = perplexity(model, corpusSentences(readFileBounded(f.text, 'text file').toString('utf8'), f.unit, f.delimiter, f.fold));
      console.log(`${r.sentences} sentences, ${r.tokens} tokens (${r.oovs} unknown to the model)`);
      console.log(`log10 probability ${r.log10Prob.toFixed(2)}; perplexity ${r.perplexity.toFixed(2)} (with </s>, unknown tokens included)`);
    });
}
