/** The options every optimizer takes, and their validation: each failure names the option and what it must be. */
import { InvalidArgumentError } from '../errors.js';

export interface NumberRule {
  /** Smallest allowed value (inclusive unless `minExclusive`). */
  min?: number;
  minExclusive?: boolean;
  /** Largest allowed value (inclusive unless `maxExclusive`). */
  max?: number;
  maxExclusive?: boolean;
  integer?: boolean;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a finite number';
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`${rule.minExclusive ? '>' : '≥'} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`${rule.maxExclusive ? '<' : '≤'} ${rule.max}`);
  return parts.length === 0 ? kind : `${kind} ${parts.join(' and ')}`;
}

function satisfies(value: number, rule: NumberRule): boolean {
  if (!Number.isFinite(value)) return false;
  if (rule.integer && !Number.isInteger(value)) return false;
  if (rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min)) return false;
  if (rule.max !== undefined && (rule.maxExclusive ? value >= rule.max : value > rule.max)) return false;
  return true;
}

/** `value` if it is a number obeying `rule`, `fallback` when undefined; else an InvalidArgumentError. */
export function checkNumber(value: unknown, fallback: number, argument: string, rule: NumberRule, context: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !satisfies(value, rule)) {
    throw new InvalidArgumentError({ argument, expected: describeRule(rule), received: value, context });
  }
  return value;
}

/** Like `checkNumber`, but null is allowed (and is the usual fallback). */
export function checkNumberOrNull(
  value: unknown,
  fallback: number | null,
  argument: string,
  rule: NumberRule,
  context: string,
): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  if (typeof value !== 'number' || !satisfies(value, rule)) {
    throw new InvalidArgumentError({ argument, expected: `${describeRule(rule)}, or null`, received: value, context });
  }
  return value;
}

export function checkBoolean(value: unknown, fallback: boolean, argument: string, context: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError({ argument, expected: 'a boolean', received: value, context });
  }
  return value;
}

export function checkName(value: unknown, fallback: () => string, context: string): string {
  if (value === undefined || value === null) return fallback();
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError({ argument: 'name', expected: 'a non-empty string', received: value, context });
  }
  return value;
}

/** Options every optimizer takes (Keras's base optimizer keyword arguments, camelCase). */
export interface OptimizerOptions {
  /** Defaults to the class name in snake_case, made unique (`adam`, `adam_1`), as Keras's `auto_name`. */
  name?: string;
  learningRate?: number;
  /** Decoupled weight decay applied before each update: w ← w − w·weightDecay·learningRate. */
  weightDecay?: number | null;
  /** Clip each gradient to this L2 norm. At most one of clipnorm, clipvalue, globalClipnorm. */
  clipnorm?: number | null;
  /** Clip each gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Scale all gradients together so that their joint L2 norm is at most this. */
  globalClipnorm?: number | null;
  /** Keep an exponential moving average of the weights. */
  useEma?: boolean;
  emaMomentum?: number;
  /** With useEma: overwrite the weights with their averages every this many steps (null: only on finalize). */
  emaOverwriteFrequency?: number | null;
  /** Gradients are divided by this (the loss is multiplied by it in `scaleLoss`). */
  lossScaleFactor?: number | null;
  /** Update only every this many calls, with the mean of the accumulated gradients (≥ 2, or null). */
  gradientAccumulationSteps?: number | null;
}

/** The camelCase config every optimizer reports (subclasses add their own fields). */
export interface OptimizerConfig {
  name: string;
  learningRate: number;
  weightDecay: number | null;
  clipnorm: number | null;
  globalClipnorm: number | null;
  clipvalue: number | null;
  useEma: boolean;
  emaMomentum: number;
  emaOverwriteFrequency: number | null;
  lossScaleFactor: number | null;
  gradientAccumulationSteps: number | null;
}

/** The keys of `OptimizerOptions`, for the unknown-option check. */
export const BASE_OPTION_KEYS: readonly string[] = [
  'name', 'learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'useEma', 'emaMomentum',
  'emaOverwriteFrequency', 'lossScaleFactor', 'gradientAccumulationSteps',
];

/** Throws for option keys an optimizer does not know (Keras: "Argument(s) not recognized"). */
export function checkOptionKeys(options: object, known: readonly string[], context: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument: 'options', expected: 'an options object', received: options, context });
  }
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({
      argument: 'options',
      expected: `only the options ${known.join(', ')}`,
      received: `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      context,
    });
  }
}

