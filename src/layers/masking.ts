/**
 * `Masking`: Keras 3's layer that marks padded time steps. A step is kept when any of its features differs
 * from `maskValue`:
 *
 *     keep[b, t] = any_f(inputs[b, t, f] ≠ maskValue)        (bool, the input shape without its last axis)
 *     output     = inputs ⊙ keep[..., None]                   (masked steps become exactly 0)
 *
 * The layer outputs `keep` as its mask, so the recurrent layers after it skip those steps.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { argsFromConfig, translatorOf } from './translators.js';
import { mul } from '../ops/arithmetic.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { singleInput } from './call-args.js';
import { Layer, type CallOptions, type LayerArgs, type SingleOutputApply, type Shape } from './layer.js';

export interface MaskingArgs extends LayerArgs {
  /** The value that marks a padded step (all of its features equal it). Default 0. */
  maskValue?: number;
}

export class Masking extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    const context = 'Masking constructor';
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object (maskValue)',
        received: args,
        context,
      });
    }
    super(args, 'Masking');
    const maskValue = args.maskValue ?? 0;
    if (typeof maskValue !== 'number') {
      throw new InvalidArgumentError({ argument: 'maskValue', expected: 'a number', received: maskValue, context });
    }
    this.maskValue = maskValue;
    this.supportsMasking = true;
    this.built = true;
  }

  /** keep [..., 1]: 1 where any feature of the step differs from maskValue (bool). */
  private keepMask(x: Tensor, context: string): Tensor {
    if (x.rank < 1) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'a tensor of rank ≥ 1 [..., features]',
        received: formatShape(x.shape),
        context,
      });
    }
    const features = x.shape[x.rank - 1]!;
    // Steps with no features (x is [..., 0]) have nothing that differs from maskValue: all are masked.
    const steps = sizeOf(x.shape.slice(0, -1));
    const keep = new Uint8Array(steps);
    for (let s = 0; s < steps; s++) {
      for (let f = 0; f < features; f++) {
        if (x.values[s * features + f] !== this.maskValue) {
          keep[s] = 1;
          break;
        }
      }
    }
    return new Tensor(keep, [...x.shape.slice(0, -1), 1], 'bool');
  }

  /** The keep mask `call` computed, for `computeMask` of the same input. */
  private lastKeep: { input: Tensor; keep: Tensor } | null = null;

  /** inputs with the masked steps set to 0 (same shape and dtype). */
  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const context = `Masking '${this.name}'.call`;
    const x = singleInput(inputs, context);
    const keep = this.keepMask(x, context);
    this.lastKeep = { input: x, keep };
    const factor = allocate(x.dtype, keep.size);
    for (let i = 0; i < keep.size; i++) factor[i] = keep.values[i]!;
    // The factor is a constant: the gradient passes to the kept steps only.
    return mul(x, new Tensor(factor, keep.shape, x.dtype));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  /** The bool mask `[B, T]` (the input shape without its last axis): true where the step is kept. */
  override computeMask(inputs: Tensor | Tensor[], _mask: Tensor | null | (Tensor | null)[]): Tensor {
    const context = `Masking '${this.name}'.computeMask`;
    const x = singleInput(inputs, context);
    // `apply` calls computeMask right after call on the same input: reuse call's scan of it.
    const keep = this.lastKeep?.input === x ? this.lastKeep.keep : this.keepMask(x, context);
    this.lastKeep = null;
    return new Tensor(keep.values, x.shape.slice(0, -1), 'bool');
  }

  /** Symbolic side of `computeMask`: the output always has a mask. */
  override producesMask(_inputHasMask: readonly boolean[]): boolean {
    return true;
  }

  /** Keras 3's `Masking.get_config()`. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Masking, `${this.className}.getConfig`).toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Masking {
    return new Masking(argsFromConfig(Masking, config, 'Masking.fromConfig'));
  }
}
