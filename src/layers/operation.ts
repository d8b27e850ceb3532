/**
 * `Operation`: the base of the operation layers (operations.ts), Keras 3's `Operation` as a layer. Its operands
 * are tensors and constants (`NotEqual(x, 0.0)` has one of each); the constants are fixed by the first call
 * (Keras makes one operation object per call) and written back into the model config's node arguments.
 * Subclasses state the result's value, shape and dtype.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { translatorOf } from './translators.js';
import { toTensor } from '../ops/convert.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Layer, type CallOptions, type Shape } from './layer.js';
import { SymbolicTensor } from './symbolic-tensor.js';

/** A constant operand: a number, a boolean, or null. */
export type OperandConstant = number | boolean | null;

/** One positional operand of a call: the `index`-th tensor input, or a constant. */
export type OperandSlot = { readonly tensor: number } | { readonly constant: OperandConstant };

/** What `applyOp` accepts as an operand. */
export type Operand = Tensor | SymbolicTensor | OperandConstant;

function isTensorLike(value: unknown): value is Tensor | SymbolicTensor {
  return value instanceof Tensor || value instanceof SymbolicTensor;
}

/** An `axis` argument: an integer or a list of them (or null where allowed). */
export function checkAxis(value: unknown, allowNull: boolean, context: string): number | number[] | null {
  if (value === null && allowNull) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (Array.isArray(value) && value.every((a) => Number.isInteger(a))) return [...(value as number[])];
  throw new InvalidArgumentError({
    argument: 'axis',
    expected: `an integer or a list of integers${allowNull ? ' or null' : ''}`,
    received: value,
    context,
  });
}

function sameSlots(a: readonly OperandSlot[], b: readonly OperandSlot[]): boolean {
  return a.length === b.length && a.every((slot, i) => JSON.stringify(slot) === JSON.stringify(b[i]));
}

/** NumPy broadcasting of two symbolic shapes (null = unknown size). */
export function broadcastSymbolicShapes(a: Shape, b: Shape, context: string): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    // Missing leading axes count as 1; null (unknown) stays null.
    const ia = a.length - rank + i;
    const ib = b.length - rank + i;
    const x = ia < 0 ? 1 : a[ia]!;
    const y = ib < 0 ? 1 : b[ib]!;
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === null) out.push(y);
    else if (y === null || x === y) out.push(x);
    else {
      throw new ShapeError({
        argument: 'operands',
        expected: 'shapes that broadcast together',
        received: `${formatShape(a)} and ${formatShape(b)}`,
        context,
      });
    }
  }
  return out;
}

/** The base of the operation layers: operands (tensors and constants), symbolic shapes, eager computation. */
export abstract class Operation extends Layer {
  /** How many positional operands the operation takes. */
  abstract readonly operandCount: number;
  private slots: OperandSlot[] | null = null;

  constructor(name: string | undefined, className: string) {
    super(name === undefined ? {} : { name }, className);
    this.built = true;
  }

  /** The operands of the call(s): which are tensor inputs and which constants; null before the first call. */
  get operands(): readonly OperandSlot[] | null {
    return this.slots;
  }

  /**
   * Calls the operation on its positional operands, tensors (real or symbolic) and constants:
   * `new NotEqual().applyOp(x, 0)`. Returns a tensor, or a symbolic tensor for symbolic operands.
   */
  applyOp(...operands: Operand[]): Tensor | SymbolicTensor {
    const context = `${this.className} '${this.name}'.applyOp`;
    if (operands.length !== this.operandCount) {
      throw new InvalidArgumentError({
        argument: 'operands',
        expected: `${this.operandCount} operand(s)`,
        received: `${operands.length}`,
        context,
      });
    }
    const slots: OperandSlot[] = [];
    const tensors: (Tensor | SymbolicTensor)[] = [];
    operands.forEach((operand, i) => {
      if (isTensorLike(operand)) {
        slots.push({ tensor: tensors.length });
        tensors.push(operand);
      } else if (
        operand === null ||
        typeof operand === 'boolean' ||
        (typeof operand === 'number' && Number.isFinite(operand))
      ) {
        slots.push({ constant: operand });
      } else {
        throw new InvalidArgumentError({
          argument: `operands[${i}]`,
          expected: 'a tensor, a finite number, a boolean or null',
          received: operand,
          context,
        });
      }
    });
    if (tensors.length === 0) {
      throw new InvalidArgumentError({
        argument: 'operands',
        expected: 'at least one tensor',
        received: operands,
        context,
      });
    }
    if (this.slots !== null && !sameSlots(this.slots, slots)) {
      throw new InvalidArgumentError({
        argument: 'operands',
        expected: `operands like those of its first call (${JSON.stringify(this.slots)}); make a new ${this.className} for other constants`,
        received: JSON.stringify(slots),
        context,
      });
    }
    this.slots = slots;
    const inputs = tensors.length === 1 ? tensors[0]! : tensors;
    return this.apply(inputs as Tensor) as Tensor | SymbolicTensor;
  }

  /** The slots in use: those of `applyOp`, or (for a plain `apply`) every operand a tensor, in order. */
  private slotsFor(tensorCount: number, context: string): readonly OperandSlot[] {
    if (this.slots !== null) return this.slots;
    if (tensorCount !== this.operandCount) {
      throw new InvalidArgumentError({
        argument: 'inputs',
        expected: `${this.operandCount} tensor(s) (use applyOp to pass constants)`,
        received: `${tensorCount} tensor(s)`,
        context,
      });
    }
    return Array.from({ length: tensorCount }, (_, i) => ({ tensor: i }));
  }

  private fill<T>(inputs: readonly T[], context: string): (T | OperandConstant)[] {
    return this.slotsFor(inputs.length, context).map((slot) =>
      'tensor' in slot ? inputs[slot.tensor]! : slot.constant,
    );
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const context = `${this.className} '${this.name}'.call`;
    const list = Array.isArray(inputs) ? inputs : [inputs];
    return this.compute(this.fill(list, context), context);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const context = `${this.className} '${this.name}'.computeOutputShape`;
    const several = inputShape.length > 0 && Array.isArray(inputShape[0]);
    const shapes = several ? (inputShape as Shape[]) : [inputShape as Shape];
    // A constant operand is a scalar.
    return this.outputShapeOf(
      this.fill(shapes, context).map((s) => (Array.isArray(s) ? s : [])),
      context,
    );
  }

  protected override outputDType(inputs: readonly SymbolicTensor[]): DType {
    const context = `${this.className} '${this.name}'`;
    return this.resultDType(this.fill(inputs, context).map((t) => (t instanceof SymbolicTensor ? t.dtype : null)));
  }

  /** The result for operand values (tensors and constants). */
  protected abstract compute(operands: readonly (Tensor | OperandConstant)[], context: string): Tensor;
  /** The result's shape for the operands' shapes (`[]` for constants). */
  protected abstract outputShapeOf(shapes: readonly Shape[], context: string): Shape;
  /** The result's dtype for the operands' dtypes (null for constants). */
  protected abstract resultDType(dtypes: readonly (DType | null)[]): DType;

  /** Keras's `Operation.get_config()`: the name and the operation's own arguments. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Operation, `${this.className}.getConfig`).toConfig(this, {});
  }
}

/** A constant as a scalar tensor next to tensor operands of `like`. */
export function operandTensor(value: Tensor | OperandConstant, like: DType, context: string): Tensor {
  if (value instanceof Tensor) return value;
  return toTensor(value === null ? NaN : Number(value), context, like);
}

export function firstDType(operands: readonly (Tensor | OperandConstant)[]): DType {
  return operands.find((o): o is Tensor => o instanceof Tensor)?.dtype ?? 'float32';
}
