/**
 * `Tensor`: an immutable n-dimensional array (row-major, one typed array) and the constructors users call.
 * Tensors never share storage with what the user passed in: `tensor()` copies, `dataSync()` returns a copy.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { allocate, assertDType, dtypeOfArray, type DType, type TypedArray } from './dtype.js';
import { checkShape, formatShape, sizeOf, type Shape } from './shape.js';

/** How a tensor was computed, for reverse-mode autodiff (see src/autodiff). */
export interface GradNode {
  /** The innermost tape active when this node was recorded; the node belongs to it and to every enclosing tape. */
  readonly tapeId: number;
  readonly inputs: readonly Tensor[];
  /** Gradients w.r.t. each input given the gradient `dy` of the output (null where an input gets none). */
  readonly backward: (dy: Tensor) => readonly (Tensor | null)[];
}

/** A nested array of numbers or booleans, e.g. `[[1, 2], [3, 4]]`. */
export type NestedArray = number | boolean | readonly NestedArray[];
export type TensorLike = TypedArray | NestedArray;

let nextTensorId = 0;

export class Tensor {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /**
   * @internal The storage. Library code reads it without copying; it is never written after construction
   * (except by `Variable.assign`). Users call `dataSync()`.
   */
  values: TypedArray;
  /** @internal Set by an op recorded on an autodiff tape. */
  node: GradNode | null = null;

  /** @internal Use `tensor()`; this takes ownership of `values`. */
  constructor(values: TypedArray, shape: Shape, dtype: DType = dtypeOfArray(values)) {
    if (values.length !== sizeOf(shape)) {
      throw new ShapeError({
        argument: 'values',
        expected: `${sizeOf(shape)} values for shape ${formatShape(shape)}`,
        received: `${values.length} values`,
      });
    }
    this.id = nextTensorId++;
    this.values = values;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = values.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values as a typed array (Float32Array for float32, Int32Array, Uint8Array for bool). */
  dataSync(): TypedArray {
    return this.values.slice();
  }

  /** The values as nested JavaScript arrays (booleans for `bool`). */
  arraySync(): NestedArray {
    const values = this.values;
    const asValue = (i: number): number | boolean => (this.dtype === 'bool' ? values[i] !== 0 : values[i]!);
    if (this.shape.length === 0) return asValue(0);
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim]!;
      const inner = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === this.shape.length - 1 ? asValue(offset + i) : build(dim + 1, offset + i * inner));
      }
      return out;
    };
    return build(0, 0);
  }

  toString(): string {
    return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

function isTypedArray(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** Infers the shape of a nested array, checking that it is rectangular. */
function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedArray;
    if (level === undefined) break;
  }
  return shape;
}

function flatten(values: NestedArray, shape: readonly number[], out: number[], dim = 0): void {
  if (dim === shape.length) {
    if (Array.isArray(values)) {
      throw new ShapeError({
        argument: 'values',
        expected: 'a rectangular nested array',
        received: values,
        context: 'tensor',
      });
    }
    if (typeof values !== 'number' && typeof values !== 'boolean') {
      throw new InvalidArgumentError({
        argument: 'values',
        expected: 'numbers or booleans',
        received: values,
        context: 'tensor',
      });
    }
    out.push(typeof values === 'boolean' ? (values ? 1 : 0) : (values as number));
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ShapeError({
      argument: 'values',
      expected: `a rectangular nested array of shape ${formatShape(shape)}`,
      received: values,
      context: 'tensor',
    });
  }
  for (const v of values as readonly NestedArray[]) flatten(v, shape, out, dim + 1);
}

function defaultDType(values: TensorLike): DType {
  if (isTypedArray(values)) {
    if (values instanceof Int32Array) return 'int32';
    if (values instanceof Uint8Array) return 'bool';
    if (values instanceof Float64Array) return 'float64';
    return 'float32';
  }
  let first: NestedArray = values;
  while (Array.isArray(first)) first = first[0] as NestedArray;
  return typeof first === 'boolean' ? 'bool' : 'float32';
}

/**
 * Creates a tensor. `values` is a flat array or typed array (then `shape` is required unless 1-D), or a
 * nested array (its shape is inferred, and checked against `shape` if given). The values are copied.
 *
 *     tensor([1, 2, 3, 4], [2, 2])            // float32
 *     tensor([[1, 0], [1, 1]], undefined, 'bool')
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  const dt = dtype === undefined ? defaultDType(values) : assertDType(dtype, 'dtype', 'tensor');
  let flat: ArrayLike<number>;
  let finalShape: number[];
  if (isTypedArray(values)) {
    flat = values;
    finalShape = shape === undefined ? [values.length] : checkShape(shape, 'shape', 'tensor');
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [typeof values === 'boolean' ? Number(values) : values];
    finalShape = shape === undefined ? [] : checkShape(shape, 'shape', 'tensor');
  } else if (Array.isArray(values)) {
    const inferred = inferShape(values);
    const nested = inferred.length > 1 || (inferred.length === 1 && Array.isArray(values[0]));
    const out: number[] = [];
    flatten(values, inferred, out);
    flat = out;
    if (shape === undefined) {
      finalShape = inferred;
    } else {
      finalShape = checkShape(shape, 'shape', 'tensor');
      if (nested && sizeOf(finalShape) !== out.length) {
        throw new ShapeError({
          argument: 'shape',
          expected: `a shape with ${out.length} elements (values have shape ${formatShape(inferred)})`,
          received: formatShape(finalShape),
          context: 'tensor',
        });
      }
    }
  } else {
    throw new InvalidArgumentError({
      argument: 'values',
      expected: 'a number, a (nested) array of numbers or booleans, or a typed array',
      received: values,
      context: 'tensor',
    });
  }
  if (flat.length !== sizeOf(finalShape)) {
    throw new ShapeError({
      argument: 'values',
      expected: `${sizeOf(finalShape)} values for shape ${formatShape(finalShape)}`,
      received: `${flat.length} values`,
      context: 'tensor',
    });
  }
  const storage = allocate(dt, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    if (dt === 'bool') storage[i] = v !== 0 ? 1 : 0;
    else storage[i] = v;
  }
  return new Tensor(storage, finalShape, dt);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  assertDType(dtype, 'dtype', 'zeros');
  const s = checkShape(shape, 'shape', 'zeros');
  return new Tensor(allocate(dtype, sizeOf(s)), s, dtype);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** A tensor with every element equal to `value`. */
export function fill(shape: readonly number[], value: number | boolean, dtype: DType = 'float32'): Tensor {
  assertDType(dtype, 'dtype', 'fill');
  const s = checkShape(shape, 'shape', 'fill');
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'value',
      expected: 'a number or a boolean',
      received: value,
      context: 'fill',
    });
  }
  const values = allocate(dtype, sizeOf(s));
  // bool storage holds 0 or 1 only (a Uint8Array would keep 2, or wrap -7 to 249).
  values.fill(dtype === 'bool' ? Number(Number(value) !== 0) : Number(value));
  return new Tensor(values, s, dtype);
}

/** A rank-0 tensor. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return tensor(value, [], dtype);
}

/** @internal Wraps a buffer the caller gives up, without copying. */
export function fromBuffer(values: TypedArray, shape: Shape, dtype?: DType): Tensor {
  return new Tensor(values, shape, dtype ?? dtypeOfArray(values));
}

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}

/**
 * @internal `value` as a tensor (a Tensor as is, anything else converted like `tensor()`); a value that is no
 * tensor gives the error `tensor()` gives, naming `argument` (e.g. `weights[1]`) instead of `values`.
 */
export function toTensorArgument(value: unknown, argument: string, context: string, dtype?: DType): Tensor {
  if (value instanceof Tensor) return value;
  try {
    return tensor(value as TensorLike, undefined, dtype);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    const Kind = error.constructor as typeof InvalidArgumentError;
    const which = error.argument === 'values' ? argument : `${argument} (${error.argument})`;
    throw new Kind({ argument: which, expected: error.expected, received: value, context });
  }
}
