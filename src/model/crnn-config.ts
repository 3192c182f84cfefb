/**
 * A CRNN's description, as stored in JSON (and in checkpoints): convolution blocks
 * (conv k x k, 'same' zero padding, ReLU, optional max pooling) over a line image of
 * `height` rows, whose last feature map's columns (channels x rows each) feed numLayers
 * (Bi)LSTM layers and a Linear layer to numClasses outputs (blank included).
 */
export interface CrnnBlockConfig {
  /** Output channels of the convolution. */
  channels: number;
  /** Square kernel size, odd (default 3). */
  kernel?: number;
  /** Max-pooling [rows, columns] after the ReLU (kernel = stride); omit for none. */
  pool?: [number, number] | null;
}

export interface CrnnModelConfig {
  /** Always "crnn": tells CRNN configs from the speech models' (which have no type). */
  type: 'crnn';
  /** Rows of the input images (they are scaled to this height). */
  height: number;
  blocks: CrnnBlockConfig[];
  /** LSTM units per direction. */
  hiddenSize: number;
  numLayers: number;
  /** Output classes, blank included. */
  numClasses: number;
  /** Default true. */
  bidirectional?: boolean;
  /** Index of the CTC blank (default 0). */
  blank?: number;
}

export interface ResolvedCrnnBlock {
  channels: number;
  kernel: number;
  pool: [number, number] | null;
}

/** A config with every default filled in. */
export interface ResolvedCrnnModelConfig extends Required<Omit<CrnnModelConfig, 'blocks'>> {
  blocks: ResolvedCrnnBlock[];
}

const KNOWN = ['type', 'height', 'blocks', 'hiddenSize', 'numLayers', 'numClasses', 'bidirectional', 'blank'];

function int(v: unknown, where: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`crnn config: "${where}" must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

/** True for a parsed JSON value that says it is a CRNN config (`"type": "crnn"`). */
export function isCrnnConfig(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'crnn';
}

/** Checks a parsed JSON value and fills in defaults; throws naming the bad field. */
export function resolveCrnnModelConfig(value: unknown): ResolvedCrnnModelConfig {
  if (!isCrnnConfig(value)) throw new Error(`crnn config: expected a JSON object with "type": "crnn", got ${JSON.stringify(value)}`);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!KNOWN.includes(key)) throw new Error(`crnn config: unknown field "${key}" (known: ${KNOWN.join(', ')})`);
  }
  if (!Array.isArray(v['blocks']) || v['blocks'].length === 0) throw new Error('crnn config: "blocks" must be a non-empty array');
  let rows = int(v['height'], 'height', 1);
  const blocks = (v['blocks'] as unknown[]).map((raw, i): ResolvedCrnnBlock => {
    const b = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const kernel = int(b['kernel'] ?? 3, `blocks[${i}].kernel`, 1);
    if (kernel % 2 === 0) throw new Error(`crnn config: "blocks[${i}].kernel" must be odd (same padding), got ${kernel}`);
    let pool: [number, number] | null = null;
    if (b['pool'] !== undefined && b['pool'] !== null) {
      const p = b['pool'];
      if (!Array.isArray(p) || p.length !== 2) throw new Error(`crnn config: "blocks[${i}].pool" must be [rows, columns]`);
      pool = [int(p[0], `blocks[${i}].pool[0]`, 1), int(p[1], `blocks[${i}].pool[1]`, 1)];
      rows = Math.floor(rows / pool[0]);
      if (rows < 1) throw new Error(`crnn config: pooling in blocks[${i}] leaves no rows of the ${JSON.stringify(v['height'])}-row input`);
    }
    return { channels: int(b['channels'], `blocks[${i}].channels`, 1), kernel, pool };
  });
  const bidirectional = v['bidirectional'] ?? true;
  if (typeof bidirectional !== 'boolean') throw new Error('crnn config: "bidirectional" must be true or false');
  const cfg: ResolvedCrnnModelConfig = {
    type: 'crnn', height: int(v['height'], 'height', 1), blocks,
    hiddenSize: int(v['hiddenSize'], 'hiddenSize', 1), numLayers: int(v['numLayers'], 'numLayers', 1),
    numClasses: int(v['numClasses'], 'numClasses', 2), bidirectional, blank: int(v['blank'] ?? 0, 'blank', 0),
  };
  if (cfg.blank >= cfg.numClasses) throw new Error(`crnn config: "blank" ${cfg.blank} must be below numClasses ${cfg.numClasses}`);
  return cfg;
}

/** Rows of the last feature map, and the column stride (input columns per output frame). */
export function crnnReduction(cfg: ResolvedCrnnModelConfig): { rows: number; columnStride: number } {
  let rows = cfg.height, columnStride = 1;
  for (const b of cfg.blocks) {
    if (!b.pool) continue;
    rows = Math.floor(rows / b.pool[0]);
    columnStride *= b.pool[1];
  }
  return { rows, columnStride };
}
