/**
 * Keras 3's training-only noise layers: the identity at inference, seeded draws in training (`training: true`),
 * a mask passed on. All are built at construction (Keras's `_build_at_init`), so Keras writes no build_config.
 * - `GaussianNoise(stddev)`: x + N(0, stddev²) per element.
 * - `GaussianDropout(rate)`: x · N(1, rate / (1 − rate)) per element.
 * - `SpatialDropout1D(rate)`: Dropout of whole channels: for [B, T, C] one keep/drop draw per (sample,
 *   channel), shared by every time step. A `Dropout`, so wherever Dropout is accepted (ONNX export as the
 *   identity) it is too.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { add, mul } from '../ops/arithmetic.js';
import { cast } from '../ops/shape-ops.js';
import { drawKeepMask } from '../random/dropout-mask.js';
import { randomFor, type Random } from '../random/rng.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkNumberInRange } from '../validation.js';
import { singleInput } from './call-args.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';
import { argsFromConfig, translatorOf } from './translators.js';

function checkSeed(seed: unknown, context: string): number | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new InvalidArgumentError({ argument: 'seed', expected: 'an integer or null', received: seed, context });
  }
  return seed;
}

/** `mean + stddev · N(0, 1)` of `shape`, in float32 unless `dtype` is float64. */
function drawNormal(random: Random, shape: readonly number[], mean: number, stddev: number, dtype: string): Tensor {
  const kind = dtype === 'float64' ? 'float64' : 'float32';
  const values = allocate(
    kind,
    shape.reduce((a, b) => a * b, 1),
  );
  for (let i = 0; i < values.length; i++) values[i] = mean + stddev * random.normal();
  return new Tensor(values, shape, kind);
}

/** What the two Gaussian layers share: the seed, its generator, and the identity outside training. */
abstract class GaussianLayer extends Layer {
  declare apply: SingleOutputApply;
  readonly seed: number | null;
  protected readonly random: Random;

  protected constructor(args: LayerArgs & { seed?: number | null }, className: string) {
    super(args, className);
    this.supportsMasking = true;
    this.seed = checkSeed(args.seed, `${className} constructor`);
    this.random = randomFor(this.seed);
    this.built = true;
  }

  /** The noisy input in training, else the input itself. */
  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor {
    const x = singleInput(inputs, `${this.className} '${this.name}'.apply`);
    if (options.training !== true || !this.active()) return x;
    const xf = x.dtype === this.dtype || x.dtype === 'float64' ? x : cast(x, this.dtype);
    return this.noisy(xf);
  }

  protected abstract active(): boolean;
  protected abstract noisy(x: Tensor): Tensor;

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }
}

export interface GaussianNoiseArgs extends LayerArgs {
  /** The standard deviation of the additive noise, in [0, 1] (Keras's range). */
  stddev: number;
  seed?: number | null;
}

export class GaussianNoise extends GaussianLayer {
  readonly className: string = 'GaussianNoise';
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    const context = 'GaussianNoise constructor';
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with stddev',
        received: args,
        context,
      });
    super(args, 'GaussianNoise');
    if (args.stddev === undefined)
      throw new InvalidArgumentError({
        argument: 'stddev',
        expected: 'a number in [0, 1]',
        received: undefined,
        context,
      });
    this.stddev = checkNumberInRange(args.stddev, 0, 'stddev', 0, 1, context);
  }

  protected active(): boolean {
    return this.stddev > 0;
  }

  protected noisy(x: Tensor): Tensor {
    return add(x, drawNormal(this.random, x.shape, 0, this.stddev, x.dtype));
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(GaussianNoise, 'GaussianNoise.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): GaussianNoise {
    return new GaussianNoise(argsFromConfig(GaussianNoise, config, 'GaussianNoise.fromConfig'));
  }
}

export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability as for Dropout, in [0, 1]: the noise's standard deviation is sqrt(rate / (1 − rate)). */
  rate: number;
  seed?: number | null;
}

export class GaussianDropout extends GaussianLayer {
  readonly className: string = 'GaussianDropout';
  readonly rate: number;

  constructor(args: GaussianDropoutArgs) {
    const context = 'GaussianDropout constructor';
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with rate',
        received: args,
        context,
      });
    super(args, 'GaussianDropout');
    if (args.rate === undefined)
      throw new InvalidArgumentError({
        argument: 'rate',
        expected: 'a number in [0, 1]',
        received: undefined,
        context,
      });
    this.rate = checkNumberInRange(args.rate, 0, 'rate', 0, 1, context);
  }

  protected active(): boolean {
    return this.rate > 0;
  }

  protected noisy(x: Tensor): Tensor {
    return mul(x, drawNormal(this.random, x.shape, 1, Math.sqrt(this.rate / (1 - this.rate)), x.dtype));
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(GaussianDropout, 'GaussianDropout.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): GaussianDropout {
    return new GaussianDropout(argsFromConfig(GaussianDropout, config, 'GaussianDropout.fromConfig'));
  }
}

export type SpatialDropout1DArgs = Omit<DropoutArgs, 'noiseShape'>;

export class SpatialDropout1D extends Dropout {
  override readonly className: string = 'SpatialDropout1D';

  constructor(args: SpatialDropout1DArgs) {
    if (args !== null && typeof args === 'object' && 'noiseShape' in args) {
      throw new InvalidArgumentError({
        argument: 'noiseShape',
        expected: 'nothing (SpatialDropout1D always draws one value per sample and channel)',
        received: (args as DropoutArgs).noiseShape,
        context: 'SpatialDropout1D constructor',
      });
    }
    super(args as DropoutArgs, 'SpatialDropout1D');
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    if (shapes.length !== 1 || shapes[0]!.length !== 3) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'one tensor of rank 3 [batch, timesteps, channels]',
        received: shapes.map((s) => formatShape(s)).join(', '),
        context,
      });
    }
  }

  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor {
    const x = singleInput(inputs, `SpatialDropout1D '${this.name}'.apply`);
    if (options.training !== true || this.rate === 0) return x;
    const xf = x.dtype === this.dtype || x.dtype === 'float64' ? x : cast(x, this.dtype);
    const [b, , c] = xf.shape as [number, number, number];
    return mul(xf, drawKeepMask(this.random, this.rate, [b, 1, c], xf.dtype === 'float64' ? 'float64' : 'float32'));
  }

  /** Keras's `BaseSpatialDropout.get_config()`: only rate, seed, name and dtype. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(SpatialDropout1D, 'SpatialDropout1D.getConfig').toConfig(this, {});
  }

  static override fromConfig(config: Record<string, unknown>): SpatialDropout1D {
    return new SpatialDropout1D(argsFromConfig(SpatialDropout1D, config, 'SpatialDropout1D.fromConfig'));
  }
}
