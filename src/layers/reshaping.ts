/**
 * Keras 3's reshaping layers, none with weights or masks (a mask given to them stops there, as in Keras):
 * - `RepeatVector(n)`: [B, F] → [B, n, F] (the decoder input of a seq2seq model).
 * - `Flatten`: [B, ...] → [B, product of the rest] ([B, 1] for [B]); `dataFormat: 'channels_first'` moves
 *   axis 1 last first, as Keras does.
 * - `Reshape(targetShape)`: [B, ...] → [B, ...targetShape], one entry may be -1 (inferred). Built from the
 *   start, so Keras writes no `build_config` for it.
 * - `Permute(dims)`: reorders the non-batch axes; `dims` is a permutation of 1..rank-1.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { broadcastTo, reshape, transpose } from '../ops/shape-ops.js';
import { checkElementCount, formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { singleInput } from './call-args.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';
import { argsFromConfig, translatorOf } from './translators.js';

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat the input: a positive integer. */
  n: number;
}

export class RepeatVector extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    const context = 'RepeatVector constructor';
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with n',
        received: args,
        context,
      });
    super(args, 'RepeatVector');
    if (!isPositiveInt(args.n))
      throw new InvalidArgumentError({ argument: 'n', expected: 'a positive integer', received: args.n, context });
    this.n = args.n;
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    if (shapes.length !== 1 || shapes[0]!.length !== 2) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'one tensor of rank 2 [batch, features]',
        received: shapes.map((s) => formatShape(s)).join(', '),
        context,
      });
    }
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const context = `RepeatVector '${this.name}'.apply`;
    const x = singleInput(inputs, context);
    const shape = [x.shape[0]!, this.n, x.shape[1]!];
    // A large n is refused before anything is allocated.
    checkElementCount(shape, 'output shape', context);
    return broadcastTo(reshape(x, [x.shape[0]!, 1, x.shape[1]!]), shape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return [s[0] ?? null, this.n, s[1] ?? null];
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(RepeatVector, 'RepeatVector.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): RepeatVector {
    return new RepeatVector(argsFromConfig(RepeatVector, config, 'RepeatVector.fromConfig'));
  }
}

export type DataFormat = 'channels_last' | 'channels_first';

export interface FlattenArgs extends LayerArgs {
  /** Default `'channels_last'` (Keras's default image data format). */
  dataFormat?: DataFormat | null;
}

export class Flatten extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Flatten';
  readonly dataFormat: DataFormat;

  constructor(args: FlattenArgs = {}) {
    const context = 'Flatten constructor';
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({ argument: 'args', expected: 'an options object', received: args, context });
    super(args, 'Flatten');
    const format = args.dataFormat ?? 'channels_last';
    if (format !== 'channels_last' && format !== 'channels_first') {
      throw new InvalidArgumentError({
        argument: 'dataFormat',
        expected: "'channels_last' or 'channels_first'",
        received: format,
        context,
      });
    }
    this.dataFormat = format;
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    if (shapes.length !== 1 || shapes[0]!.length < 1) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'one tensor of rank ≥ 1',
        received: shapes.map((s) => formatShape(s)).join(', '),
        context,
      });
    }
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    let x = singleInput(inputs, `Flatten '${this.name}'.apply`);
    if (this.dataFormat === 'channels_first' && x.rank > 2)
      x = transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
    return reshape(x, [x.shape[0]!, x.shape.slice(1).reduce((p, d) => p * d, 1)]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const rest = (inputShape as Shape).slice(1);
    return [
      (inputShape as Shape)[0] ?? null,
      rest.some((d) => d === null) ? null : rest.reduce<number>((p, d) => p * d!, 1),
    ];
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(Flatten, 'Flatten.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Flatten {
    return new Flatten(argsFromConfig(Flatten, config, 'Flatten.fromConfig'));
  }
}

export interface ReshapeArgs extends LayerArgs {
  /** The output shape without the batch axis; at most one entry -1 (inferred). */
  targetShape: readonly number[];
}

export class Reshape extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    const context = 'Reshape constructor';
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with targetShape',
        received: args,
        context,
      });
    super(args, 'Reshape');
    const target = args.targetShape;
    const valid =
      Array.isArray(target) &&
      target.every((d) => d === -1 || isPositiveInt(d)) &&
      target.filter((d) => d === -1).length <= 1;
    if (!valid) {
      throw new InvalidArgumentError({
        argument: 'targetShape',
        expected: 'a list of positive integers with at most one -1',
        received: target,
        context,
      });
    }
    this.targetShape = Object.freeze([...target]);
    this.built = true;
  }

  override build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /** The target with its -1 resolved from `rest` (the input's non-batch sizes), or null when it cannot be. */
  private resolve(rest: readonly (number | null)[], context: string): (number | null)[] {
    const known = this.targetShape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    const total = rest.some((d) => d === null) ? null : rest.reduce<number>((p, d) => p * d!, 1);
    const wild = this.targetShape.indexOf(-1);
    if (total !== null && (wild < 0 ? total !== known : total % known !== 0)) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `${wild < 0 ? '' : 'a multiple of '}${known} values per sample (target shape ${formatShape([...this.targetShape])})`,
        received: formatShape([...rest]),
        context,
      });
    }
    return this.targetShape.map((d) => (d !== -1 ? d : total === null ? null : total / known));
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const context = `Reshape '${this.name}'.apply`;
    const x = singleInput(inputs, context);
    return reshape(x, [x.shape[0]!, ...(this.resolve(x.shape.slice(1), context) as number[])]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [
      (inputShape as Shape)[0] ?? null,
      ...this.resolve((inputShape as Shape).slice(1), `Reshape '${this.name}'`),
    ];
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(Reshape, 'Reshape.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Reshape {
    return new Reshape(argsFromConfig(Reshape, config, 'Reshape.fromConfig'));
  }
}

export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..rank-1: output axis i+1 is input axis dims[i]. */
  dims: readonly number[];
}

export class Permute extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Permute';
  readonly dims: readonly number[];

  constructor(args: PermuteArgs) {
    const context = 'Permute constructor';
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with dims',
        received: args,
        context,
      });
    super(args, 'Permute');
    const dims = args.dims;
    const sorted = Array.isArray(dims) ? [...dims].sort((p, q) => p - q) : null;
    if (sorted === null || sorted.length === 0 || sorted.some((d, i) => d !== i + 1)) {
      throw new InvalidArgumentError({
        argument: 'dims',
        expected: 'a permutation of 1..n (the batch axis 0 stays first)',
        received: dims,
        context,
      });
    }
    this.dims = Object.freeze([...dims]);
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    if (shapes.length !== 1 || shapes[0]!.length !== this.dims.length + 1) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `one tensor of rank ${this.dims.length + 1}`,
        received: shapes.map((s) => formatShape(s)).join(', '),
        context,
      });
    }
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    return transpose(singleInput(inputs, `Permute '${this.name}'.apply`), [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return [s[0] ?? null, ...this.dims.map((d) => s[d] ?? null)];
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(Permute, 'Permute.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Permute {
    return new Permute(argsFromConfig(Permute, config, 'Permute.fromConfig'));
  }
}
