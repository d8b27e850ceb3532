/**
 * `Variable`: a tensor whose values can be replaced (`assign`), as weights and optimizer slots are.
 * Autodiff differentiates with respect to variables (see `valueAndGrads`).
 */
import { ShapeError } from '../errors.js';
import { allocate, assertDType, type DType } from './dtype.js';
import { formatShape, shapesEqual } from './shape.js';
import { Tensor, tensor as makeTensor, type TensorLike } from './tensor.js';

export interface VariableOptions {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
}

let nextVariableNumber = 0;

export class Variable extends Tensor {
  /** The variable's name, e.g. `kernel`; layers give their weights Keras's names. */
  name: string;
  /** Whether optimizers update it (Keras's `trainable`). */
  trainable: boolean;
  /** Incremented on every `assign`, so caches of derived values can tell they are stale. */
  version = 0;

  /** @internal Use `variable()`; this takes ownership of `initial.values`'s copy. */
  constructor(initial: Tensor, options: VariableOptions = {}) {
    const dtype = options.dtype === undefined ? initial.dtype : assertDType(options.dtype, 'dtype', 'variable');
    const values = allocate(dtype, initial.size);
    values.set(initial.values);
    super(values, initial.shape, dtype);
    this.name = options.name ?? `Variable_${nextVariableNumber++}`;
    this.trainable = options.trainable ?? true;
  }

  /** Replaces the values (copied) with those of `value`, which must have the same shape. */
  assign(value: Tensor): this {
    if (!shapesEqual(value.shape, this.shape)) {
      throw new ShapeError({
        argument: 'value',
        expected: `shape ${formatShape(this.shape)}`,
        received: formatShape(value.shape),
        context: `Variable '${this.name}'.assign`,
      });
    }
    const values = allocate(this.dtype, this.size);
    values.set(value.values);
    this.values = values;
    this.version++;
    return this;
  }

  /** The current value as a plain (immutable) tensor. */
  read(): Tensor {
    return new Tensor(this.values.slice(), this.shape, this.dtype);
  }
}

/** Wraps a tensor (or values) in a trainable variable; the values are copied. */
export function variable(initial: Tensor | TensorLike, options: VariableOptions = {}): Variable {
  const t = initial instanceof Tensor ? initial : makeTensor(initial);
  return new Variable(t, options);
}

export function isVariable(value: unknown): value is Variable {
  return value instanceof Variable;
}
