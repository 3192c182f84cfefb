/**
 * What a training run reads, chosen by its front end: WAV manifests -> log-mel filterbank
 * features (speech models; normalised by CMVN over the training set) or text-line
 * manifests -> column features of the images at the CRNN's height (already in [0, 1]; no
 * CMVN), each with the tokenizer its labels need. Everything else in a run (batching,
 * training, dev scores, checkpoints, the model directory) is the same for both.
 */
import type { Features } from '../../util/features.js';
import { readAudio } from '../../audio/read-audio.js';
import { CharTokenizer } from '../../data/char-tokenizer.js';
import { LINE_ALPHABET } from '../../data/lines/line-alphabet.js';
import { readLineManifest } from '../../data/lines/lines-manifest.js';
import { readManifest } from '../../data/manifest.js';
import { type ImageFrontEndConfig, isImageFrontEnd } from '../../image/line-front-end.js';
import { readImage } from '../../image/decode-image.js';
import { LINE_INPUT_VERSION, lineInput, NotOneLineError } from '../../image/line-input.js';
import { computeFeatures, type FrontEndConfig } from '../../audio/front-end.js';

/** A run's front end: speech features or line images. */
export type RunFrontEnd = FrontEndConfig | ImageFrontEndConfig;

/** One labelled item of a manifest. */
export interface InputItem {
  /** Absolute path of the audio or image file. */
  path: string;
  /** The path as the manifest writes it (for messages). */
  name: string;
  text: string;
  /** 1-based manifest line. */
  line: number;
  /** Seconds of audio, or 1 per image: what progress counts. */
  amount: number;
}

/** How a run reads its data. */
export interface RunInput {
  readonly kind: 'speech' | 'image';
  readonly frontEnd: RunFrontEnd;
  /** Whether features are normalised by CMVN statistics of the training set. */
  readonly cmvn: boolean;
  /** What {@link InputItem.amount} counts, for progress bars. */
  readonly unit: string;
  /** The tokenizer of a new run's labels. */
  tokenizer(): CharTokenizer;
  read(manifest: string): InputItem[];
  /** Unnormalised features of one item. */
  features(item: InputItem): Features | Promise<Features>;
  /**
   * Items read as no features because the reader does not take them (an image of several
   * lines of text), one message each, in the order read. The run says so and leaves them
   * out (as too short for their transcripts) instead of stopping a long feature pass.
   */
  readonly rejected: string[];
  /**
   * The version of the code that reads an item beyond what the front-end config says (line
   * images: lineInput's), in the feature cache's key: a run resumed after the reader changed
   * computes its features again rather than train on the old reader's.
   */
  readonly reader?: string;
  /** "N utterances, H h" / "N line images". */
  describe(items: readonly InputItem[]): string;
}

/** The input side of a run with `frontEnd`. */
export function runInput(frontEnd: RunFrontEnd): RunInput {
  if (isImageFrontEnd(frontEnd)) {
    const rejected: string[] = [];
    const none = (): Features => ({ data: new Float32Array(0), frames: 0, dim: frontEnd.height });
    return {
      kind: 'image', frontEnd, cmvn: false, unit: 'images', rejected, reader: `lineInput ${LINE_INPUT_VERSION}`,
      tokenizer: () => new CharTokenizer(LINE_ALPHABET),
      read: (manifest) => readLineManifest(manifest).map((e) => ({ path: e.imagePath, name: e.image, text: e.text, line: e.line, amount: 1 })),
      // The recogniser's own input (cropped to the ink): a model sees in training what it will see in use.
      features: (item) => {
        try {
          return lineInput(readImage(item.path), frontEnd.height, item.name)?.features ?? none();
        } catch (err) {
          if (!(err instanceof NotOneLineError)) throw err;
          rejected.push(`line ${item.line}: ${err.message}`);
          return none();
        }
      },
      describe: (items) => `${items.length} line images`,
    };
  }
  return {
    kind: 'speech', frontEnd, cmvn: true, unit: 's audio', rejected: [],
    tokenizer: () => new CharTokenizer(),
    read: (manifest) => readManifest(manifest).map((e) => ({ path: e.audioPath, name: e.audio, text: e.text, line: e.line, amount: e.duration })),
    features: async (item) => {
      const audio = await readAudio(item.path); // any format sayre reads, by content
      return computeFeatures(audio.samples, audio.sampleRate, frontEnd);
    },
    describe: (items) => `${items.length} utterances, ${(items.reduce((a, e) => a + e.amount, 0) / 3600).toFixed(2)} h`,
  };
}
