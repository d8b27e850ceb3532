/**
 * `Dot`: Keras 3's batchwise dot product of two tensors along `axes` (one axis for both, or one per input;
 * negative counts from the end; never the batch axis). With `normalize`, each input is first L2-normalized
 * along its axis as Keras's `ops.normalize` does (`x · min(rsqrt(Σx²), 1/ε)`, ε = 1e-7), so the result is the
 * cosine similarity.
 *
 * The result's shape is x's shape without its axis, then y's without its batch axis and its axis; a result of
 * rank 1 becomes [batch, 1] (Keras's `batch_dot`). Dot outputs no mask.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { minimum, mul } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { reshape, slice, stack, transpose } from '../ops/shape-ops.js';
import { reciprocal, sqrt } from '../ops/unary.js';
import { formatShape } from '../tensor/shape.js';
import { scalar, type Tensor } from '../tensor/tensor.js';
import type { CallOptions, Shape } from './layer.js';
import { Merge, type MergeArgs } from './merge.js';
import { argsFromConfig, translatorOf } from './translators.js';

export interface DotArgs extends MergeArgs {
  /** One axis for both inputs, or `[axisOfX, axisOfY]`. */
  axes: number | readonly [number, number];
  /** L2-normalize along the axes first (cosine similarity). Default false. */
  normalize?: boolean;
}

/** Keras's `backend.epsilon()`. */
export const EPSILON = 1e-7;

/** x · min(rsqrt(Σ x² along axis), 1/ε): Keras's L2 `normalize`. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  const inv = reciprocal(sqrt(sum(mul(x, x), axis, true)));
  return mul(x, minimum(inv, scalar(1 / EPSILON, x.dtype)));
}

/** [B, m, k] · [B, k, n] → [B, m, n], one matrix product per batch row. */
export function batchMatMul(x: Tensor, y: Tensor): Tensor {
  const [b, m, k] = x.shape as [number, number, number];
  const n = y.shape[2]!;
  const rows = Array.from({ length: b }, (_, i) =>
    matMul(reshape(slice(x, [i, 0, 0], [1, m, k]), [m, k]), reshape(slice(y, [i, 0, 0], [1, k, n]), [k, n])),
  );
  return stack(rows, 0);
}

/** Keras's `batch_dot(x, y, axes)` with non-negative axes, both ≥ 1. */
function batchDot(x: Tensor, y: Tensor, axes: [number, number]): Tensor {
  const a1 = axes[1];
  let a0 = axes[0];
  const xRank = x.rank;
  const yRank = y.rank;
  if (xRank === 2) {
    x = reshape(x, [x.shape[0]!, 1, x.shape[1]!]);
    a0 += 1;
  }
  if (yRank === 2) y = reshape(y, [y.shape[0]!, y.shape[1]!, 1]);
  // x's summed axis goes last, y's to axis 1.
  const xPerm = [...Array(x.rank).keys()].filter((d) => d !== a0).concat(a0);
  const yPerm = [0, a1, ...[...Array(y.rank).keys()].filter((d) => d !== 0 && d !== a1)];
  x = transpose(x, xPerm);
  y = transpose(y, yPerm);
  const xMid = x.shape.slice(1, -1);
  const yTrail = y.shape.slice(2);
  const batch = x.shape[0]!;
  const k = x.shape[x.rank - 1]!;
  const x3 = reshape(x, [batch, xMid.reduce((p, d) => p * d, 1), k]);
  const y3 = reshape(y, [batch, k, yTrail.reduce((p, d) => p * d, 1)]);
  let out = reshape(batchMatMul(x3, y3), [batch, ...xMid, ...yTrail]);
  // Inputs of rank 2 drop the axis added for them.
  if (xRank === 2)
    out = reshape(
      out,
      out.shape.filter((_, i) => i !== 1),
    );
  else if (yRank === 2) out = reshape(out, out.shape.slice(0, -1));
  return out.rank === 1 ? reshape(out, [out.shape[0]!, 1]) : out;
}

export class Dot extends Merge {
  readonly className: string = 'Dot';
  protected override readonly inputCount: number | null = 2;
  readonly axes: number | readonly [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    const context = 'Dot constructor';
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with axes',
        received: args,
        context,
      });
    }
    super(args, 'Dot');
    const { axes } = args;
    const isAxis = (a: unknown): boolean => typeof a === 'number' && Number.isInteger(a);
    if (!isAxis(axes) && !(Array.isArray(axes) && axes.length === 2 && axes.every(isAxis))) {
      throw new InvalidArgumentError({
        argument: 'axes',
        expected: 'an integer or a list of two integers',
        received: axes,
        context,
      });
    }
    const normalize = args.normalize ?? false;
    if (typeof normalize !== 'boolean') {
      throw new InvalidArgumentError({ argument: 'normalize', expected: 'a boolean', received: normalize, context });
    }
    this.axes = Array.isArray(axes) ? ([axes[0], axes[1]] as const) : (axes as number);
    this.normalize = normalize;
  }

  /** The two axes as non-negative indices (Keras's `axis % rank`), checked not to be the batch axis. */
  axesFor(rank1: number, rank2: number, context: string): [number, number] {
    const [p, q] = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    const axes: [number, number] = [((p % rank1) + rank1) % rank1, ((q % rank2) + rank2) % rank2];
    if (axes.includes(0) || p >= rank1 || q >= rank2) {
      throw new ShapeError({
        argument: 'axes',
        expected: `axes in [1, ${rank1 - 1}] and [1, ${rank2 - 1}] (not the batch axis)`,
        received: JSON.stringify(this.axes),
        context,
      });
    }
    return axes;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const context = `Dot '${this.name}'`;
    const [s1, s2] = this.listShapes(inputShape, context) as [Shape, Shape];
    if (s1.length < 2 || s2.length < 2) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'two tensors of rank ≥ 2',
        received: `${formatShape(s1)} and ${formatShape(s2)}`,
        context,
      });
    }
    const [a0, a1] = this.axesFor(s1.length, s2.length, context);
    if (s1[a0] !== null && s2[a1] !== null && s1[a0] !== s2[a1]) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `equal sizes along axes ${a0} and ${a1}`,
        received: `${formatShape(s1)} and ${formatShape(s2)}`,
        context,
      });
    }
    const out = [...s1.filter((_, i) => i !== a0), ...s2.filter((_, i) => i !== 0 && i !== a1)];
    return out.length === 1 ? [...out, 1] : out;
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const context = `Dot '${this.name}'.apply`;
    if (!Array.isArray(inputs)) {
      throw new InvalidArgumentError({
        argument: 'inputs',
        expected: 'a list of 2 tensors (Dot is called on a list)',
        received: inputs,
        context,
      });
    }
    this.computeOutputShape(inputs.map((t) => [...t.shape]));
    const [x, y] = inputs as [Tensor, Tensor];
    const axes = this.axesFor(x.rank, y.rank, context);
    return this.merge([x, y], [], axes);
  }

  protected merge(inputs: Tensor[], _masks: (Tensor | null)[], axes?: [number, number]): Tensor {
    const [a0, a1] = axes ?? this.axesFor(inputs[0]!.rank, inputs[1]!.rank, `Dot '${this.name}'`);
    const x = this.normalize ? l2Normalize(inputs[0]!, a0) : inputs[0]!;
    const y = this.normalize ? l2Normalize(inputs[1]!, a1) : inputs[1]!;
    return batchDot(x, y, [a0, a1]);
  }

  /** Dot outputs no mask (Keras's `Dot.compute_mask`). */
  override computeMask(): null {
    return null;
  }

  override producesMask(): boolean {
    return false;
  }

  /** Keras's `Dot.get_config()`: the base config, then `axes` and `normalize`. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Dot, 'Dot.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Dot {
    return new Dot(argsFromConfig(Dot, config, 'Dot.fromConfig'));
  }
}
