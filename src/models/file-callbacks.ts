/**
 * Callbacks that write files, as Keras 3's: `ModelCheckpoint` saves the model (or its weights) during `fit`,
 * `CSVLogger` streams the epoch logs to a CSV file. Files go to Node's file system or to a `FileSink` you give.
 *
 * A checkpoint's bytes are taken from the model at the moment Keras would save (the weights are copied then),
 * but making a `.keras` file is asynchronous here (HDF5 runs in WebAssembly), so the writes finish in order in
 * the background: `await checkpoint.flush()` after `fit` before reading the files. A failed write is thrown by
 * the next epoch's hook, or by `flush`.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Model } from './model.js';
import type { Logs } from './callbacks.js';
import { Callback } from './callbacks.js';
import { resolveSink, type FileSink } from './file-sink.js';
import { MonitorCallback, type MonitorMode } from './monitor-callbacks.js';
import { pythonFloatRepr, pythonFormat, type PythonValue } from './python-format.js';

export interface ModelCheckpointOptions {
  /** The logged quantity that decides "best". Default `'val_loss'`. */
  monitor?: string;
  /** 1 prints a line when saving (or not). Default 0. */
  verbose?: 0 | 1;
  /** Save only when the monitored quantity improved. Default false. */
  saveBestOnly?: boolean;
  /** Save the weights (`.weights.h5`) instead of the model (`.keras`). Default: whether the path ends in `.weights.h5`. */
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** `'epoch'` (default), or save every this many batches. */
  saveFreq?: 'epoch' | number;
  /** The "best" value to beat before the first save (with `saveBestOnly`). Default null. */
  initialValueThreshold?: number | null;
  print?: (message: string) => void;
  /** Where files go; default Node's file system. */
  sink?: FileSink;
}

const CHECKPOINT_KEYS = [
  'monitor',
  'verbose',
  'saveBestOnly',
  'saveWeightsOnly',
  'mode',
  'saveFreq',
  'initialValueThreshold',
  'print',
  'sink',
];

function checkKeys(options: object, known: readonly string[], context: string): void {
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new InvalidArgumentError({
      argument: 'options',
      expected: `only the options ${known.join(', ')}`,
      received: `unknown ${unknown.join(', ')}`,
      context,
    });
}

/** The values a checkpoint path may name: `epoch` (1-based), `batch` when saving by batches, and the logs. */
function pathValues(epoch: number, batch: number | null, logs: Logs): Record<string, PythonValue> {
  const values: Record<string, PythonValue> = { ...logs, epoch: { int: epoch + 1 } };
  if (batch !== null && !('batch' in logs)) values.batch = { int: batch + 1 };
  return values;
}

/**
 * Saves the model or its weights during training (Keras 3's `ModelCheckpoint`). The path may name the epoch and
 * logged values with Python's format syntax: `'ckpt/model-{epoch:02d}-{val_loss:.4f}.keras'`.
 */
export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  /** The paths written so far, in order. */
  readonly saved: string[] = [];
  private readonly sink: FileSink;
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private batchesSinceSave = 0;
  private lastBatch = 0;
  private currentEpoch = 0;

  constructor(filepath: string, options: ModelCheckpointOptions = {}) {
    const context = 'ModelCheckpoint constructor';
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError({
        argument: 'options',
        expected: 'an options object',
        received: options,
        context,
      });
    checkKeys(options, CHECKPOINT_KEYS, context);
    super(options.monitor ?? 'val_loss', options.mode ?? 'auto', 0, options.print, context);
    if (typeof filepath !== 'string' || filepath.length === 0) {
      throw new InvalidArgumentError({
        argument: 'filepath',
        expected: 'a path ending in .keras or .weights.h5',
        received: filepath,
        context,
      });
    }
    this.filepath = filepath;
    const weightsOnly = options.saveWeightsOnly ?? filepath.endsWith('.weights.h5');
    if (typeof weightsOnly !== 'boolean')
      throw new InvalidArgumentError({
        argument: 'saveWeightsOnly',
        expected: 'a boolean',
        received: weightsOnly,
        context,
      });
    if (weightsOnly && !filepath.endsWith('.weights.h5')) {
      throw new InvalidArgumentError({
        argument: 'filepath',
        expected: 'a path ending in .weights.h5 (saveWeightsOnly: true)',
        received: filepath,
        context,
      });
    }
    if (!weightsOnly && !filepath.endsWith('.keras')) {
      const why = filepath.endsWith('.h5')
        ? ' (ModelCheckpoint writes .keras model files; .weights.h5 for the weights)'
        : '';
      throw new InvalidArgumentError({
        argument: 'filepath',
        expected: `a path ending in .keras${why}`,
        received: filepath,
        context,
      });
    }
    this.saveWeightsOnly = weightsOnly;
    const saveBestOnly = options.saveBestOnly ?? false;
    if (typeof saveBestOnly !== 'boolean')
      throw new InvalidArgumentError({
        argument: 'saveBestOnly',
        expected: 'a boolean',
        received: saveBestOnly,
        context,
      });
    this.saveBestOnly = saveBestOnly;
    const verbose = options.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1)
      throw new InvalidArgumentError({ argument: 'verbose', expected: '0 or 1', received: verbose, context });
    this.verbose = verbose;
    const saveFreq = options.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && (saveFreq as number) > 0)) {
      throw new InvalidArgumentError({
        argument: 'saveFreq',
        expected: "'epoch' or a positive integer (batches)",
        received: saveFreq,
        context,
      });
    }
    this.saveFreq = saveFreq;
    const threshold = options.initialValueThreshold ?? null;
    if (threshold !== null && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
      throw new InvalidArgumentError({
        argument: 'initialValueThreshold',
        expected: 'a finite number or null',
        received: threshold,
        context,
      });
    }
    this.best = threshold;
    this.sink = resolveSink(options.sink, context);
  }

  override onEpochBegin(epoch: number): void {
    this.rethrow();
    this.currentEpoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    this.rethrow();
    if (this.saveFreq === 'epoch') return this.queue;
    // Keras counts batches across epochs; a batch number that does not grow starts a new epoch.
    this.batchesSinceSave += batch <= this.lastBatch ? batch + 1 : batch - this.lastBatch;
    this.lastBatch = batch;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      this.save(this.currentEpoch, batch, logs);
    }
    return this.queue;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.rethrow();
    this.ensureDirection();
    if (this.saveFreq === 'epoch') this.save(epoch, null, logs);
    return this.queue;
  }

  override onTrainEnd(): Promise<void> {
    return this.queue;
  }

  /** Resolves when every save so far is written; rejects with the first failed write. */
  async flush(): Promise<void> {
    await this.queue;
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
  }

  private shouldSave(epoch: number, logs: Logs, path: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) this.print(`\nEpoch ${epoch + 1}: saving model to ${path}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    const bestText = this.best === null ? 'None' : pythonFormat('{v:.5f}', { v: this.best });
    if (this.isImprovement(current, this.best)) {
      if (this.verbose > 0) {
        this.print(
          `\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${pythonFormat('{v:.5f}', { v: current })}, saving model to ${path}`,
        );
      }
      this.best = current;
      return true;
    }
    if (this.verbose > 0) this.print(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
    return false;
  }

  private save(epoch: number, batch: number | null, logs: Logs): void {
    let path: string;
    try {
      path = pythonFormat(this.filepath, pathValues(epoch, batch, logs));
    } catch (cause) {
      throw new InvalidArgumentError({
        argument: 'filepath',
        expected: `a path whose fields are epoch${batch === null ? '' : ', batch'} or logged values (${Object.keys(logs).join(', ')})`,
        received: this.filepath,
        context: `ModelCheckpoint: ${(cause as Error).message}`,
      });
    }
    if (!this.shouldSave(epoch, logs, path)) return;
    const model: Model = this.requireModel();
    // The bytes are made from the weights as they are now, even though they are written later.
    const bytes = this.saveWeightsOnly ? model.saveWeights() : model.toBytes();
    bytes.catch(() => undefined);
    this.queue = this.queue
      .then(async () => {
        await this.sink.write(path, await bytes);
        this.saved.push(path);
        if (this.verbose > 0) this.print(`\nEpoch ${epoch + 1}: finished saving model to ${path}`);
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }
}

export interface CSVLoggerOptions {
  /** Default `,`. */
  separator?: string;
  /** Add to an existing file (its header is kept) instead of replacing it. Default false. */
  append?: boolean;
  /** Where the file goes; default Node's file system. */
  sink?: FileSink;
}

/** One field as Python's csv writer (excel dialect, minimal quoting) writes it. */
function csvField(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Streams the epoch logs to a CSV file (Keras 3's `CSVLogger`): a header `epoch,<log keys, sorted>`, then one row
 * per epoch, the epoch 0-based, floats as Python prints them, `NA` for a key missing that epoch, lines ending
 * in `\r\n` as Python's csv module ends them.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private readonly sink: FileSink;
  private keys: string[] | null = null;
  private writeHeader = true;
  /** File work still running when the sink is asynchronous (Node's is not: then this stays null). */
  private pending: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    const context = 'CSVLogger constructor';
    if (typeof filename !== 'string' || filename.length === 0)
      throw new InvalidArgumentError({ argument: 'filename', expected: 'a file path', received: filename, context });
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError({
        argument: 'options',
        expected: 'an options object',
        received: options,
        context,
      });
    checkKeys(options, ['separator', 'append', 'sink'], context);
    const separator = options.separator ?? ',';
    if (typeof separator !== 'string' || separator.length === 0 || /["\r\n]/.test(separator)) {
      throw new InvalidArgumentError({
        argument: 'separator',
        expected: 'a non-empty string without quotes or newlines',
        received: separator,
        context,
      });
    }
    const append = options.append ?? false;
    if (typeof append !== 'boolean')
      throw new InvalidArgumentError({ argument: 'append', expected: 'a boolean', received: append, context });
    this.filename = filename;
    this.separator = separator;
    this.append = append;
    this.sink = resolveSink(options.sink, context);
  }

  /**
   * Does `work` at once when nothing is pending (with Node's synchronous file system the file is complete when
   * the hook returns, and its errors are thrown there); after the pending work otherwise.
   */
  private run(work: () => void | Promise<void>): void {
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
    const result = this.pending === null ? work() : this.pending.then(work);
    if (!(result instanceof Promise)) return;
    const tracked: Promise<void> = result
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .then(() => {
        if (this.pending === tracked) this.pending = null;
      });
    this.pending = tracked;
  }

  override onTrainBegin(): void {
    this.keys = null;
    this.run(() => {
      if (!this.append) {
        this.writeHeader = true;
        return this.sink.write(this.filename, '');
      }
      const line = this.sink.firstLine(this.filename);
      if (line instanceof Promise) return line.then((l) => void (this.writeHeader = !l));
      this.writeHeader = !line;
    });
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.keys ??= Object.keys(logs).sort();
    const keys = this.keys;
    const row = [String(epoch), ...keys.map((k) => (logs[k] === undefined ? 'NA' : pythonFloatRepr(logs[k]!)))];
    const line = (fields: string[]): string =>
      `${fields.map((f) => csvField(f, this.separator)).join(this.separator)}\r\n`;
    this.run(() => {
      const text = (this.writeHeader ? line(['epoch', ...keys]) : '') + line(row);
      this.writeHeader = false;
      return this.sink.append(this.filename, text);
    });
  }

  override onTrainEnd(): Promise<void> | void {
    // Throws the failure of earlier asynchronous writes, if any; else hands back what is still pending.
    this.run(() => undefined);
    return this.pending ?? undefined;
  }

  /** Resolves when every row so far is written (at once with Node's file system); rejects with a failed write. */
  async flush(): Promise<void> {
    if (this.pending !== null) await this.pending;
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
  }
}
