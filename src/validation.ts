/**
 * Argument checks shared by the option-taking classes (losses, metrics, optimizers): each failure is an
 * InvalidArgumentError naming the argument and what it must be. An undefined option gives its fallback.
 */
import { InvalidArgumentError, KerasGruError } from './errors.js';

/** Throws for option keys the class does not know (Keras: "Argument(s) not recognized"). */
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

export function checkBoolean(value: unknown, fallback: boolean, argument: string, context: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError({ argument, expected: 'a boolean', received: value, context });
  }
  return value;
}

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
export function checkNumber(
  value: unknown,
  fallback: number,
  argument: string,
  rule: NumberRule,
  context: string,
): number {
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

/** A finite number in [min, max] (`expected` reads "a number in [min, max]", or "a number ≥ min" for max = ∞). */
export function checkNumberInRange(
  value: unknown,
  fallback: number,
  argument: string,
  min: number,
  max: number,
  context: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new InvalidArgumentError({ argument, expected: `a number ${range}`, received: value, context });
  }
  return value;
}

/** An integer; undefined and null give null (an invalid value reads "an integer", not "..., or null"). */
export function checkIntegerOrNull(value: unknown, argument: string, context: string): number | null {
  if (value === undefined || value === null) return null;
  return checkNumber(value, 0, argument, { integer: true }, context);
}

/** A non-empty string; undefined and null give `fallback()`. */
export function checkName(value: unknown, fallback: () => string, context: string): string {
  if (value === undefined || value === null) return fallback();
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError({ argument: 'name', expected: 'a non-empty string', received: value, context });
  }
  return value;
}

/**
 * Runs `resolve()` (e.g. a registry lookup of `value`); a typed error from inside it whose message does not name
 * `argument` (an optimizer's own `beta1`, say) is rethrown as the same kind of error naming `argument`, with the
 * inner message as what was expected. Anything else passes through.
 */
export function withArgument<T>(argument: string, value: unknown, context: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (cause) {
    if (!(cause instanceof KerasGruError) || cause.message.includes(argument)) throw cause;
    const Kind =
      cause instanceof InvalidArgumentError ? (cause.constructor as typeof InvalidArgumentError) : InvalidArgumentError;
    throw new Kind({ argument, expected: `a valid ${argument} (${cause.message})`, received: value, context });
  }
}
