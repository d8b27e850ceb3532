/**
 * `Dataset`: a finite, re-iterable sequence of batches, as Keras's `tf.data.Dataset` is to `fit`. Each pass
 * (`for (const [x, y] of ds)`, or `for await`) builds its batches on demand from the samples, so a dataset of
 * sliding windows does not hold every window in memory at once.
 *
 * Shuffling draws a new order for every pass from the dataset's seeded generator: two datasets made with the
 * same seed give the same first pass, and a second pass differs from the first, as Keras's do.
 */
import { InvalidArgumentError } from '../errors.js';
import { permutation } from '../models/data.js';
import { randomFor, type Random } from '../random/rng.js';

/** Where a dataset's samples come from: how many there are, and how to build the element for some of them. */
export interface SampleSource<T> {
  /** The number of samples. */
  readonly size: number;
  /**
   * The element for the samples `indices` (in that order): a batch, or with `batched` false one sample
   * without the batch dimension (`indices` then holds one index).
   */
  take(indices: ArrayLike<number>, batched: boolean): T;
}

export interface DatasetOptions {
  /** Samples per batch, the last batch holding what is left; null: one sample at a time, unbatched. */
  batchSize: number | null;
  /** Draw the samples in a new random order on every pass. */
  shuffle: boolean;
  /** The seed of the shuffling (default: drawn from the global generator, see `setRandomSeed`). */
  seed?: number | null;
}

export class Dataset<T> implements Iterable<T>, AsyncIterable<T> {
  /** Samples per batch (the last may hold fewer); null when the dataset yields single samples. */
  readonly batchSize: number | null;
  readonly shuffle: boolean;
  /** The number of samples in one pass. */
  readonly sampleCount: number;
  private readonly source: SampleSource<T>;
  private readonly random: Random | null;

  constructor(source: SampleSource<T>, options: DatasetOptions) {
    const context = 'Dataset';
    const { batchSize, shuffle } = options;
    if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new InvalidArgumentError({
        argument: 'batchSize',
        expected: 'a positive integer or null',
        received: batchSize,
        context,
      });
    }
    if (typeof shuffle !== 'boolean')
      throw new InvalidArgumentError({ argument: 'shuffle', expected: 'a boolean', received: shuffle, context });
    const seed = options.seed ?? null;
    if (seed !== null && !Number.isInteger(seed)) {
      throw new InvalidArgumentError({ argument: 'seed', expected: 'an integer or null', received: seed, context });
    }
    this.source = source;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.sampleCount = source.size;
    this.random = shuffle ? randomFor(seed) : null;
  }

  /** The number of elements (batches, or samples when unbatched) in one pass (Keras's `cardinality()`). */
  get length(): number {
    return this.batchSize === null ? this.sampleCount : Math.ceil(this.sampleCount / this.batchSize);
  }

  /** Keras's name for `length`. */
  cardinality(): number {
    return this.length;
  }

  *[Symbol.iterator](): Iterator<T> {
    const n = this.sampleCount;
    const order = this.random === null ? null : permutation(n, this.random);
    const at = (i: number): number => (order === null ? i : order[i]!);
    if (this.batchSize === null) {
      for (let i = 0; i < n; i++) yield this.source.take([at(i)], false);
      return;
    }
    for (let start = 0; start < n; start += this.batchSize) {
      const end = Math.min(n, start + this.batchSize);
      const indices = new Int32Array(end - start);
      for (let i = start; i < end; i++) indices[i - start] = at(i);
      yield this.source.take(indices, true);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const element of this as Iterable<T>) yield element;
  }

  /** Every element of one pass, in an array. */
  toArray(): T[] {
    return [...(this as Iterable<T>)];
  }
}
