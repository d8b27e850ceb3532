/**
 * Keras 3's regularizers (`keras.regularizers`): L1, L2, L1L2 and OrthogonalRegularizer, `getRegularizer`
 * and `serializeRegularizer`. A regularizer maps a weight (or an activation) to a differentiable scalar penalty,
 * computed in the input's float dtype, with the factor cast to that dtype first, as Keras does.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { Registry, type RegisteredClass } from '../serialization/registry.js';
import { ConfigReader, describeChoices, type KerasObjectJSON } from '../serialization/serialize-object.js';
import { add, div, maximum, mul } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { abs, reciprocal, sqrt, square } from '../ops/unary.js';
import { formatShape } from '../tensor/shape.js';
import { isTensor, scalar, tensor, type Tensor } from '../tensor/tensor.js';

export abstract class Regularizer {
  /** Keras 3 class name, e.g. `L2`. */
  abstract readonly className: string;
  /** The penalty for `x`: a differentiable scalar tensor. */
  abstract call(x: Tensor): Tensor;
  /** Exactly Keras 3's `get_config()`. */
  abstract getConfig(): Record<string, unknown>;
}

export type RegularizerFunction = (x: Tensor) => Tensor;

/** The names `getRegularizer` accepts as strings (class names, their snake_case forms and Keras's aliases); `listRegularizers()` gives the same at run time. */
export const REGULARIZER_NAMES = [
  'L1',
  'l1',
  'L2',
  'l2',
  'L1L2',
  'l1l2',
  'l1_l2',
  'OrthogonalRegularizer',
  'orthogonal_regularizer',
] as const;

/** A built-in regularizer's name: a literal union, so a misspelt name is a type error. */
export type RegularizerName = (typeof REGULARIZER_NAMES)[number];

export type RegularizerIdentifier =
  | RegularizerName
  | Regularizer
  | RegularizerFunction
  | { class_name: string; config?: Record<string, unknown> }
  | null
  | undefined;

/** Keras's `validate_float_arg`: a finite, non-negative number; null/undefined give `fallback`. */
function penalty(value: unknown, fallback: number, argument: string, context: string): number {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError({ argument, expected: 'a non-negative finite number', received: value, context });
  }
  return value;
}

function checkInput(x: unknown, context: string): Tensor {
  if (!isTensor(x)) throw new InvalidArgumentError({ argument: 'x', expected: 'a Tensor', received: x, context });
  return x;
}

/** A zero penalty in x's float dtype. */
function zeroLike(x: Tensor): Tensor {
  return scalar(0, x.dtype === 'float64' ? 'float64' : 'float32');
}

/**
 * l1 · Σ|x| (default l1 = 0.01). Keras keeps this factor as a float32 tensor, so it is rounded to float32
 * and the config shows that rounding: L1(0.002) → `{ l1: 0.0020000000949949026 }`.
 */
export class L1 extends Regularizer {
  readonly className: string = 'L1';
  readonly l1: number;

  constructor(l1?: number | null | { l1?: number | null }) {
    super();
    const value = typeof l1 === 'object' && l1 !== null ? l1.l1 : l1;
    this.l1 = Math.fround(penalty(value, 0.01, 'l1', 'L1'));
  }

  call(x: Tensor): Tensor {
    const t = checkInput(x, 'L1.call');
    return mul(sum(abs(t)), this.l1);
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }

  static fromConfig(r: ConfigReader): L1 {
    const l1 = r.numberOrNull('l1', 0.01);
    r.finish();
    return new L1(l1);
  }
}

/** l2 · Σx² (default l2 = 0.01). */
export class L2 extends Regularizer {
  readonly className: string = 'L2';
  readonly l2: number;

  constructor(l2?: number | null | { l2?: number | null }) {
    super();
    const value = typeof l2 === 'object' && l2 !== null ? l2.l2 : l2;
    this.l2 = penalty(value, 0.01, 'l2', 'L2');
  }

  call(x: Tensor): Tensor {
    const t = checkInput(x, 'L2.call');
    return mul(sum(square(t)), this.l2);
  }

  getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }

  static fromConfig(r: ConfigReader): L2 {
    const l2 = r.numberOrNull('l2', 0.01);
    r.finish();
    return new L2(l2);
  }
}

/** l1 · Σ|x| + l2 · Σx² (defaults 0 and 0; a zero factor's term is left out). */
export class L1L2 extends Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(options: { l1?: number | null; l2?: number | null } = {}) {
    super();
    this.l1 = penalty(options.l1, 0, 'l1', 'L1L2');
    this.l2 = penalty(options.l2, 0, 'l2', 'L1L2');
  }

  call(x: Tensor): Tensor {
    const t = checkInput(x, 'L1L2.call');
    let total = zeroLike(t);
    if (this.l1 !== 0) total = add(total, mul(sum(abs(t)), this.l1));
    if (this.l2 !== 0) total = add(total, mul(sum(square(t)), this.l2));
    return total;
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }

  static fromConfig(r: ConfigReader): L1L2 {
    const options = { l1: r.numberOrNull('l1', 0), l2: r.numberOrNull('l2', 0) };
    r.finish();
    return new L1L2(options);
  }
}

export type OrthogonalMode = 'rows' | 'columns';

/**
 * Encourages the rows (or columns) of a 2-D weight to be orthogonal: factor · ½ · Σ_{i≠j} |⟨x̂ᵢ, x̂ⱼ⟩| / P,
 * x̂ the L2-normalized rows (columns), P = n(n−1)/2 the number of pairs. The factor is float32, as in Keras.
 */
export class OrthogonalRegularizer extends Regularizer {
  readonly className: string = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: OrthogonalMode;

  constructor(options: { factor?: number | null; mode?: OrthogonalMode } = {}) {
    super();
    this.factor = Math.fround(penalty(options.factor, 0.01, 'factor', 'OrthogonalRegularizer'));
    const mode = options.mode ?? 'rows';
    if (mode !== 'rows' && mode !== 'columns') {
      throw new InvalidArgumentError({
        argument: 'mode',
        expected: '"rows" or "columns"',
        received: mode,
        context: 'OrthogonalRegularizer',
      });
    }
    this.mode = mode;
  }

  call(x: Tensor): Tensor {
    const t = checkInput(x, 'OrthogonalRegularizer.call');
    if (t.rank !== 2) {
      throw new ShapeError({
        argument: 'x',
        expected: 'a tensor of rank 2',
        received: formatShape(t.shape),
        context: 'OrthogonalRegularizer.call',
      });
    }
    const rows = this.mode === 'rows';
    // x̂ = x · rsqrt(max(Σx², ε²)) along the normalized axis (ε = 1e-7, Keras's backend epsilon).
    const squares = sum(square(t), rows ? 1 : 0, true);
    const normalized = mul(t, reciprocal(sqrt(maximum(squares, 1e-7 * 1e-7))));
    const product = rows ? matMul(normalized, normalized, false, true) : matMul(normalized, normalized, true, false);
    const size = t.shape[rows ? 0 : 1]!;
    const offDiagonal = new Float64Array(size * size).fill(1);
    for (let i = 0; i < size; i++) offDiagonal[i * size + i] = 0;
    const masked = mul(product, tensor(offDiagonal, [size, size], product.dtype));
    const pairs = (size * (size - 1)) / 2;
    return div(mul(sum(abs(masked)), this.factor * 0.5), pairs);
  }

  getConfig(): Record<string, unknown> {
    return { factor: this.factor, mode: this.mode };
  }

  static fromConfig(r: ConfigReader): OrthogonalRegularizer {
    const options = { factor: r.numberOrNull('factor', 0.01), mode: r.string('mode', 'rows') as OrthogonalMode };
    r.finish();
    return new OrthogonalRegularizer(options);
  }
}

const BY_CLASS_NAME: ReadonlyMap<string, RegisteredClass<Regularizer>> = new Map<string, RegisteredClass<Regularizer>>([
  ['L1', L1],
  ['L2', L2],
  ['L1L2', L1L2],
  ['OrthogonalRegularizer', OrthogonalRegularizer],
]);

/** Accepted names → class name. `l1l2` is Keras's snake_case of L1L2; `l1_l2` its documented spelling. */
const NAMES: ReadonlyMap<string, string> = new Map([
  ['L1', 'L1'],
  ['l1', 'L1'],
  ['L2', 'L2'],
  ['l2', 'L2'],
  ['L1L2', 'L1L2'],
  ['l1l2', 'L1L2'],
  ['l1_l2', 'L1L2'],
  ['OrthogonalRegularizer', 'OrthogonalRegularizer'],
  ['orthogonal_regularizer', 'OrthogonalRegularizer'],
]);

/** A user function `x => scalar penalty` as a Regularizer. */
class FunctionRegularizer extends Regularizer {
  readonly className: string;

  constructor(
    private readonly fn: RegularizerFunction,
    private readonly argument: string,
  ) {
    super();
    this.className = fn.name || 'custom_regularizer';
  }

  call(x: Tensor): Tensor {
    const out: unknown = this.fn(x);
    if (!isTensor(out) || out.size !== 1) {
      throw new InvalidArgumentError({
        argument: `${this.argument} (function ${this.className})`,
        expected: 'a function returning a scalar Tensor',
        received: out,
      });
    }
    return out;
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

const REGULARIZERS = new Registry<Regularizer, RegularizerFunction>({
  module: 'keras.regularizers',
  base: Regularizer,
  classes: BY_CLASS_NAME,
  names: NAMES,
  fromFunction: (fn, argument) => new FunctionRegularizer(fn, argument),
  argument: 'regularizer',
  expected: {
    name: `a regularizer name, ${describeChoices([...NAMES.keys()])}`,
    identifier: 'a regularizer name, a Regularizer, a function of a tensor, a serialized regularizer or null',
    instance: 'a Regularizer or null',
  },
});

/** The names `getRegularizer` accepts as strings. */
export function listRegularizers(): RegularizerName[] {
  return REGULARIZERS.names() as RegularizerName[];
}

/**
 * Resolves a regularizer as `keras.regularizers.get` does: null/undefined → null, a name (`'l2'`, `'L1L2'`,
 * default factors), a Regularizer (returned as is), a function of a tensor, or a serialized object.
 */
export function getRegularizer(
  identifier: RegularizerIdentifier,
  argument = 'regularizer',
  context?: string,
): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  return REGULARIZERS.get(identifier, argument, context);
}

/**
 * Keras 3's serialized form (`{ module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 },
 * registered_name: null }`), or null for null. Custom regularizers get `module: null` and `registered_name`.
 */
export function serializeRegularizer(r: Regularizer | null): KerasObjectJSON | null {
  if (r === null || r === undefined) return null;
  return REGULARIZERS.serialize(r, 'serializeRegularizer');
}
