/**
 * Random initializers: RandomNormal, TruncatedNormal, RandomUniform and the VarianceScaling family (Glorot, He,
 * LeCun). Values are drawn in double precision from the seeded generator and rounded once to the dtype.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { ConfigReader } from '../serialization/serialize-object.js';
import type { Random } from '../random/rng.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkCall, checkFinite, Initializer, Seed } from './initializer.js';

/** A standard normal draw within ±2 (TensorFlow's truncation: farther draws are redrawn). */
function truncatedStandardNormal(rng: Random): number {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return z;
  }
}

/** Fills a tensor of `shape` with `draw()`, rounded to `dtype`; `accept` may reject a rounded value (redraw). */
function sample(shape: number[], dtype: DType, draw: () => number, accept?: (v: number) => boolean): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < out.length; i++) {
    let v = draw();
    if (accept !== undefined) {
      const round = dtype === 'float32' ? Math.fround : (x: number): number => x;
      while (!accept(round(v))) v = draw();
    }
    out[i] = v;
  }
  return new Tensor(out, shape, dtype);
}

/** Uniform on [minval, maxval): a value that rounds up to maxval is redrawn. */
function uniformTensor(shape: number[], dtype: DType, rng: Random, minval: number, maxval: number): Tensor {
  const width = maxval - minval;
  return sample(shape, dtype, () => minval + width * rng.uniform(), width > 0 ? (v) => v < maxval : undefined);
}

export interface RandomNormalOptions {
  mean?: number;
  stddev?: number;
  seed?: number | null;
}

/** mean + stddev · a standard draw, defaults 0 and 0.05. Config `{ seed, mean, stddev }`. */
abstract class MeanStddevInitializer extends Initializer {
  readonly mean: number;
  readonly stddev: number;
  readonly seed: Seed;

  constructor(options: RandomNormalOptions, context: string) {
    super();
    this.mean = checkFinite(options.mean ?? 0, 'mean', context);
    this.stddev = checkFinite(options.stddev ?? 0.05, 'stddev', context, (v) => v >= 0, 'a non-negative number');
    this.seed = new Seed(options.seed, context);
  }

  /** One draw of the standard distribution that `mean` and `stddev` shift and scale. */
  protected abstract standardDraw(rng: Random): number;

  call(shape: readonly number[], dtype?: DType): Tensor {
    const c = checkCall(this.className, shape, dtype, true);
    const rng = this.seed.generator();
    return sample(c.shape, c.dtype, () => this.mean + this.stddev * this.standardDraw(rng));
  }

  getConfig(): Record<string, unknown> {
    return { seed: this.seed.initial, mean: this.mean, stddev: this.stddev };
  }

  static fromConfig<T extends MeanStddevInitializer>(
    this: new (options: RandomNormalOptions) => T,
    r: ConfigReader,
  ): T {
    const options = {
      seed: r.integerOrNull('seed', null),
      mean: r.number('mean', 0),
      stddev: r.number('stddev', 0.05),
    };
    r.finish();
    return new this(options);
  }
}

/** Normal(mean, stddev), defaults 0 and 0.05. Config `{ seed, mean, stddev }`. */
export class RandomNormal extends MeanStddevInitializer {
  readonly className: string = 'RandomNormal';

  constructor(options: RandomNormalOptions = {}) {
    super(options, 'RandomNormal');
  }

  protected standardDraw(rng: Random): number {
    return rng.normal();
  }
}

/** Normal(mean, stddev) truncated at two standard deviations, defaults 0 and 0.05. Config `{ seed, mean, stddev }`. */
export class TruncatedNormal extends MeanStddevInitializer {
  readonly className: string = 'TruncatedNormal';

  constructor(options: RandomNormalOptions = {}) {
    super(options, 'TruncatedNormal');
  }

  protected standardDraw(rng: Random): number {
    return truncatedStandardNormal(rng);
  }
}

export interface RandomUniformOptions {
  minval?: number;
  maxval?: number;
  seed?: number | null;
}

/** Uniform on [minval, maxval), defaults −0.05 and 0.05. Config `{ seed, minval, maxval }`. */
export class RandomUniform extends Initializer {
  readonly className: string = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: Seed;

  constructor(options: RandomUniformOptions = {}) {
    super();
    const ctx = 'RandomUniform';
    this.minval = checkFinite(options.minval ?? -0.05, 'minval', ctx);
    this.maxval = checkFinite(
      options.maxval ?? 0.05,
      'maxval',
      ctx,
      (v) => v >= this.minval,
      `a number ≥ minval (${this.minval})`,
    );
    this.seed = new Seed(options.seed, ctx);
  }

  call(shape: readonly number[], dtype?: DType): Tensor {
    const c = checkCall(this.className, shape, dtype, true);
    return uniformTensor(c.shape, c.dtype, this.seed.generator(), this.minval, this.maxval);
  }

  getConfig(): Record<string, unknown> {
    return { seed: this.seed.initial, minval: this.minval, maxval: this.maxval };
  }

  static fromConfig(r: ConfigReader): RandomUniform {
    const options = {
      seed: r.integerOrNull('seed', null),
      minval: r.number('minval', -0.05),
      maxval: r.number('maxval', 0.05),
    };
    r.finish();
    return new RandomUniform(options);
  }
}

/**
 * Keras 3's `compute_fans`: with both `inputAxes` and `outputAxes`, the products of those dimensions; else
 * rank 0 → (1, 1), rank 1 → (n, n), rank 2 → (shape[0], shape[1]), higher ranks → the last two dimensions
 * times the receptive field (the product of the others).
 */
export function computeFans(
  shape: readonly number[],
  inputAxes: readonly number[] | null = null,
  outputAxes: readonly number[] | null = null,
): { fanIn: number; fanOut: number } {
  if (inputAxes !== null && outputAxes !== null) {
    const dim = (axis: number): number => {
      const a = axis < 0 ? axis + shape.length : axis;
      if (a < 0 || a >= shape.length) {
        throw new ShapeError({
          argument: 'input_axes/output_axes',
          expected: `axes of a shape of rank ${shape.length}`,
          received: axis,
          context: `computeFans ${formatShape(shape)}`,
        });
      }
      return shape[a]!;
    };
    return {
      fanIn: inputAxes.reduce((acc, a) => acc * dim(a), 1),
      fanOut: outputAxes.reduce((acc, a) => acc * dim(a), 1),
    };
  }
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type VarianceDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

const MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: readonly VarianceDistribution[] = ['truncated_normal', 'untruncated_normal', 'uniform'];

/** Standard deviation of the standard normal truncated to ±2 (Keras's 0.87962566103423978). */
const TRUNCATED_STDDEV = 0.8796256610342398;

export interface VarianceScalingOptions {
  scale?: number;
  mode?: FanMode;
  /** `normal` is accepted and means `truncated_normal`, as in Keras. Case-insensitive. */
  distribution?: VarianceDistribution | 'normal';
  seed?: number | null;
  inputAxes?: readonly number[] | null;
  outputAxes?: readonly number[] | null;
}

function checkAxes(value: unknown, argument: string, context: string): number[] | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value) && value.every((a) => Number.isInteger(a))) return [...(value as number[])];
  throw new InvalidArgumentError({ argument, expected: 'a list of integers or null', received: value, context });
}

/**
 * Samples with variance `scale / n`, n the fan chosen by `mode` (at least 1): truncated normal (stddev
 * corrected for the truncation), untruncated normal, or uniform on ±√(3·scale/n).
 * Config `{ seed, scale, mode, distribution, input_axes, output_axes }`.
 */
export class VarianceScaling extends Initializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: VarianceDistribution;
  readonly inputAxes: readonly number[] | null;
  readonly outputAxes: readonly number[] | null;
  readonly seed: Seed;

  constructor(options: VarianceScalingOptions = {}, context = 'VarianceScaling') {
    super();
    this.scale = checkFinite(options.scale ?? 1, 'scale', context, (v) => v > 0, 'a positive number');
    const mode = options.mode ?? 'fan_in';
    if (!MODES.includes(mode)) {
      throw new InvalidArgumentError({
        argument: 'mode',
        expected: `one of ${MODES.join(', ')}`,
        received: mode,
        context,
      });
    }
    this.mode = mode;
    const rawDistribution: unknown = options.distribution ?? 'truncated_normal';
    const lowered = typeof rawDistribution === 'string' ? rawDistribution.toLowerCase() : rawDistribution;
    const distribution = lowered === 'normal' ? 'truncated_normal' : lowered;
    if (!DISTRIBUTIONS.includes(distribution as VarianceDistribution)) {
      throw new InvalidArgumentError({
        argument: 'distribution',
        expected: `one of ${DISTRIBUTIONS.join(', ')} (or normal)`,
        received: rawDistribution,
        context,
      });
    }
    this.distribution = distribution as VarianceDistribution;
    this.inputAxes = checkAxes(options.inputAxes, 'inputAxes', context);
    this.outputAxes = checkAxes(options.outputAxes, 'outputAxes', context);
    this.seed = new Seed(options.seed, context);
  }

  call(shape: readonly number[], dtype?: DType): Tensor {
    const c = checkCall(this.className, shape, dtype, true);
    const { fanIn, fanOut } = computeFans(c.shape, this.inputAxes, this.outputAxes);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, n);
    const rng = this.seed.generator();
    if (this.distribution === 'truncated_normal') {
      const stddev = Math.sqrt(scale) / TRUNCATED_STDDEV;
      return sample(c.shape, c.dtype, () => stddev * truncatedStandardNormal(rng));
    }
    if (this.distribution === 'untruncated_normal') {
      const stddev = Math.sqrt(scale);
      return sample(c.shape, c.dtype, () => stddev * rng.normal());
    }
    const limit = Math.sqrt(3 * scale);
    return uniformTensor(c.shape, c.dtype, rng, -limit, limit);
  }

  getConfig(): Record<string, unknown> {
    return {
      seed: this.seed.initial,
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      input_axes: this.inputAxes === null ? null : [...this.inputAxes],
      output_axes: this.outputAxes === null ? null : [...this.outputAxes],
    };
  }

  static fromConfig(r: ConfigReader): VarianceScaling {
    const options: VarianceScalingOptions = {
      seed: r.integerOrNull('seed', null),
      scale: r.number('scale', 1),
      mode: r.string('mode', 'fan_in') as FanMode,
      distribution: r.string('distribution', 'truncated_normal') as VarianceDistribution,
      inputAxes: r.integerListOrNull('input_axes'),
      outputAxes: r.integerListOrNull('output_axes'),
    };
    r.finish();
    return new VarianceScaling(options);
  }
}

export interface FixedVarianceOptions {
  seed?: number | null;
  inputAxes?: readonly number[] | null;
  outputAxes?: readonly number[] | null;
}

/** A VarianceScaling preset; its config is `{ seed, input_axes, output_axes }`. */
abstract class VariancePreset extends VarianceScaling {
  override getConfig(): Record<string, unknown> {
    const full = super.getConfig();
    return { seed: full['seed'], input_axes: full['input_axes'], output_axes: full['output_axes'] };
  }

  static override fromConfig<T extends VariancePreset>(
    this: new (options: FixedVarianceOptions) => T,
    r: ConfigReader,
  ): T {
    const options = {
      seed: r.integerOrNull('seed', null),
      inputAxes: r.integerListOrNull('input_axes'),
      outputAxes: r.integerListOrNull('output_axes'),
    };
    r.finish();
    return new this(options);
  }
}

/** Glorot (Xavier) uniform: uniform on ±√(6 / (fan_in + fan_out)). */
export class GlorotUniform extends VariancePreset {
  override readonly className: string = 'GlorotUniform';
  constructor(options: FixedVarianceOptions = {}) {
    super({ ...options, scale: 1, mode: 'fan_avg', distribution: 'uniform' }, 'GlorotUniform');
  }
}

/** Glorot (Xavier) normal: truncated normal with stddev √(2 / (fan_in + fan_out)). */
export class GlorotNormal extends VariancePreset {
  override readonly className: string = 'GlorotNormal';
  constructor(options: FixedVarianceOptions = {}) {
    super({ ...options, scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' }, 'GlorotNormal');
  }
}

/** LeCun normal: truncated normal with stddev √(1 / fan_in). */
export class LecunNormal extends VariancePreset {
  override readonly className: string = 'LecunNormal';
  constructor(options: FixedVarianceOptions = {}) {
    super({ ...options, scale: 1, mode: 'fan_in', distribution: 'truncated_normal' }, 'LecunNormal');
  }
}

/** LeCun uniform: uniform on ±√(3 / fan_in). */
export class LecunUniform extends VariancePreset {
  override readonly className: string = 'LecunUniform';
  constructor(options: FixedVarianceOptions = {}) {
    super({ ...options, scale: 1, mode: 'fan_in', distribution: 'uniform' }, 'LecunUniform');
  }
}

/** He normal: truncated normal with stddev √(2 / fan_in). */
export class HeNormal extends VariancePreset {
  override readonly className: string = 'HeNormal';
  constructor(options: FixedVarianceOptions = {}) {
    super({ ...options, scale: 2, mode: 'fan_in', distribution: 'truncated_normal' }, 'HeNormal');
  }
}

/** He uniform: uniform on ±√(6 / fan_in). */
export class HeUniform extends VariancePreset {
  override readonly className: string = 'HeUniform';
  constructor(options: FixedVarianceOptions = {}) {
    super({ ...options, scale: 2, mode: 'fan_in', distribution: 'uniform' }, 'HeUniform');
  }
}
