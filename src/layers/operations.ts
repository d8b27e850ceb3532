/**
 * Keras 3 operations as layers. When Keras builds a functional model it traces the `keras.ops` calls made on
 * symbolic tensors, and the model's config lists them among its layers: most often the masks that Masking and
 * Embedding compute (`Any(NotEqual(x, 0.0), axis=-1)`, `NotEqual(ids, 0)`), fed to the next layers as
 * `kwargs.mask`. These classes replay them: each infers its output's shape and dtype symbolically and computes it
 * eagerly with the library's ops. They hold no weights. Operands are tensors and constants (operation.ts).
 *
 *     const mask = new Any({ axis: -1 }).applyOp(new NotEqual().applyOp(x, 0));   // x [B,T,F] → mask [B,T] bool
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { binaryResultDType, broadcastBinary } from '../ops/broadcast.js';
import { sum } from '../ops/reduce.js';
import { cast, reshape } from '../ops/shape-ops.js';
import { assertDType, type DType } from '../tensor/dtype.js';
import { formatShape, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Shape } from './layer.js';
import {
  broadcastSymbolicShapes,
  checkAxis,
  firstDType,
  Operation,
  operandTensor,
  type OperandConstant,
} from './operation.js';

export { Operation, broadcastSymbolicShapes } from './operation.js';
export type { Operand, OperandConstant, OperandSlot } from './operation.js';

/** A two-operand elementwise operation with broadcasting. */
abstract class BinaryOperation extends Operation {
  readonly operandCount = 2;

  protected override outputShapeOf(shapes: readonly Shape[], context: string): Shape {
    return broadcastSymbolicShapes(shapes[0]!, shapes[1]!, context);
  }
}

/** Comparisons: bool results. */
abstract class Comparison extends BinaryOperation {
  protected abstract test(x: number, y: number): boolean;

  protected override compute(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor {
    const like = firstDType(operands);
    const a = operandTensor(operands[0]!, like, context);
    const b = operandTensor(operands[1]!, like, context);
    return broadcastBinary(a, b, (x, y) => (this.test(x, y) ? 1 : 0), 'bool', context);
  }

  protected override resultDType(): DType {
    return 'bool';
  }
}

/** Keras's `ops.not_equal(x1, x2)`: bool, x1 ≠ x2 (broadcasting). */
export class NotEqual extends Comparison {
  readonly className: string = 'NotEqual';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'NotEqual');
  }
  protected test(x: number, y: number): boolean {
    return x !== y;
  }
}

/** Keras's `ops.equal(x1, x2)`. */
export class Equal extends Comparison {
  readonly className: string = 'Equal';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'Equal');
  }
  protected test(x: number, y: number): boolean {
    return x === y;
  }
}

/** Keras's `ops.greater(x1, x2)`. */
export class Greater extends Comparison {
  readonly className: string = 'Greater';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'Greater');
  }
  protected test(x: number, y: number): boolean {
    return x > y;
  }
}

/** Keras's `ops.greater_equal(x1, x2)`. */
export class GreaterEqual extends Comparison {
  readonly className: string = 'GreaterEqual';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'GreaterEqual');
  }
  protected test(x: number, y: number): boolean {
    return x >= y;
  }
}

/** Keras's `ops.less(x1, x2)`. */
export class Less extends Comparison {
  readonly className: string = 'Less';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'Less');
  }
  protected test(x: number, y: number): boolean {
    return x < y;
  }
}

/** Keras's `ops.less_equal(x1, x2)`. */
export class LessEqual extends Comparison {
  readonly className: string = 'LessEqual';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'LessEqual');
  }
  protected test(x: number, y: number): boolean {
    return x <= y;
  }
}

/** Keras's `ops.logical_and(x1, x2)`: nonzero counts as true. */
export class LogicalAnd extends Comparison {
  readonly className: string = 'LogicalAnd';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'LogicalAnd');
  }
  protected test(x: number, y: number): boolean {
    return x !== 0 && y !== 0;
  }
}

/** Keras's `ops.logical_or(x1, x2)`. */
export class LogicalOr extends Comparison {
  readonly className: string = 'LogicalOr';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'LogicalOr');
  }
  protected test(x: number, y: number): boolean {
    return x !== 0 || y !== 0;
  }
}

/** Arithmetic that Keras traces from `x * mask`, `x + y`, `x - y`: the library's differentiable ops. */
abstract class Arithmetic extends BinaryOperation {
  protected abstract op(a: Tensor, b: Tensor): Tensor;

  protected override compute(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor {
    const like = firstDType(operands);
    // bool operands count as 0/1 numbers of float32 (Keras promotes bool to the other operand's type).
    const numeric = (t: Tensor): Tensor => (t.dtype === 'bool' ? cast(t, 'float32') : t);
    return this.op(
      numeric(operandTensor(operands[0]!, like, context)),
      numeric(operandTensor(operands[1]!, like, context)),
    );
  }

  protected override resultDType(dtypes: readonly (DType | null)[]): DType {
    const known = dtypes.filter((d): d is DType => d !== null).map((d) => (d === 'bool' ? 'float32' : d));
    if (known.length === 1) return known[0]!;
    return binaryResultDType(known[0]!, known[1]!);
  }
}

/** Keras's `ops.add(x1, x2)` (module `keras.src.ops.numpy`; not the `Add` merging layer). */
export class AddOperation extends Arithmetic {
  readonly className: string = 'Add';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'Add');
  }
  protected op(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
}

/** Keras's `ops.subtract(x1, x2)`. */
export class SubtractOperation extends Arithmetic {
  readonly className: string = 'Subtract';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'Subtract');
  }
  protected op(a: Tensor, b: Tensor): Tensor {
    return sub(a, b);
  }
}

/** Keras's `ops.multiply(x1, x2)`. */
export class MultiplyOperation extends Arithmetic {
  readonly className: string = 'Multiply';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'Multiply');
  }
  protected op(a: Tensor, b: Tensor): Tensor {
    return mul(a, b);
  }
}

abstract class UnaryOperation extends Operation {
  readonly operandCount = 1;

  protected operand(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor {
    const x = operands[0];
    if (!(x instanceof Tensor))
      throw new InvalidArgumentError({ argument: 'x', expected: 'a tensor', received: x, context });
    return x;
  }
}

/** Keras's `ops.logical_not(x)`. */
export class LogicalNot extends UnaryOperation {
  readonly className: string = 'LogicalNot';
  constructor(args: { name?: string } = {}) {
    super(args.name, 'LogicalNot');
  }
  protected override compute(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor {
    const x = this.operand(operands, context);
    const out = new Uint8Array(x.size);
    for (let i = 0; i < x.size; i++) out[i] = x.values[i] === 0 ? 1 : 0;
    return new Tensor(out, x.shape, 'bool');
  }
  protected override outputShapeOf(shapes: readonly Shape[]): Shape {
    return [...shapes[0]!];
  }
  protected override resultDType(): DType {
    return 'bool';
  }
}

export interface ReductionArgs {
  name?: string;
  /** The axis or axes to reduce; null (default) reduces all. */
  axis?: number | readonly number[] | null;
  /** Keep reduced axes as size 1 (default false). */
  keepDims?: boolean;
}

/** The axes `axis` names in a tensor of `rank`, sorted, without repeats. */
function reductionAxes(axis: number | readonly number[] | null, rank: number, context: string): number[] {
  if (axis === null) return [...Array(rank).keys()];
  const list = typeof axis === 'number' ? [axis] : [...axis];
  return [...new Set(list.map((a) => normalizeAxis(a, rank, context)))].sort((a, b) => a - b);
}

/** `Any` and `All`: whether any / every element along `axis` is nonzero; bool. */
abstract class BoolReduction extends UnaryOperation {
  readonly axis: number | readonly number[] | null;
  readonly keepDims: boolean;

  constructor(args: ReductionArgs, className: string) {
    super(args?.name, className);
    const context = `${className} constructor`;
    this.axis = checkAxis(args?.axis ?? null, true, context);
    const keepDims = args?.keepDims ?? false;
    if (typeof keepDims !== 'boolean')
      throw new InvalidArgumentError({ argument: 'keepDims', expected: 'a boolean', received: keepDims, context });
    this.keepDims = keepDims;
  }

  /** Whether the count of nonzero elements `count` out of `n` makes the result true. */
  protected abstract holds(count: number, n: number): boolean;

  protected override compute(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor {
    const x = this.operand(operands, context);
    const axes = reductionAxes(this.axis, x.rank, context);
    const counts = sum(cast(cast(x, 'bool'), 'float32'), axes, this.keepDims);
    const n = axes.reduce((product, a) => product * x.shape[a]!, 1);
    const out = new Uint8Array(counts.size);
    for (let i = 0; i < counts.size; i++) out[i] = this.holds(counts.values[i]!, n) ? 1 : 0;
    return new Tensor(out, counts.shape, 'bool');
  }

  protected override outputShapeOf(shapes: readonly Shape[], context: string): Shape {
    const shape = shapes[0]!;
    const axes = reductionAxes(this.axis, shape.length, context);
    return shape.flatMap((d, i) => (axes.includes(i) ? (this.keepDims ? [1] : []) : [d]));
  }

  protected override resultDType(): DType {
    return 'bool';
  }
}

/** Keras's `ops.any(x, axis, keepdims)`: the mask of Masking is `any(x ≠ mask_value, axis=-1)`. */
export class Any extends BoolReduction {
  readonly className: string = 'Any';
  constructor(args: ReductionArgs = {}) {
    super(args, 'Any');
  }
  protected holds(count: number): boolean {
    return count > 0;
  }
}

/** Keras's `ops.all(x, axis, keepdims)`. */
export class All extends BoolReduction {
  readonly className: string = 'All';
  constructor(args: ReductionArgs = {}) {
    super(args, 'All');
  }
  protected holds(count: number, n: number): boolean {
    return count === n;
  }
}

/** Keras's `ops.cast(x, dtype)` (module `keras.src.ops.core`); dtypes float32, float64, int32, bool. */
export class Cast extends UnaryOperation {
  readonly className: string = 'Cast';
  /** The target dtype. */
  readonly targetDType: DType;

  constructor(args: { name?: string; dtype: DType | string }) {
    super(args?.name, 'Cast');
    this.targetDType = assertDType(args?.dtype, 'dtype', 'Cast constructor');
  }
  protected override compute(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor {
    return cast(this.operand(operands, context), this.targetDType);
  }
  protected override outputShapeOf(shapes: readonly Shape[]): Shape {
    return [...shapes[0]!];
  }
  protected override resultDType(): DType {
    return this.targetDType;
  }
}

/** Keras's `ops.expand_dims(x, axis)`: a size-1 axis inserted at `axis` (or at each of several). */
export class ExpandDims extends UnaryOperation {
  readonly className: string = 'ExpandDims';
  readonly axis: number | readonly number[];

  constructor(args: { name?: string; axis: number | readonly number[] }) {
    super(args?.name, 'ExpandDims');
    this.axis = checkAxis(args?.axis, false, 'ExpandDims constructor')!;
  }
  private expanded<T>(shape: readonly T[], one: T, context: string): T[] {
    const rank = shape.length + (typeof this.axis === 'number' ? 1 : this.axis.length);
    const axes = reductionAxes(this.axis, rank, context);
    const out: T[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? one : shape[k++]!);
    return out;
  }
  protected override compute(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor {
    const x = this.operand(operands, context);
    return reshape(x, this.expanded(x.shape, 1, context));
  }
  protected override outputShapeOf(shapes: readonly Shape[], context: string): Shape {
    return this.expanded<number | null>(shapes[0]!, 1, context);
  }
  protected override resultDType(dtypes: readonly (DType | null)[]): DType {
    return dtypes[0] ?? 'float32';
  }
}

/** Keras's `ops.squeeze(x, axis)`: size-1 axes removed (all of them when `axis` is null). */
export class Squeeze extends UnaryOperation {
  readonly className: string = 'Squeeze';
  readonly axis: number | readonly number[] | null;

  constructor(args: { name?: string; axis?: number | readonly number[] | null } = {}) {
    super(args?.name, 'Squeeze');
    this.axis = checkAxis(args?.axis ?? null, true, 'Squeeze constructor');
  }
  private squeezed(shape: Shape, context: string): Shape {
    if (this.axis === null) return shape.filter((d) => d !== 1);
    const axes = reductionAxes(this.axis, shape.length, context);
    for (const a of axes) {
      if (shape[a] !== 1 && shape[a] !== null) {
        throw new ShapeError({
          argument: 'axis',
          expected: `axes of size 1 (axis ${a} of ${formatShape(shape)})`,
          received: this.axis,
          context,
        });
      }
    }
    return shape.filter((_, i) => !axes.includes(i));
  }
  protected override compute(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor {
    const x = this.operand(operands, context);
    return reshape(x, this.squeezed([...x.shape], context) as number[]);
  }
  protected override outputShapeOf(shapes: readonly Shape[], context: string): Shape {
    return this.squeezed(shapes[0]!, context);
  }
  protected override resultDType(dtypes: readonly (DType | null)[]): DType {
    return dtypes[0] ?? 'float32';
  }
}

/** An operation class; each takes its own arguments object. */
export type OperationClass = new (args: never) => Operation;

/** The operation classes by Keras class name (src/keras reads model configs naming them). */
export const OPERATION_CLASSES: readonly (readonly [string, OperationClass])[] = [
  ['NotEqual', NotEqual],
  ['Equal', Equal],
  ['Greater', Greater],
  ['GreaterEqual', GreaterEqual],
  ['Less', Less],
  ['LessEqual', LessEqual],
  ['LogicalAnd', LogicalAnd],
  ['LogicalOr', LogicalOr],
  ['LogicalNot', LogicalNot],
  ['Any', Any],
  ['All', All],
  ['Cast', Cast],
  ['ExpandDims', ExpandDims],
  ['Squeeze', Squeeze],
  ['Add', AddOperation],
  ['Subtract', SubtractOperation],
  ['Multiply', MultiplyOperation],
];
