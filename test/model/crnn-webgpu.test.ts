/**
 * The CRNN on webgpu (SwiftShader here) against the js backend: inference logits with one
 * read-back, three training steps on the device (one read-back each), and the bundled
 * text-line model reading samples/line-print.png as wasm does. The same layer code runs on
 * both; only the backend differs. SwiftShader takes about half a minute per whole line
 * image, so `npm test` reads the left third of line-print.png; SAYRE_WEBGPU_FULL=1 reads
 * every samples/line-*.png whole.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmBackend } from '../../src/backend/index.js';
import { type GreyImage, readImage } from '../../src/image/decode-image.js';
import { CrnnModel } from '../../src/model/crnn-model.js';
import { LineRecognizer } from '../../src/recognizer/line-recognizer.js';
import { type ModelOn, checkInference, checkTrainingSteps } from '../helpers/device-model-checks.js';
import { SAMPLES } from '../helpers/tiny-model.js';
import { TINY_CRNN_CONFIG as config, randomLineBatch } from '../helpers/tiny-crnn-batch.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip } = await webgpuBackendForTests();
const full = process.env.SAYRE_WEBGPU_FULL === '1';

/** An unsorted padded batch (widths 13, 17, 6: packing reorders it) with CTC targets. */
function batch(seed: number): { x: Float32Array; shape: [number, number, number]; lengths: number[]; targets: number[][] } {
  const widths = [13, 17, 6];
  return { ...randomLineBatch(widths, config.height, seed), lengths: widths, targets: [[1, 2], [3, 3, 1], [2]] };
}

/** Columns [0, width) of an image. */
function leftPart(img: GreyImage, width: number): GreyImage {
  const data = new Float32Array(width * img.height);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width, y * img.width + width), y * width);
  return { width, height: img.height, data };
}

describe('CrnnModel on webgpu (SwiftShader)', { skip }, () => {
  const make: ModelOn = (backend, seed) => new CrnnModel(config, { backend, seed });

  it('infers the logits of the js backend, reading back once', () => checkInference(gpu!, make, batch(1)));

  it('trains as the js backend does: loss, gradient norm and weights after three steps, one read-back per step', () => checkTrainingSteps(gpu!, make, batch));

  describe('the bundled text-line model reads as on wasm (best path, one read-back)', () => {
    const wasm = LineRecognizer.load(undefined, { backend: WasmBackend.createSync({ threads: 1 }), lm: false });
    const onGpu = skip ? undefined : LineRecognizer.load(undefined, { backend: gpu!, lm: false });
    const images = full
      ? ['line-print.png', 'line-handwriting.png', 'line-unseen-font.png'].map((f) => ({ name: f, img: readImage(new URL(f, SAMPLES).pathname) }))
      : [{ name: 'line-print.png (its left 220 columns)', img: leftPart(readImage(new URL('line-print.png', SAMPLES).pathname), 220) }];
    for (const { name, img } of images) {
      it(name, async () => {
        const want = wasm.transcribeImage(img);
        assert.ok(want.text.length > 0, 'the image says something');
        assert.throws(() => onGpu!.transcribeImage(img), /use transcribeImagesAsync/);
        const reads = gpu!.readBacks;
        const [got] = await onGpu!.transcribeImagesAsync([img]);
        assert.equal(gpu!.readBacks - reads, 1);
        assert.equal(got!.text, want.text);
        assert.deepEqual(got!.tokens, want.tokens);
        // Word positions in pixels too (confidences differ in the last float bits).
        const where = (t: typeof want): unknown => t.words.map((w) => [w.word, w.start, w.end]);
        assert.deepEqual(where(got!), where(want));
      });
    }
  });
});
