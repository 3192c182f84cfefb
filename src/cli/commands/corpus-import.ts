/** `sayre corpus import LAYOUT DIR`: a thin shell over importCorpus. */
import { InvalidArgumentError, type Command } from 'commander';
import { CORPUS_LAYOUTS, type CorpusLayout, importCorpus } from '../../corpus/import/import-corpus.js';
import { num } from '../number-option.js';
import { startProgress } from '../../report/progress.js';

interface ImportFlags { out?: string; devShare: number; testShare: number; splits?: string; progress?: boolean }

/** Registers `corpus import` under the `corpus` command (creating that if it is not there yet). */
export function registerCorpusImportCommand(program: Command): void {
  const corpus = program.commands.find((c) => c.name() === 'corpus') ?? program.command('corpus');
  corpus.command('import')
    .description('Write manifests for a downloaded corpus: librispeech (a LibriSpeech folder or subset), commonvoice (one language\'s folder), '
      + 'ljspeech (LJSpeech-1.1), tsv (a .tsv file or folder of them with path and text columns). Transcripts are normalised, '
      + 'durations read from the audio headers; items that cannot be used are listed in import-report.txt.')
    .argument('<layout>', CORPUS_LAYOUTS.join(', '), (v: string) => {
      if (!(CORPUS_LAYOUTS as readonly string[]).includes(v)) throw new InvalidArgumentError(`one of ${CORPUS_LAYOUTS.join(', ')}`);
      return v;
    })
    .argument('<dir>', 'the corpus folder (tsv: a .tsv file or a folder of them)')
    .option('--out <dir>', 'folder for the manifests and import-report.txt (default: the corpus folder)')
    .option('--dev-share <s>', 'share of utterances for dev where the corpus has no splits (ljspeech, one tsv)', num('--dev-share', (v) => v >= 0 && v < 1), 0.05)
    .option('--test-share <s>', 'share of utterances for test where the corpus has no splits', num('--test-share', (v) => v >= 0 && v < 1), 0.05)
    .option('--splits <list>', 'commonvoice: comma-separated TSVs to import (default train,dev,test; also validated, other, invalidated)')
    .option('--no-progress', 'no progress bar')
    .action((layout: CorpusLayout, dir: string, f: ImportFlags) => {
      let bar: ReturnType<typeof startProgress> | undefined;
      const summary = importCorpus({
        layout, dir, devShare: f.devShare, testShare: f.testShare,
        ...(f.out ? { outDir: f.out } : {}),
        ...(f.splits ? { splits: f.splits.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        onProgress: (done, total) => {
          if (f.progress === false) return;
          bar ??= startProgress({ total, unit: 'utts', label: 'import' });
          bar.update(done, {});
        },
      });
      bar?.stop();
      for (const m of summary.manifests) console.log(`${m.path}\t${m.utterances} utterances\t${m.hours.toFixed(2)} h`);
      console.error(`${summary.problems.length} item(s) left out: see ${summary.reportPath}`);
    });
}
