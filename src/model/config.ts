import { type LatencyControl, resolveLatencyControl } from '../nn/lstm-latency-plan.js';

/**
 * A CTC acoustic model's description, as stored in JSON (and in checkpoints):
 * optional frame stacking/subsampling, numLayers (Bi)LSTM layers of hiddenSize units
 * (latency-controlled with `latencyControl`), and a Linear layer to numClasses outputs
 * (blank included).
 */
export interface CtcModelConfig {
  /** Features per input frame (e.g. 80 log-mel bins). */
  inputDim: number;
  /** LSTM units per direction. */
  hiddenSize: number;
  /** Stacked LSTM layers. */
  numLayers: number;
  /** Output classes, blank included. */
  numClasses: number;
  /** Default true. */
  bidirectional?: boolean;
  /** Input frames concatenated into one (default 1). */
  frameStack?: number;
  /** Keep every frameStride-th stacked frame (default 1). */
  frameStride?: number;
  /** Index of the CTC blank (default 0). */
  blank?: number;
  /**
   * Bidirectional models only: each layer's reverse direction runs per chunk of `chunk`
   * output frames (after frame stacking) with `rightContext` frames of look-ahead
   * (nn/lstm-latency.ts), which makes the model a streaming one. Absent: the whole utterance.
   */
  latencyControl?: LatencyControl;
}

/** A config with every default filled in (`latencyControl` stays absent when not given). */
export type ResolvedCtcModelConfig = Required<Omit<CtcModelConfig, 'latencyControl'>> & Pick<CtcModelConfig, 'latencyControl'>;

const KNOWN = ['type', 'inputDim', 'hiddenSize', 'numLayers', 'numClasses', 'bidirectional', 'frameStack', 'frameStride', 'blank', 'latencyControl'];

type EncoderFields = { bidirectional?: boolean | undefined; latencyControl?: unknown };

/**
 * Whether an encoder with these fields streams (its output at a frame reads a bounded
 * stretch of later input): a unidirectional one, or a latency-controlled bidirectional one.
 */
export function isStreamingEncoder(c: EncoderFields): boolean {
  return streamingEncoderField(c) !== undefined;
}

/** The config field that makes an encoder stream, as messages quote it, or undefined for one that does not stream. */
export function streamingEncoderField(c: EncoderFields): string | undefined {
  if (c.bidirectional === false) return '"bidirectional": false';
  return c.latencyControl !== undefined ? '"latencyControl"' : undefined;
}

/** Checks a parsed JSON value and fills in defaults; throws naming the bad field. */
export function resolveCtcModelConfig(value: unknown): ResolvedCtcModelConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`model config: expected a JSON object, got ${JSON.stringify(value)}`);
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!KNOWN.includes(key)) throw new Error(`model config: unknown field "${key}" (known: ${KNOWN.join(', ')})`);
  }
  // "type": "ctc" may say what the model is (RNN-T configs say "rnnt"); it is not kept.
  if (v['type'] !== undefined && v['type'] !== 'ctc') throw new Error(`model config: "type" ${JSON.stringify(v['type'])} is not "ctc"`);
  const int = (key: string, def: number | undefined, min: number): number => {
    const x = v[key] ?? def;
    if (x === undefined) throw new Error(`model config: "${key}" is required`);
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
      throw new Error(`model config: "${key}" must be an integer >= ${min}, got ${JSON.stringify(x)}`);
    }
    return x;
  };
  const bidirectional = v['bidirectional'] ?? true;
  if (typeof bidirectional !== 'boolean') throw new Error(`model config: "bidirectional" must be true or false`);
  const cfg: ResolvedCtcModelConfig = {
    inputDim: int('inputDim', undefined, 1),
    hiddenSize: int('hiddenSize', undefined, 1),
    numLayers: int('numLayers', undefined, 1),
    numClasses: int('numClasses', undefined, 2),
    bidirectional,
    frameStack: int('frameStack', 1, 1),
    frameStride: int('frameStride', 1, 1),
    blank: int('blank', 0, 0),
  };
  if (cfg.blank >= cfg.numClasses) throw new Error(`model config: "blank" ${cfg.blank} must be below numClasses ${cfg.numClasses}`);
  if (v['latencyControl'] !== undefined) {
    try {
      cfg.latencyControl = resolveLatencyControl(v['latencyControl'], bidirectional);
    } catch (err) {
      throw new Error(`model config: ${(err as Error).message}`);
    }
  }
  return cfg;
}

/** Parses a model config from JSON text; `source` (a file name) goes into error messages. */
export function parseCtcModelConfig(text: string, source = 'model config'): ResolvedCtcModelConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON (${(err as Error).message})`);
  }
  try {
    return resolveCtcModelConfig(value);
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message.replace(/^model config: /, '')}`);
  }
}
