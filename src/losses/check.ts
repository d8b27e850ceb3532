/** Validation of loss and metric options. */
import { InvalidArgumentError } from '../errors.js';

export function optionBoolean(value: unknown, fallback: boolean, argument: string, context: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError({ argument, expected: 'a boolean', received: value, context });
  return value;
}

export function optionNumber(value: unknown, fallback: number, argument: string, min: number, max: number, context: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new InvalidArgumentError({ argument, expected: `a number ${range}`, received: value, context });
  }
  return value;
}

export function optionInteger(value: unknown, fallback: number, argument: string, context: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidArgumentError({ argument, expected: 'an integer', received: value, context });
  }
  return value;
}

export function optionIntegerOrNull(value: unknown, argument: string, context: string): number | null {
  if (value === undefined || value === null) return null;
  return optionInteger(value, 0, argument, context);
}

/** Throws for option keys the class does not know. */
export function checkKeys(options: object, known: readonly string[], context: string): void {
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
