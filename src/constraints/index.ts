/**
 * Keras 3's weight constraints (`keras.constraints`): MaxNorm, MinMaxNorm, NonNeg, UnitNorm, `getConstraint`
 * and `serializeConstraint`. A constraint maps a weight to its projection (a new tensor; the input is not
 * touched). The formulas are Keras's, in the weight's dtype, with its backend epsilon 1e-7 in the
 * denominators: e.g. MaxNorm gives w · clip(‖w‖, 0, max) / (ε + ‖w‖), norms taken along `axis`.
 */
import { InvalidArgumentError } from '../errors.js';
import { Registry, snakeCaseNames, type RegisteredClass } from '../serialization/registry.js';
import { ConfigReader, describeChoices, type KerasObjectJSON } from '../serialization/serialize-object.js';
import { add, div, maximum, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { clipByValue, sqrt, square } from '../ops/unary.js';
import { formatShape, normalizeAxis, shapesEqual } from '../tensor/shape.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';

/** Keras's backend epsilon. */
const EPSILON = 1e-7;

export abstract class Constraint {
  /** Keras 3 class name, e.g. `MaxNorm`. */
  abstract readonly className: string;
  /** The constrained weight (a new tensor of the same shape). */
  abstract call(w: Tensor): Tensor;
  /** Exactly Keras 3's `get_config()`. */
  abstract getConfig(): Record<string, unknown>;
}

export type ConstraintFunction = (w: Tensor) => Tensor;

/** The names `getConstraint` accepts as strings (class names, their snake_case forms and Keras's aliases); `listConstraints()` gives the same at run time. */
export const CONSTRAINT_NAMES = [
  'MaxNorm',
  'max_norm',
  'MinMaxNorm',
  'min_max_norm',
  'NonNeg',
  'non_neg',
  'UnitNorm',
  'unit_norm',
  'maxnorm',
  'nonneg',
  'unitnorm',
] as const;

/** A built-in constraint's name: a literal union, so a misspelt name is a type error. */
export type ConstraintName = (typeof CONSTRAINT_NAMES)[number];

export type ConstraintIdentifier =
  | ConstraintName
  | Constraint
  | ConstraintFunction
  | { class_name: string; config?: Record<string, unknown> }
  | null
  | undefined;

/** An axis or list of axes (Keras allows both). */
export type ConstraintAxis = number | readonly number[];

function checkAxisOption(axis: unknown, context: string): number | number[] {
  if (typeof axis === 'number' && Number.isInteger(axis)) return axis;
  if (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a))) return [...(axis as number[])];
  throw new InvalidArgumentError({
    argument: 'axis',
    expected: 'an integer or a non-empty list of integers',
    received: axis,
    context,
  });
}

function checkNumber(value: unknown, argument: string, context: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError({ argument, expected: 'a finite number', received: value, context });
  }
  return value;
}

function checkWeight(w: unknown, axis: number | readonly number[] | null, context: string): Tensor {
  if (!isTensor(w)) throw new InvalidArgumentError({ argument: 'w', expected: 'a Tensor', received: w, context });
  if (w.dtype !== 'float32' && w.dtype !== 'float64') {
    throw new InvalidArgumentError({ argument: 'w', expected: 'a float32 or float64 tensor', received: w, context });
  }
  if (axis !== null) for (const a of typeof axis === 'number' ? [axis] : axis) normalizeAxis(a, w.rank, context);
  return w;
}

/** A Python float constant as the weight's dtype sees it. */
function asDType(value: number, w: Tensor): number {
  return w.dtype === 'float64' ? value : Math.fround(value);
}

/** ‖w‖₂ along `axis`, kept as size-1 dimensions. */
function norms(w: Tensor, axis: number | readonly number[]): Tensor {
  return sqrt(sum(square(w), axis, true));
}

/** w · desired / (ε + norms), the rescaling shared by MaxNorm and MinMaxNorm. */
function rescale(w: Tensor, desired: Tensor, n: Tensor): Tensor {
  return mul(w, div(desired, add(n, EPSILON)));
}

/** Caps the norm of each slice along `axis` at `maxValue` (defaults 2 and axis 0). Config `{ max_value, axis }`. */
export class MaxNorm extends Constraint {
  readonly className: string = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];

  constructor(options: { maxValue?: number; axis?: ConstraintAxis } = {}) {
    super();
    this.maxValue = checkNumber(options.maxValue ?? 2, 'maxValue', 'MaxNorm');
    this.axis = checkAxisOption(options.axis ?? 0, 'MaxNorm');
  }

  call(w: Tensor): Tensor {
    const t = checkWeight(w, this.axis, 'MaxNorm.call');
    const n = norms(t, this.axis);
    return rescale(t, clipByValue(n, 0, asDType(this.maxValue, t)), n);
  }

  getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: copyAxis(this.axis) };
  }

  static fromConfig(r: ConfigReader): MaxNorm {
    const options = { maxValue: r.number('max_value', 2), axis: r.axis('axis', 0) };
    r.finish();
    return new MaxNorm(options);
  }
}

/**
 * Moves each slice's norm into [minValue, maxValue] at `rate`: desired = rate · clip(‖w‖, min, max) +
 * (1 − rate) · ‖w‖ (defaults 0, 1, 1, axis 0). Config `{ min_value, max_value, rate, axis }`.
 */
export class MinMaxNorm extends Constraint {
  readonly className: string = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];

  constructor(options: { minValue?: number; maxValue?: number; rate?: number; axis?: ConstraintAxis } = {}) {
    super();
    const ctx = 'MinMaxNorm';
    this.minValue = checkNumber(options.minValue ?? 0, 'minValue', ctx);
    this.maxValue = checkNumber(options.maxValue ?? 1, 'maxValue', ctx);
    if (this.maxValue < this.minValue) {
      throw new InvalidArgumentError({
        argument: 'maxValue',
        expected: `a number ≥ minValue (${this.minValue})`,
        received: this.maxValue,
        context: ctx,
      });
    }
    this.rate = checkNumber(options.rate ?? 1, 'rate', ctx);
    this.axis = checkAxisOption(options.axis ?? 0, ctx);
  }

  call(w: Tensor): Tensor {
    const t = checkWeight(w, this.axis, 'MinMaxNorm.call');
    const n = norms(t, this.axis);
    const clipped = clipByValue(n, asDType(this.minValue, t), asDType(this.maxValue, t));
    const desired = add(mul(clipped, this.rate), mul(n, 1 - this.rate));
    return rescale(t, desired, n);
  }

  getConfig(): Record<string, unknown> {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: copyAxis(this.axis) };
  }

  static fromConfig(r: ConfigReader): MinMaxNorm {
    const options = {
      minValue: r.number('min_value', 0),
      maxValue: r.number('max_value', 1),
      rate: r.number('rate', 1),
      axis: r.axis('axis', 0),
    };
    r.finish();
    return new MinMaxNorm(options);
  }
}

/** max(w, 0). Config `{}`. */
export class NonNeg extends Constraint {
  readonly className: string = 'NonNeg';

  call(w: Tensor): Tensor {
    return maximum(checkWeight(w, null, 'NonNeg.call'), 0);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig(r: ConfigReader): NonNeg {
    r.finish();
    return new NonNeg();
  }
}

/** w / (ε + ‖w‖) along `axis` (default 0). Config `{ axis }`. */
export class UnitNorm extends Constraint {
  readonly className: string = 'UnitNorm';
  readonly axis: number | number[];

  constructor(options: { axis?: ConstraintAxis } = {}) {
    super();
    this.axis = checkAxisOption(options.axis ?? 0, 'UnitNorm');
  }

  call(w: Tensor): Tensor {
    const t = checkWeight(w, this.axis, 'UnitNorm.call');
    return div(t, add(norms(t, this.axis), EPSILON));
  }

  getConfig(): Record<string, unknown> {
    return { axis: copyAxis(this.axis) };
  }

  static fromConfig(r: ConfigReader): UnitNorm {
    const options = { axis: r.axis('axis', 0) };
    r.finish();
    return new UnitNorm(options);
  }
}

function copyAxis(axis: number | number[]): number | number[] {
  return typeof axis === 'number' ? axis : [...axis];
}

const BY_CLASS_NAME: ReadonlyMap<string, RegisteredClass<Constraint>> = new Map<string, RegisteredClass<Constraint>>([
  ['MaxNorm', MaxNorm],
  ['MinMaxNorm', MinMaxNorm],
  ['NonNeg', NonNeg],
  ['UnitNorm', UnitNorm],
]);

/** Class names, their snake_case (Keras 3), and Keras 2's lowercase aliases. */
const NAMES = snakeCaseNames(BY_CLASS_NAME.keys(), [
  ['maxnorm', 'MaxNorm'],
  ['nonneg', 'NonNeg'],
  ['unitnorm', 'UnitNorm'],
]);

/** A user function `w => w'` as a Constraint; the result must keep w's shape. */
class FunctionConstraint extends Constraint {
  readonly className: string;

  constructor(
    private readonly fn: ConstraintFunction,
    private readonly argument: string,
  ) {
    super();
    this.className = fn.name || 'custom_constraint';
  }

  call(w: Tensor): Tensor {
    const out: unknown = this.fn(w);
    if (!isTensor(out) || !shapesEqual(out.shape, w.shape)) {
      throw new InvalidArgumentError({
        argument: `${this.argument} (function ${this.className})`,
        expected: `a function returning a tensor of shape ${formatShape(w.shape)}`,
        received: out,
      });
    }
    return out;
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

const CONSTRAINTS = new Registry<Constraint, ConstraintFunction>({
  module: 'keras.constraints',
  base: Constraint,
  classes: BY_CLASS_NAME,
  names: NAMES,
  fromFunction: (fn, argument) => new FunctionConstraint(fn, argument),
  argument: 'constraint',
  expected: {
    name: `a constraint name, ${describeChoices([...NAMES.keys()])}`,
    identifier: 'a constraint name, a Constraint, a function of a tensor, a serialized constraint or null',
    instance: 'a Constraint or null',
  },
});

/** The names `getConstraint` accepts as strings. */
export function listConstraints(): ConstraintName[] {
  return CONSTRAINTS.names() as ConstraintName[];
}

/**
 * Resolves a constraint as `keras.constraints.get` does: null/undefined → null, a name (`'max_norm'`,
 * `'MaxNorm'`, Keras 2's `'maxnorm'`), a Constraint (returned as is), a function, or a serialized object.
 */
export function getConstraint(
  identifier: ConstraintIdentifier,
  argument = 'constraint',
  context?: string,
): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  return CONSTRAINTS.get(identifier, argument, context);
}

/** Keras 3's serialized form (`module: 'keras.constraints'`), or null for null. */
export function serializeConstraint(c: Constraint | null): KerasObjectJSON | null {
  if (c === null || c === undefined) return null;
  return CONSTRAINTS.serialize(c, 'serializeConstraint');
}
