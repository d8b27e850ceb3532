/**
 * `Dropout`: Keras 3's dropout layer. In training mode each input element is zeroed with probability `rate`
 * and the kept ones are scaled by 1 / (1 − rate) (inverted dropout), so inference is the identity.
 * `noiseShape` shares one draw along axes of size 1 (e.g. [null, 1, null] drops the same features at every
 * time step of [B, T, F]); null entries take the input's size. A mask passes through unchanged.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { argsFromConfig, translatorOf } from './translators.js';
import { mul } from '../ops/arithmetic.js';
import { cast } from '../ops/shape-ops.js';
import { drawKeepMask } from '../random/dropout-mask.js';
import { randomFor, type Random } from '../random/rng.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1]. */
  rate: number;
  /** The shape of the keep/drop draw, broadcast over the input; null entries take the input's size. */
  noiseShape?: readonly (number | null)[] | null;
  /** Seed of the draws: the sequence of masks is then reproducible. */
  seed?: number | null;
}

export class Dropout extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Dropout';
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
  protected readonly random: Random;

  /** `className`: a subclass's Keras name (its automatic layer names and messages). */
  constructor(args: DropoutArgs, className = 'Dropout') {
    const context = `${className} constructor`;
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with rate',
        received: args,
        context,
      });
    }
    super(args, className);
    this.supportsMasking = true;
    const { rate } = args;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new InvalidArgumentError({ argument: 'rate', expected: 'a number in [0, 1]', received: rate, context });
    }
    const seed = args.seed ?? null;
    if (seed !== null && (typeof seed !== 'number' || !Number.isInteger(seed))) {
      throw new InvalidArgumentError({ argument: 'seed', expected: 'an integer or null', received: seed, context });
    }
    const noiseShape = args.noiseShape ?? null;
    if (
      noiseShape !== null &&
      (!Array.isArray(noiseShape) || !noiseShape.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0)))
    ) {
      throw new InvalidArgumentError({
        argument: 'noiseShape',
        expected: 'an array of positive integers or nulls, or null',
        received: noiseShape,
        context,
      });
    }
    this.rate = rate;
    this.seed = seed;
    this.noiseShape = noiseShape === null ? null : Object.freeze([...noiseShape]);
    this.random = randomFor(seed);
    this.built = true;
  }

  /** The inputs with dropout applied when `training`, else the inputs themselves. */
  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (options.training === true && this.rate > 0) {
      const xf = x.dtype === this.dtype || x.dtype === 'float64' ? x : cast(x, this.dtype);
      return mul(xf, this.mask(xf));
    }
    return x;
  }

  /** The scaled keep mask (1/(1−rate) or 0) of the noise shape, float32. */
  private mask(x: Tensor): Tensor {
    const context = `Dropout '${this.name}'.apply`;
    const shape = this.noiseShape === null ? [...x.shape] : this.noiseShape.map((d, i) => d ?? x.shape[i]!);
    const broadcastable = shape.length === x.rank && shape.every((d, i) => d === x.shape[i] || d === 1);
    if (!broadcastable) {
      throw new ShapeError({
        argument: 'noiseShape',
        expected: `a shape that broadcasts to the input ${formatShape(x.shape)} (same rank, each size 1 or the input's)`,
        received: formatShape(this.noiseShape ?? []),
        context,
      });
    }
    return drawKeepMask(this.random, this.rate, shape, x.dtype === 'float64' ? 'float64' : 'float32');
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  /** Keras 3's `Dropout.get_config()`. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Dropout, `${this.className}.getConfig`).toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Dropout {
    return new Dropout(argsFromConfig(Dropout, config, 'Dropout.fromConfig'));
  }
}
