/**
 * Every error keras-gru throws on purpose is a `KerasGruError`. Subclasses say what kind of failure it is;
 * `isKerasGruError` is the type guard for code that catches them.
 */

/** Renders a received value for an error message: short, and never throws. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) {
    const inner = value.slice(0, 8).map(describeValue).join(', ');
    return `[${inner}${value.length > 8 ? ', ...' : ''}]`;
  }
  const shape = (value as { shape?: unknown }).shape;
  if (Array.isArray(shape)) {
    const dtype = (value as { dtype?: unknown }).dtype;
    return `tensor of shape [${shape.join(', ')}]${typeof dtype === 'string' ? ` (${dtype})` : ''}`;
  }
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Base class of every error this library throws on purpose. */
export class KerasGruError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ArgumentErrorDetails {
  /** The argument (or option) at fault, e.g. `units` or `initialState[0]`. */
  argument: string;
  /** What was expected, in words: `a positive integer`, `shape [2, 4]`. */
  expected: string;
  /** The value received; rendered with `describeValue`. */
  received: unknown;
  /** Where it happened, e.g. `GRU 'gru_1'.apply`; prefixed to the message. */
  context?: string;
}

/** An argument has the wrong value or type. Names the argument, what was expected and what was received. */
export class InvalidArgumentError extends KerasGruError {
  readonly argument: string;
  readonly expected: string;
  readonly received: string;

  constructor(details: ArgumentErrorDetails) {
    const where = details.context ? `${details.context}: ` : '';
    const received = describeValue(details.received);
    super(`${where}invalid ${details.argument}: expected ${details.expected}, received ${received}`);
    this.argument = details.argument;
    this.expected = details.expected;
    this.received = received;
  }
}

/** An argument has the wrong shape or rank. */
export class ShapeError extends InvalidArgumentError {}

/** An argument has the wrong dtype. */
export class DTypeError extends InvalidArgumentError {}

/** A name (activation, initializer, layer class, ...) is not in its registry. */
export class UnknownNameError extends InvalidArgumentError {}

/** The layer or model must be built (or called) before this operation. */
export class NotBuiltError extends KerasGruError {}

/** A layer attribute does not exist in the current state (Keras's AttributeError). */
export class AttributeError extends KerasGruError {}

/** Type guard for errors thrown by keras-gru. */
export function isKerasGruError(error: unknown): error is KerasGruError {
  return error instanceof KerasGruError;
}
