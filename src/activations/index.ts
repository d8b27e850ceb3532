/**
 * Keras 3's activations (`keras.activations`): the registry, `getActivation` and `serializeActivation`.
 *
 * An `Activation` is a name, a differentiable tensor function and, for elementwise activations, the scalar
 * function with its derivative that fused kernels (the GRU step) apply directly. Names are Keras 3's; a Keras 2
 * file asks for Keras 2 meanings with `{ kerasVersion: 2 }` (only `hard_sigmoid` differs:
 * Keras 3 uses relu6(x + 3)/6, Keras 2 used clip(0.2x + 0.5, 0, 1)).
 */
import { InvalidArgumentError, UnknownNameError } from '../errors.js';
import { applyUnary, type ScalarFunction } from '../ops/unary.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { describeChoices, isKerasObjectLike, parseKerasObject } from '../serialization/serialize-object.js';
import { attachLogits } from '../losses/logits.js';
import * as fns from './elementwise.js';
import { glu, logSoftmax, softmax, sparsemax } from './softmax.js';

export { softmax, logSoftmax, sparsemax, glu } from './softmax.js';
export { erf, erfc } from './erf.js';

export interface Activation {
  /** Keras 3 name, e.g. `tanh`, `hard_sigmoid`. */
  readonly name: string;
  /** Applies the activation; differentiable. */
  apply(x: Tensor): Tensor;
  /** The elementwise scalar function and derivative, for fused kernels; null when not elementwise or unknown. */
  readonly scalar: ScalarFunction | null;
}

export type ActivationIdentifier =
  ActivationName | Activation | ((x: Tensor) => Tensor) | { class_name: string; config?: unknown } | null | undefined;

export interface GetActivationOptions {
  /** Which Keras's names to follow (default 3). Version 2 maps `hard_sigmoid` to Keras 2's 0.2x + 0.5. */
  kerasVersion?: 2 | 3;
}

function elementwise(name: string, scalar: ScalarFunction): Activation {
  return Object.freeze({ name, scalar, apply: (x: Tensor): Tensor => applyUnary(scalar, x) });
}

function alongAxis(name: string, fn: (x: Tensor, axis: number) => Tensor, axis: number): Activation {
  return Object.freeze({ name, scalar: null, apply: (x: Tensor): Tensor => fn(x, axis) });
}

/**
 * Keras's sigmoid and softmax remember their input (the logits) on their output; the crossentropy losses then
 * compute from the logits, as Keras does on TensorFlow (see src/losses/logits.ts).
 */
function withLogits(activation: Activation): Activation {
  return Object.freeze({ ...activation, apply: (x: Tensor): Tensor => attachLogits(activation.apply(x), x) });
}

const linear: Activation = Object.freeze({ name: 'linear', scalar: fns.linearFn, apply: (x: Tensor): Tensor => x });
const silu = elementwise('silu', fns.siluFn);
const hardSilu = elementwise('hard_silu', fns.hardSiluFn);

/** Keras 3's built-in activations by name (including the aliases `swish` and `hard_swish`). */
const BUILTIN_TABLE = {
  linear: linear,
  relu: elementwise('relu', fns.reluScalarFn),
  relu6: elementwise('relu6', fns.relu6Fn),
  leaky_relu: elementwise('leaky_relu', fns.leakyReluFn()),
  elu: elementwise('elu', fns.eluFn()),
  selu: elementwise('selu', fns.seluFn),
  celu: elementwise('celu', fns.celuFn()),
  softplus: elementwise('softplus', fns.softplusFn),
  softsign: elementwise('softsign', fns.softsignFn),
  squareplus: elementwise('squareplus', fns.squareplusFn()),
  soft_shrink: elementwise('soft_shrink', fns.softShrinkFn()),
  sparse_plus: elementwise('sparse_plus', fns.sparsePlusFn),
  silu: silu,
  swish: silu,
  gelu: elementwise('gelu', fns.geluFn(false)),
  tanh: elementwise('tanh', fns.tanhFn),
  tanh_shrink: elementwise('tanh_shrink', fns.tanhShrinkFn),
  sigmoid: withLogits(elementwise('sigmoid', fns.sigmoidFn)),
  sparse_sigmoid: elementwise('sparse_sigmoid', fns.sparseSigmoidFn),
  exponential: elementwise('exponential', fns.exponentialFn),
  hard_sigmoid: elementwise('hard_sigmoid', fns.hardSigmoidFn),
  hard_silu: hardSilu,
  hard_swish: hardSilu,
  hard_tanh: elementwise('hard_tanh', fns.hardTanhFn),
  hard_shrink: elementwise('hard_shrink', fns.hardShrinkFn()),
  mish: elementwise('mish', fns.mishFn),
  log_sigmoid: elementwise('log_sigmoid', fns.logSigmoidFn),
  softmax: withLogits(alongAxis('softmax', softmax, -1)),
  log_softmax: alongAxis('log_softmax', logSoftmax, -1),
  sparsemax: alongAxis('sparsemax', sparsemax, -1),
  glu: alongAxis('glu', glu, -1),
} satisfies Record<string, Activation>;

/** The names of Keras 3's built-in activations, as `getActivation` and the layers' arguments accept them. */
export type ActivationName = keyof typeof BUILTIN_TABLE;

const BUILTINS: ReadonlyMap<string, Activation> = new Map<string, Activation>(Object.entries(BUILTIN_TABLE));

/** Names Keras accepts but that cannot be used without parameters. */
const NEEDS_PARAMETERS: ReadonlyMap<string, string> = new Map([
  ['threshold', 'thresholdActivation(threshold, defaultValue)'],
]);

/** Keras 2's `hard_sigmoid`: clip(0.2x + 0.5, 0, 1). Its name is `hard_sigmoid`, as Keras 2 files spell it. */
export const hardSigmoidKeras2: Activation = elementwise('hard_sigmoid', fns.hardSigmoidKeras2Fn);

/**
 * The built-in activations by Keras 3 name, like `keras.activations.*`:
 * `activations.tanh.apply(x)`, `activations.hard_sigmoid.scalar`.
 */
export const activations: Readonly<Record<string, Activation>> = Object.freeze(Object.fromEntries(BUILTINS));

/** The names `getActivation` accepts as strings. */
export function listActivations(): ActivationName[] {
  return Object.keys(BUILTIN_TABLE) as ActivationName[];
}

/** True for an object with the `Activation` shape. */
export function isActivation(value: unknown): value is Activation {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Partial<Activation>;
  return (
    typeof a.name === 'string' && typeof a.apply === 'function' && (a.scalar === null || typeof a.scalar === 'object')
  );
}

function isBuiltin(a: Activation): boolean {
  return BUILTINS.get(a.name) === a || a === hardSigmoidKeras2;
}

function checkVersion(options: GetActivationOptions, context?: string): 2 | 3 {
  const v = options.kerasVersion ?? 3;
  if (v !== 2 && v !== 3) {
    throw new InvalidArgumentError({ argument: 'options.kerasVersion', expected: '2 or 3', received: v, context });
  }
  return v;
}

function byName(
  name: string,
  received: unknown,
  argument: string,
  context: string | undefined,
  version: 2 | 3,
): Activation {
  if (version === 2 && name === 'hard_sigmoid') return hardSigmoidKeras2;
  const found = BUILTINS.get(name);
  if (found !== undefined) return found;
  const factory = NEEDS_PARAMETERS.get(name);
  if (factory !== undefined) {
    throw new InvalidArgumentError({
      argument,
      expected: `an activation usable without parameters (for '${name}' use ${factory})`,
      received,
      context,
    });
  }
  const common = ['tanh', 'sigmoid', 'relu', 'linear', 'hard_sigmoid', 'softmax', 'gelu', 'silu'];
  const names = [...common, ...listActivations().filter((n) => !common.includes(n))];
  throw new UnknownNameError({
    argument,
    expected: `an activation name, ${describeChoices(names)}`,
    received,
    context,
  });
}

/** Wraps a user tensor function; its result is checked to be a tensor. */
function fromFunction(fn: (x: Tensor) => Tensor, argument: string, context?: string): Activation {
  const name = fn.name || 'custom_activation';
  return Object.freeze({
    name,
    scalar: null,
    apply: (x: Tensor): Tensor => {
      const y: unknown = fn(x);
      if (!isTensor(y)) {
        throw new InvalidArgumentError({
          argument: `${argument} (function ${name})`,
          expected: 'a function returning a Tensor',
          received: y,
          context,
        });
      }
      return y;
    },
  });
}

/**
 * Resolves an activation identifier as `keras.activations.get` does: a Keras name (`'tanh'`), null/undefined
 * (linear), an `Activation`, a tensor function, or a serialized object (`{ class_name: 'function',
 * config: 'tanh' }`, or `{ class_name: 'tanh' }`). Unknown names throw UnknownNameError.
 */
export function getActivation(
  identifier: ActivationIdentifier,
  argument = 'activation',
  context?: string,
  options: GetActivationOptions = {},
): Activation {
  const version = checkVersion(options, context);
  if (identifier === null || identifier === undefined) return linear;
  if (typeof identifier === 'string') return byName(identifier, identifier, argument, context, version);
  if (typeof identifier === 'function') return fromFunction(identifier, argument, context);
  if (isKerasObjectLike(identifier)) {
    const parsed = parseKerasObject(identifier, argument, context);
    if (parsed.className === 'function') {
      const name = typeof parsed.config === 'string' ? parsed.config : parsed.registeredName;
      if (typeof name !== 'string') {
        throw new InvalidArgumentError({
          argument: `${argument}.config`,
          expected: 'an activation name',
          received: parsed.config,
          context,
        });
      }
      return byName(name, identifier, argument, context, version);
    }
    return byName(parsed.className, identifier, argument, context, version);
  }
  if (isActivation(identifier)) return identifier;
  throw new InvalidArgumentError({
    argument,
    expected: 'an activation name, an Activation, a function of a tensor, a serialized activation or null',
    received: identifier,
    context,
  });
}

/**
 * What Keras 3's `get_config()` writes for an activation: the plain name for built-ins (`"tanh"`). Keras 2's
 * `hard_sigmoid` is written as `"hard_sigmoid"` too (its Keras 2 name; a Keras 3 reader will read it as relu6-based).
 * Other activations are written in Keras's form for a registered custom function,
 * `{ module: null, class_name: "function", config: name, registered_name: name }`, which only a reader that
 * knows the function can load back.
 */
export function serializeActivation(a: Activation): unknown {
  if (!isActivation(a)) {
    throw new InvalidArgumentError({
      argument: 'activation',
      expected: 'an Activation',
      received: a,
      context: 'serializeActivation',
    });
  }
  if (isBuiltin(a)) return a.name;
  return { module: null, class_name: 'function', config: a.name, registered_name: a.name };
}

// ---- Activations with parameters (Keras's keyword arguments). Default parameters give the registry's object,
// so they serialize by name; other settings get a descriptive name and serialize as custom functions.

function checkNumber(
  value: unknown,
  argument: string,
  context: string,
  predicate: (v: number) => boolean,
  expected: string,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !predicate(value)) {
    throw new InvalidArgumentError({ argument, expected, received: value, context });
  }
  return value;
}

const any = (): boolean => true;

function builtin(name: string): Activation {
  return BUILTINS.get(name)!;
}

export interface ReluOptions {
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Saturation value, or null for none (default null). */
  maxValue?: number | null;
  /** Values at or below it are damped (default 0). */
  threshold?: number;
}

/** Keras's `relu(x, negative_slope, max_value, threshold)`. */
export function reluActivation(options: ReluOptions = {}): Activation {
  const ctx = 'reluActivation';
  const slope = checkNumber(options.negativeSlope ?? 0, 'negativeSlope', ctx, (v) => v >= 0, 'a non-negative number');
  const maxValue =
    options.maxValue === null || options.maxValue === undefined
      ? null
      : checkNumber(options.maxValue, 'maxValue', ctx, (v) => v >= 0, 'a non-negative number or null');
  const threshold = checkNumber(options.threshold ?? 0, 'threshold', ctx, any, 'a finite number');
  if (slope === 0 && maxValue === null && threshold === 0) return builtin('relu');
  if (slope === 0 && maxValue === 6 && threshold === 0) return builtin('relu6');
  const name = `relu(negative_slope=${slope}, max_value=${maxValue === null ? 'None' : maxValue}, threshold=${threshold})`;
  return elementwise(name, fns.reluFn(slope, maxValue, threshold));
}

/** Keras's `leaky_relu(x, negative_slope=0.2)`. */
export function leakyReluActivation(negativeSlope = 0.2): Activation {
  const s = checkNumber(negativeSlope, 'negativeSlope', 'leakyReluActivation', any, 'a finite number');
  return s === 0.2 ? builtin('leaky_relu') : elementwise(`leaky_relu(negative_slope=${s})`, fns.leakyReluFn(s));
}

/** Keras's `elu(x, alpha=1)`. */
export function eluActivation(alpha = 1): Activation {
  const a = checkNumber(alpha, 'alpha', 'eluActivation', any, 'a finite number');
  return a === 1 ? builtin('elu') : elementwise(`elu(alpha=${a})`, fns.eluFn(a));
}

/** Keras's `celu(x, alpha=1)`. */
export function celuActivation(alpha = 1): Activation {
  const a = checkNumber(alpha, 'alpha', 'celuActivation', (v) => v !== 0, 'a non-zero number');
  return a === 1 ? builtin('celu') : elementwise(`celu(alpha=${a})`, fns.celuFn(a));
}

/** Keras's `gelu(x, approximate=False)`: exact by default, the tanh approximation when asked. */
export function geluActivation(options: { approximate?: boolean } = {}): Activation {
  const approximate = options.approximate ?? false;
  if (typeof approximate !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'approximate',
      expected: 'a boolean',
      received: approximate,
      context: 'geluActivation',
    });
  }
  return approximate ? elementwise('gelu(approximate=True)', fns.geluFn(true)) : builtin('gelu');
}

/** Keras's `hard_shrink(x, threshold=0.5)`. */
export function hardShrinkActivation(threshold = 0.5): Activation {
  const t = checkNumber(threshold, 'threshold', 'hardShrinkActivation', (v) => v >= 0, 'a non-negative number');
  return t === 0.5 ? builtin('hard_shrink') : elementwise(`hard_shrink(threshold=${t})`, fns.hardShrinkFn(t));
}

/** Keras's `soft_shrink(x, threshold=0.5)`. */
export function softShrinkActivation(threshold = 0.5): Activation {
  const t = checkNumber(threshold, 'threshold', 'softShrinkActivation', (v) => v >= 0, 'a non-negative number');
  return t === 0.5 ? builtin('soft_shrink') : elementwise(`soft_shrink(threshold=${t})`, fns.softShrinkFn(t));
}

/** Keras's `squareplus(x, b=4)`. */
export function squareplusActivation(b = 4): Activation {
  const v = checkNumber(b, 'b', 'squareplusActivation', (n) => n >= 0, 'a non-negative number');
  return v === 4 ? builtin('squareplus') : elementwise(`squareplus(b=${v})`, fns.squareplusFn(v));
}

/** Keras's `threshold(x, threshold, default_value)`: x where x > threshold, else `defaultValue`. */
export function thresholdActivation(threshold: number, defaultValue: number): Activation {
  const ctx = 'thresholdActivation';
  const t = checkNumber(threshold, 'threshold', ctx, any, 'a finite number');
  const d = checkNumber(defaultValue, 'defaultValue', ctx, any, 'a finite number');
  return elementwise(`threshold(threshold=${t}, default_value=${d})`, fns.thresholdFn(t, d));
}

function axisActivation(name: string, fn: (x: Tensor, axis: number) => Tensor, axis: number): Activation {
  checkNumber(axis, 'axis', `${name}Activation`, Number.isInteger, 'an integer');
  return axis === -1 ? builtin(name) : alongAxis(`${name}(axis=${axis})`, fn, axis);
}

/** Keras's `softmax(x, axis=-1)`. */
export function softmaxActivation(axis = -1): Activation {
  return axisActivation('softmax', softmax, axis);
}

/** Keras's `log_softmax(x, axis=-1)`. */
export function logSoftmaxActivation(axis = -1): Activation {
  return axisActivation('log_softmax', logSoftmax, axis);
}

/** Keras's `sparsemax(x, axis=-1)`. */
export function sparsemaxActivation(axis = -1): Activation {
  return axisActivation('sparsemax', sparsemax, axis);
}

/** Keras's `glu(x, axis=-1)`. */
export function gluActivation(axis = -1): Activation {
  return axisActivation('glu', glu, axis);
}
