/**
 * `Concatenate`: Keras 3's join of a list of tensors along `axis` (default -1, the features). Every other axis
 * must agree (null matches anything).
 *
 * Masks, as Keras's `Concatenate.compute_mask`: when any input has a mask, each input's mask is widened to the
 * input's full shape (an unmasked input counts as all-kept), the widened masks are concatenated along `axis`,
 * and the output mask is their OR over the last axis. Along the features that is "kept where any input is
 * kept" (all-kept as soon as one input has no mask); along time it is the masks joined end to end.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { concat } from '../ops/shape-ops.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor, tensor } from '../tensor/tensor.js';
import type { CallOptions, Shape } from './layer.js';
import { Merge, maskList, type MergeArgs } from './merge.js';
import { argsFromConfig, translatorOf } from './translators.js';

export interface ConcatenateArgs extends MergeArgs {
  /** The axis to join along; negative counts from the end. Default -1. */
  axis?: number;
}

/** `mask` [...] widened to `shape` [..., F] (each mask entry repeated over the last axis), as 0/1 bytes. */
function widenMask(mask: Tensor | null, shape: readonly number[]): Tensor {
  const out = new Uint8Array(sizeOf(shape));
  if (mask === null) out.fill(1);
  else if (mask.rank === shape.length) for (let i = 0; i < out.length; i++) out[i] = mask.values[i] !== 0 ? 1 : 0;
  else {
    const last = shape[shape.length - 1]!;
    for (let i = 0; i < out.length; i++) out[i] = mask.values[Math.floor(i / last)] !== 0 ? 1 : 0;
  }
  return tensor(out, [...shape], 'bool');
}

export class Concatenate extends Merge {
  readonly className: string = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, 'Concatenate');
    const axis = args.axis ?? -1;
    if (typeof axis !== 'number' || !Number.isInteger(axis)) {
      throw new InvalidArgumentError({
        argument: 'axis',
        expected: 'an integer axis',
        received: axis,
        context: 'Concatenate constructor',
      });
    }
    this.axis = axis;
  }

  /** The axis as a non-negative index for inputs of `rank`; the batch axis is refused. */
  private axisFor(rank: number, context: string): number {
    const ax = this.axis < 0 ? this.axis + rank : this.axis;
    if (ax <= 0 || ax >= rank) {
      throw new ShapeError({
        argument: 'axis',
        expected: `an axis in [1, ${rank - 1}] or [-${rank - 1}, -1] for inputs of rank ${rank}`,
        received: this.axis,
        context,
      });
    }
    return ax;
  }

  /** Same rank, same sizes off the axis (null matches anything). */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const context = `Concatenate '${this.name}'`;
    const shapes = this.listShapes(inputShape, context);
    const rank = shapes[0]!.length;
    const ax = this.axisFor(rank, context);
    const out = [...shapes[0]!];
    for (const s of shapes.slice(1)) {
      const mismatch = s.length !== rank || s.some((d, k) => k !== ax && d !== null && out[k] !== null && d !== out[k]);
      if (mismatch) {
        throw new ShapeError({
          argument: 'inputs',
          expected: 'shapes that match except along the concatenation axis',
          received: shapes.map((x) => formatShape(x)).join(', '),
          context,
        });
      }
      s.forEach((d, k) => {
        if (k === ax) out[k] = out[k] === null || d === null ? null : out[k]! + d;
        else if (out[k] === null) out[k] = d;
      });
    }
    return out;
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const context = `Concatenate '${this.name}'.apply`;
    if (!Array.isArray(inputs)) {
      throw new InvalidArgumentError({
        argument: 'inputs',
        expected: 'a list of tensors (Concatenate is called on a list)',
        received: inputs,
        context,
      });
    }
    this.computeOutputShape(inputs.map((t) => [...t.shape]));
    return this.merge(inputs);
  }

  protected merge(inputs: Tensor[]): Tensor {
    return concat(inputs, this.axisFor(inputs[0]!.rank, `Concatenate '${this.name}'`));
  }

  override computeMask(inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): Tensor | null {
    if (!Array.isArray(inputs) || !Array.isArray(mask)) return null;
    const masks = maskList(mask, inputs.length);
    if (masks.every((m) => m === null)) return null;
    const rank = inputs[0]!.rank;
    const joined = concat(
      inputs.map((x, i) => widenMask(masks[i]!, x.shape)),
      this.axisFor(rank, 'Concatenate.computeMask'),
    );
    const last = joined.shape[rank - 1]!;
    const out = new Uint8Array(joined.size / last);
    for (let i = 0; i < joined.size; i++) if (joined.values[i] !== 0) out[Math.floor(i / last)] = 1;
    return tensor(out, joined.shape.slice(0, -1), 'bool');
  }

  override producesMask(inputHasMask: readonly boolean[]): boolean {
    return inputHasMask.some(Boolean);
  }

  /** Keras's `Concatenate.get_config()`: the base config, then `axis`. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Concatenate, 'Concatenate.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Concatenate {
    return new Concatenate(argsFromConfig(Concatenate, config, 'Concatenate.fromConfig'));
  }
}
