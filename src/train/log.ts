/**
 * The training log: a JSON-lines file, one object per line, appended and fsync'd record by
 * record so that a crash (even kill -9 or a power cut) loses at most the line being written.
 *
 * A crash can leave the last line unfinished. {@link readTrainingLog} reports such a line
 * and skips it; {@link TrainingLogWriter.open} cuts it off before appending, so that the
 * next record starts on a line of its own. A malformed line anywhere else is corruption,
 * not a crash, and is an error. Non-finite numbers (a diverged loss, an impossible CTC
 * target) are written as the strings "NaN", "Infinity" and "-Infinity", which plain JSON
 * cannot hold, and read back as numbers.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

/** One line of a training log: a JSON object whose `type` says what it records. */
export interface LogRecord {
  type: string;
  /** ISO 8601 time of writing; the writer fills it in when absent. */
  time?: string;
  [field: string]: unknown;
}

/** A training step (or the mean over a few steps). */
export interface TrainStepRecord extends LogRecord {
  type: 'train';
  /** Global optimiser step, counted from 0 across epochs. */
  step: number;
  /** Epoch the step belongs to, from 0. */
  epoch: number;
  /** Training loss per frame or per utterance, as the trainer defines it. */
  loss: number;
  framesPerSecond?: number;
  learningRate?: number;
}

/** The evaluation on the dev set at the end of an epoch. */
export interface DevRecord extends LogRecord {
  type: 'dev';
  /** Global step at which the evaluation ran. */
  step: number;
  epoch: number;
  loss: number;
  /** Greedy character error rate as a fraction (0.08 is 8%). */
  cer?: number;
  /** Greedy word error rate as a fraction. */
  wer?: number;
}

/** Something that happened: resumed, weight noise switched on, early stop... */
export interface EventRecord extends LogRecord {
  type: 'event';
  step: number;
  message: string;
}

const NON_FINITE = new Map<string, number>([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]]);

function encode(record: LogRecord): string {
  return JSON.stringify(record, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value);
}

/** Parses one line; undefined when it is not a JSON object with a string `type`. */
function decode(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line, (_key, v: unknown) => (typeof v === 'string' && NON_FINITE.has(v) ? NON_FINITE.get(v) : v));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (typeof (value as { type?: unknown }).type !== 'string') return undefined;
  return value as LogRecord;
}

/** What {@link readTrainingLog} found. */
export interface TrainingLogContents {
  records: LogRecord[];
  /** The unfinished last line that a crash left, skipped; null when the log ends cleanly. */
  truncated: { line: number; text: string } | null;
}

/**
 * Reads a training log. Blank lines are ignored; an unparseable last line without a
 * newline is reported in `truncated` and skipped; any other bad line throws, naming the
 * file and line.
 */
export function readTrainingLog(path: string): TrainingLogContents {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const records: LogRecord[] = [];
  let truncated: TrainingLogContents['truncated'] = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const record = decode(line);
    if (record !== undefined) {
      records.push(record);
    } else if (i === lines.length - 1) {
      truncated = { line: i + 1, text: line }; // no newline after it: the write was cut short
    } else {
      throw new Error(`${path}:${i + 1}: not a JSON object with a "type": ${line.slice(0, 80)}`);
    }
  }
  return { records, truncated };
}

/** Reads the bytes after the last newline of an open file (the whole file if it has none). */
function readTail(fd: number, size: number): { start: number; text: string } {
  const chunk = 65536;
  const parts: Buffer[] = [];
  let end = size;
  while (end > 0) {
    const begin = Math.max(0, end - chunk);
    const buf = Buffer.alloc(end - begin);
    readSync(fd, buf, 0, buf.length, begin);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) {
      parts.unshift(buf.subarray(nl + 1));
      return { start: begin + nl + 1, text: Buffer.concat(parts).toString('utf8') };
    }
    parts.unshift(buf);
    end = begin;
  }
  return { start: 0, text: Buffer.concat(parts).toString('utf8') };
}

/** Options of {@link TrainingLogWriter.open}. */
export interface TrainingLogWriterOptions {
  /** fsync after every record (default true); false trades crash safety for speed. */
  sync?: boolean;
}

/** Appends records to a training log; see the module doc for its crash behaviour. */
export class TrainingLogWriter {
  /** The unfinished last line that was cut off when the log was opened, or null. */
  readonly repairedTail: string | null;
  private fd: number | null;

  private constructor(readonly path: string, fd: number, repairedTail: string | null, private readonly sync: boolean) {
    this.fd = fd;
    this.repairedTail = repairedTail;
  }

  /** Opens (creating if needed) a log for appending, after mending an unfinished last line. */
  static open(path: string, options: TrainingLogWriterOptions = {}): TrainingLogWriter {
    const fd = openSync(path, 'a+');
    try {
      const size = fstatSync(fd).size;
      let repaired: string | null = null;
      if (size > 0) {
        const tail = readTail(fd, size);
        if (tail.text.trim() !== '') {
          if (decode(tail.text) !== undefined) {
            writeAll(fd, '\n'); // a whole record that only lacks its newline: keep it
          } else {
            ftruncateSync(fd, tail.start);
            repaired = tail.text;
          }
          fsyncSync(fd);
        }
      }
      return new TrainingLogWriter(path, fd, repaired, options.sync ?? true);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Appends one record as one line (adding `time` when absent), then fsyncs. */
  append(record: LogRecord): void {
    if (this.fd === null) throw new Error(`training log ${this.path}: append after close`);
    if (typeof record.type !== 'string' || record.type === '') throw new Error(`training log ${this.path}: a record needs a string "type"`);
    const line = encode(record.time === undefined ? { ...record, time: new Date().toISOString() } : record);
    try {
      writeAll(this.fd, line + '\n');
      if (this.sync) fsyncSync(this.fd);
    } catch (err) {
      // Node's message (ENOSPC...) names only the syscall.
      throw new Error(`training log ${this.path}: cannot write (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
  }

  /** Closes the file; later appends throw. Closing twice is harmless. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}
