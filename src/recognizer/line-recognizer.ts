/**
 * The text-line recogniser: a loaded CRNN model directory and the code to turn images of
 * text lines into text, with the same transcript shape as the speech Recognizer. Positions
 * (word and token start/end, duration) are x coordinates in pixels of the image given.
 * It decodes with the model directory's own line LM (prefix beam search) when it has one,
 * else by best path; any margin and either polarity read alike; a blank image reads as
 * empty text; an image of several lines is refused with an error that says so.
 *
 * ```ts
 * const rec = LineRecognizer.load();              // the bundled text-lines model and its LM
 * console.log(rec.transcribeFile('line.png').text);
 * LineRecognizer.load(undefined, { lm: false });  // best path
 * ```
 * On a device backend (webgpu) use the asynchronous forms (`transcribeFileAsync`,
 * `transcribeImagesAsync`, `transcribePageFileAsync`): the CRNN runs there and each batch
 * reads back once.
 */
import type { Features } from '../util/features.js';
import type { Backend } from '../backend/index.js';
import { batchEpoch } from '../data/batching.js';
import { type GreyImage, readImage } from '../image/decode-image.js';
import { type LineInput, lineInput, NotOneLineError } from '../image/line-input.js';
import { pageLines } from '../image/page-lines.js';
import { checkLineColumns } from '../image/line-image.js';
import { type BeamDecoderSetup, decoderConfigOf } from './beam-decoder.js';
import { crnnReduction } from '../model/crnn-config.js';
import { bundledModelPath } from './default-model.js';
import { type LoadedLineModel, lineModelFromBytes, loadLineModelDir } from '../model/io/line-model-dir.js';
import { padFeatures } from '../data/pad-batch.js';
import { createDecoder, type Decoder } from '../decode/decoder.js';
import type { CtcOutput } from '../decode/acoustic-output.js';
import { type Transcript, toTranscript } from '../decode/transcript.js';
import { tokenizerLabels } from '../data/char-tokenizer.js';
import type { DecodingInfo } from '../report/eval-report.js';
import { decodingInfo } from './decoding-info.js';

/** Name of the bundled text-line model (models/<name>/). */
export const BUNDLED_LINE_MODEL_NAME = 'text-lines';

/** Path of the bundled text-line model directory. */
export function bundledLineModelDir(): string {
  return bundledModelPath(BUNDLED_LINE_MODEL_NAME);
}

/** How a line recogniser decodes (default: with the model directory's LM, if any) and computes. */
export interface LineRecognizerOptions extends Omit<BeamDecoderSetup, 'rnntSearch'> {
  backend?: Backend;
}

/** An image of several lines read line by line. */
export interface PageTranscript {
  /** The lines' texts, top to bottom, one a line ('\n' between). */
  text: string;
  /** The image's size in pixels. */
  width: number;
  height: number;
  /** Each line's transcript, with its first and last row in the image. */
  lines: (Transcript & { top: number; bottom: number })[];
}

/** A text-line recogniser over one CRNN model directory. */
export class LineRecognizer {
  /** The decoder every image goes through. */
  readonly decoder: Decoder;

  /** The file name of the LM it decodes with (a --lm file's or the directory's own), if any. */
  private readonly lmFile: string | undefined;

  constructor(readonly loaded: LoadedLineModel, setup: Omit<BeamDecoderSetup, 'rnntSearch'> = {}) {
    const config = decoderConfigOf(setup, undefined, loaded.lm);
    this.decoder = createDecoder(config, tokenizerLabels(loaded.tokenizer), loaded.tokenizer.blank);
    this.lmFile = typeof setup.lm === 'string' ? setup.lm.replace(/^.*[\\/]/, '') : config.lm && loaded.lm && config.lm === loaded.lm.load() ? loaded.lm.config.file : undefined;
  }

  /** Loads a text-line model directory (by default the bundled one) with its LM unless `options` say otherwise. */
  static load(dir: string = bundledLineModelDir(), options: LineRecognizerOptions = {}): LineRecognizer {
    const { backend, ...setup } = options;
    return new LineRecognizer(loadLineModelDir(dir, backend ? { backend } : {}), setup);
  }

  /** A recogniser from a model directory's config.json text and model.safetensors bytes (no LM file: best path unless `options` give one). */
  static fromBytes(configJson: string, weights: Uint8Array, name = '<model>', options: LineRecognizerOptions = {}): LineRecognizer {
    const { backend, ...setup } = options;
    return new LineRecognizer(lineModelFromBytes(configJson, weights, name, backend ? { backend } : {}), setup);
  }

  /** How it decodes, in words. */
  get decoding(): string {
    return this.decodingInfo.text;
  }

  /** How it decodes: the search, the LM and its weights. */
  get decodingInfo(): DecodingInfo {
    return decodingInfo(this.decoder, { lmFile: this.lmFile });
  }

  /** Rows the model reads (images are scaled to it). */
  get height(): number {
    return this.loaded.model.config.height;
  }

  /** Columns of the scaled image per model output frame. */
  get columnsPerFrame(): number {
    return crnnReduction(this.loaded.model.config).columnStride;
  }

  /**
   * The model's input for a greyscale line image: ink-normalised (either polarity),
   * cropped to the ink with a margin, scaled, as column frames; undefined for a blank image.
   * `source` names the image in errors.
   * @throws NotOneLineError for an image of several lines of text.
   */
  features(img: GreyImage, source = 'image'): Features | undefined {
    return this.prepare(img, source)?.features;
  }

  /** The features of `img` and where their columns lie in it. */
  private prepare(img: GreyImage, source: string): LineInput | undefined {
    return lineInput(img, this.height, source);
  }

  /** Transcribes one greyscale line image (CPU backends; on a device use {@link LineRecognizer.transcribeImagesAsync}). */
  transcribeImage(img: GreyImage): Transcript {
    return this.transcribeImages([img])[0]!;
  }

  /** Transcribes an image file of one text line (PNG, JPEG; other formats through ffmpeg: readImage; errors name the file). */
  transcribeFile(path: string): Transcript {
    return this.transcribeImages([readImage(path)], { sources: [path] })[0]!;
  }

  /** {@link LineRecognizer.transcribeFile} on any backend, a device backend (webgpu) included. */
  async transcribeFileAsync(path: string): Promise<Transcript> {
    return (await this.transcribeImagesAsync([readImage(path)], { sources: [path] }))[0]!;
  }

  /**
   * Reads an image of several lines of text (a paragraph, a screenshot) line by line, top
   * to bottom: each line's transcript (x positions in the image's pixels) with its rows.
   * An image of one line reads as {@link LineRecognizer.transcribeImage} does; a blank one
   * as no lines. `source` names the image in errors.
   */
  transcribePage(img: GreyImage, source = 'image'): PageTranscript {
    const job = this.pageJob(img, source);
    return job.finish(this.transcribeImages(job.images, { sources: job.sources }));
  }

  /** {@link LineRecognizer.transcribePage} on any backend, a device backend (webgpu) included. */
  async transcribePageAsync(img: GreyImage, source = 'image'): Promise<PageTranscript> {
    const job = this.pageJob(img, source);
    return job.finish(await this.transcribeImagesAsync(job.images, { sources: job.sources }));
  }

  /** {@link LineRecognizer.transcribePage} of an image file (as transcribeFile reads it; errors name the file). */
  transcribePageFile(path: string): PageTranscript {
    return this.transcribePage(readImage(path), path);
  }

  /** {@link LineRecognizer.transcribePageFile} on any backend, a device backend (webgpu) included. */
  async transcribePageFileAsync(path: string): Promise<PageTranscript> {
    return this.transcribePageAsync(readImage(path), path);
  }

  /** A page's line images with the names errors give them, and how their transcripts become the page's. */
  private pageJob(img: GreyImage, source: string): { images: GreyImage[]; sources: string[]; finish: (read: Transcript[]) => PageTranscript } {
    // Its lines are no taller than the page, so scaled they are at least as wide: a page over the limit is refused before its pixels are scanned.
    checkLineColumns(img, this.height, source);
    const lines = pageLines(img);
    const finish = (read: Transcript[]): PageTranscript => {
      const out = read.map((t, i) => ({ ...t, top: lines[i]!.top, bottom: lines[i]!.bottom }));
      return { text: out.map((l) => l.text).join('\n'), width: img.width, height: img.height, lines: out };
    };
    return { images: lines.map((l) => l.image), sources: lines.map((l, i) => `${source}, line ${i + 1} (rows ${l.top}-${l.bottom})`), finish };
  }

  /**
   * Transcribes many line images in width-sorted batches (a blank image gives empty text);
   * positions in each image's own pixels. `sources` name the images in errors (default "image N").
   */
  transcribeImages(images: readonly GreyImage[], options: { maxFrames?: number; sources?: readonly string[] } = {}): Transcript[] {
    const job = this.imageJob(images, options.sources);
    return job.finish(this.transcribeFeatures(job.features, options));
  }

  /**
   * {@link LineRecognizer.transcribeImages} on any backend: on a device backend (webgpu)
   * the CRNN runs there and each batch's logits are read back once (decoding stays on the host).
   */
  async transcribeImagesAsync(images: readonly GreyImage[], options: { maxFrames?: number; sources?: readonly string[] } = {}): Promise<Transcript[]> {
    const job = this.imageJob(images, options.sources);
    return job.finish(await this.transcribeFeaturesAsync(job.features, options));
  }

  /** The features of the inked images, and how their transcripts become the images' (blank ones read as empty). */
  private imageJob(images: readonly GreyImage[], sources: readonly string[] | undefined): { features: Features[]; finish: (read: Transcript[]) => Transcript[] } {
    const prepared = images.map((img, i) => this.prepare(img, sources?.[i] ?? `image ${i}`));
    const inked = prepared.flatMap((p, i) => (p ? [i] : []));
    const finish = (read: Transcript[]): Transcript[] => {
      const out = images.map((img) => emptyTranscript(img.width));
      inked.forEach((i, k) => {
        const p = prepared[i]!;
        out[i] = { ...rescale(read[k]!, p.scale, p.left), duration: images[i]!.width };
      });
      return out;
    };
    return { features: inked.map((i) => prepared[i]!.features), finish };
  }

  /**
   * Transcribes column features (from {@link LineRecognizer.features}) in width-sorted
   * batches of at most `maxFrames` padded columns (default 20000); results in input order,
   * positions in columns of the scaled images. CPU backends only (see
   * {@link LineRecognizer.transcribeFeaturesAsync}).
   */
  transcribeFeatures(items: readonly Features[], options: { maxFrames?: number } = {}): Transcript[] {
    const be = this.loaded.model.backend;
    if (be.onDevice) throw new Error(`LineRecognizer on ${be.name}: its results come back asynchronously; use transcribeImagesAsync, transcribeFileAsync or transcribeFeaturesAsync`);
    const job = this.featureJob(items, options);
    for (const idx of job.batches) job.finish(idx, job.output(idx));
    return job.out;
  }

  /** {@link LineRecognizer.transcribeFeatures} on any backend: one read-back per batch on a device backend. */
  async transcribeFeaturesAsync(items: readonly Features[], options: { maxFrames?: number } = {}): Promise<Transcript[]> {
    const job = this.featureJob(items, options);
    const be = this.loaded.model.backend;
    for (const idx of job.batches) {
      const y = job.output(idx);
      await be.read(y.logits); // the batch's one read-back (at once on the CPU backends)
      job.finish(idx, y);
    }
    return job.out;
  }

  /** Width-sorted batches of `items`, the model's output for one, and how it becomes transcripts (into `out`). */
  private featureJob(items: readonly Features[], options: { maxFrames?: number }): {
    out: Transcript[]; batches: number[][]; output: (idx: number[]) => CtcOutput; finish: (idx: number[], y: CtcOutput) => void;
  } {
    const out: Transcript[] = new Array(items.length);
    const { model, tokenizer } = this.loaded;
    const labels = tokenizerLabels(tokenizer);
    const unit = this.columnsPerFrame;
    const batches = batchEpoch(items.map((f) => f.frames), { maxFrames: options.maxFrames ?? 20000, seed: 0, shuffle: false }, 0);
    const output = (idx: number[]): CtcOutput => {
      const batch = padFeatures(items, idx);
      return model.decodable(batch.x, batch.shape, batch.lengths);
    };
    const finish = (idx: number[], y: CtcOutput): void => {
      this.decoder.decode(y).forEach((nbest, b) => {
        const i = idx[b]!;
        out[i] = toTranscript(nbest, { labels, secondsPerFrame: unit, duration: items[i]!.frames });
      });
    };
    return { out, batches, output, finish };
  }

  /** Gives the model's buffers back; unusable afterwards. */
  dispose(): void {
    this.loaded.model.dispose();
  }
}

/** What a blank image reads as. */
function emptyTranscript(width: number): Transcript {
  return { text: '', tokens: [], timesteps: [], score: 0, words: [], confidence: 1, tokenTimings: [], duration: width };
}

/** A transcript's positions times `scale` plus `left` (columns of the scaled crop -> pixels of the source image). */
function rescale(t: Transcript, scale: number, left = 0): Transcript {
  const r = (x: number): number => Math.round((left + x * scale) * 10) / 10;
  return {
    ...t, duration: r(t.duration),
    words: t.words.map((w) => ({ ...w, start: r(w.start), end: r(w.end) })),
    tokenTimings: t.tokenTimings.map((k) => ({ ...k, start: r(k.start), end: r(k.end) })),
  };
}

export { NotOneLineError };
