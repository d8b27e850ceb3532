/**
 * The `Initializer` base class and what every initializer shares: argument checks and seeds.
 *
 * Seeds follow Keras 3: an initializer with an integer seed returns the same values on every call; one built
 * with `seed: null` draws a seed once, at construction, from the global generator (so it too repeats itself,
 * and `setRandomSeed` makes it reproducible), while its config keeps `seed: null`.
 */
import { DTypeError, InvalidArgumentError } from '../errors.js';
import { Random, unseededRandom } from '../random/rng.js';
import { assertDType, isFloatDType, type DType } from '../tensor/dtype.js';
import { checkShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export abstract class Initializer {
  /** Keras 3 class name, e.g. `GlorotUniform`. */
  abstract readonly className: string;
  /** A new tensor of `shape` (default dtype float32). */
  abstract call(shape: readonly number[], dtype?: DType): Tensor;
  /** Exactly Keras 3's `get_config()`: the same keys in the same order, snake_case. */
  abstract getConfig(): Record<string, unknown>;
}

/** Validates `shape` and `dtype` for `initializer.call`. */
export function checkCall(
  className: string,
  shape: unknown,
  dtype: unknown,
  floatOnly: boolean,
): { shape: number[]; dtype: DType } {
  const context = `${className}.call`;
  const s = checkShape(shape, 'shape', context);
  const d = dtype === undefined ? 'float32' : assertDType(dtype, 'dtype', context);
  if (floatOnly && !isFloatDType(d)) {
    throw new DTypeError({ argument: 'dtype', expected: 'float32 or float64', received: d, context });
  }
  return { shape: s, dtype: d };
}

/** A finite number, else InvalidArgumentError. */
export function checkFinite(
  value: unknown,
  argument: string,
  context: string,
  extra?: (v: number) => boolean,
  expected = 'a finite number',
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (extra !== undefined && !extra(value))) {
    throw new InvalidArgumentError({ argument, expected, received: value, context });
  }
  return value;
}

/** Keras's seed argument: an integer or null/undefined (drawn once now). */
export class Seed {
  /** What the user gave (null when none): this is what the config records. */
  readonly initial: number | null;
  /** The seed actually used on every call. */
  readonly value: number;

  constructor(seed: unknown, context: string) {
    if (seed === null || seed === undefined) {
      this.initial = null;
      this.value = unseededRandom().nextSeed();
    } else if (typeof seed === 'number' && Number.isSafeInteger(seed)) {
      this.initial = seed;
      this.value = seed;
    } else {
      throw new InvalidArgumentError({ argument: 'seed', expected: 'an integer or null', received: seed, context });
    }
  }

  /** A fresh generator in the same state on every call. */
  generator(): Random {
    return new Random(this.value);
  }
}
