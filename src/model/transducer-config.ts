import { type CtcModelConfig, type ResolvedCtcModelConfig, resolveCtcModelConfig } from './config.js';

/**
 * An RNN Transducer's description, as stored in JSON (and in checkpoints): the acoustic
 * encoder of the CTC model (frame stacking, numLayers (Bi)LSTM layers), a prediction
 * network (embedding of the previous non-blank label, blank standing for the start
 * symbol, then a unidirectional LSTM stack) and a joint network
 * (tanh(encoder projection + prediction projection), then Linear to numClasses outputs).
 * `"type": "rnnt"` tells it from CTC configs (no type, or "ctc") and CRNN configs ("crnn").
 */
export interface TransducerModelConfig extends CtcModelConfig {
  type: 'rnnt';
  /** Size of the label embedding (default 64). */
  predEmbedDim?: number;
  /** Prediction LSTM units (default hiddenSize). */
  predHiddenSize?: number;
  /** Prediction LSTM layers (default 1). */
  predNumLayers?: number;
  /** Joint network's hidden size (default hiddenSize). */
  jointDim?: number;
}

/** A config with every default filled in (`latencyControl` stays absent when not given). */
export type ResolvedTransducerModelConfig = ResolvedCtcModelConfig & Required<Omit<TransducerModelConfig, keyof CtcModelConfig>>;

const OWN = ['predEmbedDim', 'predHiddenSize', 'predNumLayers', 'jointDim'];

/** True for a parsed JSON value that says it is an RNN-T config (`"type": "rnnt"`). */
export function isTransducerConfig(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'rnnt';
}

/** Checks a parsed JSON value and fills in defaults; throws naming the bad field. */
export function resolveTransducerModelConfig(value: unknown): ResolvedTransducerModelConfig {
  if (!isTransducerConfig(value) || Array.isArray(value)) {
    throw new Error(`rnnt config: expected a JSON object with "type": "rnnt", got ${JSON.stringify(value)}`);
  }
  const { type: _type, predEmbedDim, predHiddenSize, predNumLayers, jointDim, ...encoder } = value as Record<string, unknown>;
  // The encoder fields are the CTC model's, checked by the same code.
  let base: ResolvedCtcModelConfig;
  try {
    base = resolveCtcModelConfig(encoder);
  } catch (err) {
    throw new Error(`rnnt config: ${(err as Error).message.replace(/^model config: /, '').replace(/\(known: /, `(known: type, ${OWN.join(', ')}, `)}`);
  }
  const int = (key: string, x: unknown, def: number): number => {
    const y = x ?? def;
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 1) throw new Error(`rnnt config: "${key}" must be an integer >= 1, got ${JSON.stringify(y)}`);
    return y;
  };
  return {
    type: 'rnnt', ...base,
    predEmbedDim: int('predEmbedDim', predEmbedDim, 64),
    predHiddenSize: int('predHiddenSize', predHiddenSize, base.hiddenSize),
    predNumLayers: int('predNumLayers', predNumLayers, 1),
    jointDim: int('jointDim', jointDim, base.hiddenSize),
  };
}
