/**
 * The text-line recogniser: a loaded CRNN model directory and the code to turn images of
 * text lines into text, with the same transcript shape as the speech Recognizer. Positions
 * (word and token start/end, duration) are x coordinates in pixels of the image given.
 *
 * ```ts
 * const rec = LineRecognizer.load();              // the bundled text-lines model
 * console.log(rec.transcribeFile('line.png').text);
 * ```
 */
import type { Features } from '../util/features.js';
import type { Backend } from '../backend/index.js';
import { batchEpoch } from '../data/batching.js';
import { type GreyImage, readImage } from '../image/decode-image.js';
import { lineFrames } from '../image/line-image.js';
import { crnnReduction } from '../model/crnn-config.js';
import { bundledModelPath } from './default-model.js';
import { type LoadedLineModel, lineModelFromBytes, loadLineModelDir } from '../model/io/line-model-dir.js';
import { padFeatures } from '../data/pad-batch.js';
import { createDecoder } from '../decode/decoder.js';
import { type Transcript, toTranscript } from '../decode/transcript.js';
import { tokenizerLabels } from '../data/char-tokenizer.js';

/** Name of the bundled text-line model (models/<name>/). */
export const BUNDLED_LINE_MODEL_NAME = 'text-lines';

/** Path of the bundled text-line model directory. */
export function bundledLineModelDir(): string {
  return bundledModelPath(BUNDLED_LINE_MODEL_NAME);
}

/** A text-line recogniser over one CRNN model directory. */
export class LineRecognizer {
  constructor(readonly loaded: LoadedLineModel) {}

  /** Loads a text-line model directory; by default the bundled one. */
  static load(dir: string = bundledLineModelDir(), options: { backend?: Backend } = {}): LineRecognizer {
    return new LineRecognizer(loadLineModelDir(dir, options));
  }

  /** A recogniser from a model directory's config.json text and model.safetensors bytes. */
  static fromBytes(configJson: string, weights: Uint8Array, name = '<model>', options: { backend?: Backend } = {}): LineRecognizer {
    return new LineRecognizer(lineModelFromBytes(configJson, weights, name, options));
  }

  /** Rows the model reads (images are scaled to it). */
  get height(): number {
    return this.loaded.model.config.height;
  }

  /** Columns of the scaled image per model output frame. */
  get columnsPerFrame(): number {
    return crnnReduction(this.loaded.model.config).columnStride;
  }

  /** The model's input for a greyscale line image: scaled, ink-normalised column frames (`source` names it in errors). */
  features(img: GreyImage, source = 'image'): Features {
    const f = lineFrames(img, this.height, source);
    return { data: f.frames, frames: f.width, dim: f.height };
  }

  /** Transcribes one greyscale line image. */
  transcribeImage(img: GreyImage): Transcript {
    return this.transcribeImages([img])[0]!;
  }

  /** Transcribes a PNG or JPEG file of one text line (errors name the file). */
  transcribeFile(path: string): Transcript {
    return this.transcribeImages([readImage(path)], { sources: [path] })[0]!;
  }

  /**
   * Transcribes many line images in width-sorted batches; positions in each image's own
   * pixels. `sources` name the images in errors (default "image N").
   */
  transcribeImages(images: readonly GreyImage[], options: { maxFrames?: number; sources?: readonly string[] } = {}): Transcript[] {
    const feats = images.map((img, i) => this.features(img, options.sources?.[i] ?? `image ${i}`));
    return this.transcribeFeatures(feats, options).map((t, i) => rescale(t, images[i]!.width / Math.max(1, feats[i]!.frames)));
  }

  /**
   * Transcribes column features (from {@link LineRecognizer.features}) in width-sorted
   * batches of at most `maxFrames` padded columns (default 20000); results in input order,
   * positions in columns of the scaled images.
   */
  transcribeFeatures(items: readonly Features[], options: { maxFrames?: number } = {}): Transcript[] {
    const out: Transcript[] = new Array(items.length);
    const { model, tokenizer } = this.loaded;
    const labels = tokenizerLabels(tokenizer);
    const decoder = createDecoder({}, labels, tokenizer.blank);
    const unit = this.columnsPerFrame;
    for (const idx of batchEpoch(items.map((f) => f.frames), { maxFrames: options.maxFrames ?? 20000, seed: 0, shuffle: false }, 0)) {
      const batch = padFeatures(items, idx);
      decoder.decode(model.decodable(batch.x, batch.shape, batch.lengths)).forEach((nbest, b) => {
        const i = idx[b]!;
        out[i] = toTranscript(nbest, { labels, secondsPerFrame: unit, duration: items[i]!.frames });
      });
    }
    return out;
  }

  /** Gives the model's buffers back; unusable afterwards. */
  dispose(): void {
    this.loaded.model.dispose();
  }
}

/** A transcript's positions times `scale` (scaled columns -> pixels of the source image). */
function rescale(t: Transcript, scale: number): Transcript {
  const r = (x: number): number => Math.round(x * scale * 10) / 10;
  return {
    ...t, duration: r(t.duration),
    words: t.words.map((w) => ({ ...w, start: r(w.start), end: r(w.end) })),
    tokenTimings: t.tokenTimings.map((k) => ({ ...k, start: r(k.start), end: r(k.end) })),
  };
}
