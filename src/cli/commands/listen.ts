import type { Command } from 'commander';
import { defaultStreamingModelDir } from '../../recognizer/default-model.js';
import { Recognizer } from '../../recognizer/recognizer.js';
import { addDecoderFlags, type DecoderFlags, decoderFromFlags } from './decoder-flags.js';
import { commandModel } from './line-model.js';
import { listen } from './stream-audio.js';

/** `sayre listen`: live transcription of the microphone (arecord or sox), partials and finals or NDJSON events. */
export function registerListen(program: Command): void {
  addDecoderFlags(program.command('listen'))
    .description('transcribe the microphone live (needs arecord or sox): partial results as you speak, a final line at each pause')
    .option('--model <dir|name>', 'model directory or bundled model name (default: english-streaming where it is installed, else english)')
    .option('--json', 'NDJSON events: {"type":"partial","text","at"} and {"type":"final","text","start","end","words"}')
    .action(async (o: { model?: string; json?: boolean } & DecoderFlags) => {
      const { dir, lines } = commandModel(o.model ?? defaultStreamingModelDir());
      if (lines) throw new Error('sayre listen needs a speech model, not a text-line model');
      const rec = Recognizer.load(dir);
      await listen(rec, { json: o.json, stream: { decoder: decoderFromFlags(rec, o).decoder } });
    });
}
