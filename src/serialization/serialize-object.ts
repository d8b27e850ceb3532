/**
 * Keras's serialized-object form, shared by the initializer, regularizer, constraint and activation registries.
 *
 * Keras 3 writes `{ "module": "keras.initializers", "class_name": "GlorotUniform", "config": {...},
 * "registered_name": null }` (model files add `shared_object_id`, which we ignore). Keras 2 wrote
 * `{ "class_name": "GlorotUniform", "config": {...} }` without `module`. Both are read here; only the Keras 3
 * form is written. This module speaks Keras's snake_case; callers turn it into camelCase options.
 */
import { InvalidArgumentError } from '../errors.js';

/** The Keras 3 serialized form of a built-in object. */
export interface KerasObjectJSON {
  module: string | null;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
}

/** A serialized object after validation: the fields we use, in camelCase. */
export interface ParsedKerasObject {
  /** `module`, or null when absent (Keras 2 files). */
  readonly module: string | null;
  readonly className: string;
  /** `config` as found: usually a plain object; a string for Keras's `class_name: "function"` form. */
  readonly config: unknown;
  readonly registeredName: string | null;
}

/** Builds the Keras 3 form. `config` is copied (one level), so later edits to it do not leak in. */
export function serializeKerasObject(
  module: string | null,
  className: string,
  config: Record<string, unknown>,
  registeredName: string | null = null,
): KerasObjectJSON {
  return { module, class_name: className, config: { ...config }, registered_name: registeredName };
}

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True for anything shaped like a serialized object: a plain object with a string `class_name`. */
export function isKerasObjectLike(value: unknown): value is { class_name: string; config?: unknown } {
  return isPlainObject(value) && typeof value['class_name'] === 'string';
}

/**
 * Validates a serialized object (Keras 3 or Keras 2 form) and returns its parts. Throws InvalidArgumentError
 * naming `argument` when it is not one.
 */
export function parseKerasObject(value: unknown, argument: string, context?: string): ParsedKerasObject {
  if (!isPlainObject(value)) {
    throw new InvalidArgumentError({
      argument,
      expected: 'a serialized Keras object { class_name, config }',
      received: value,
      context,
    });
  }
  const className = value['class_name'];
  if (typeof className !== 'string' || className.length === 0) {
    throw new InvalidArgumentError({
      argument: `${argument}.class_name`,
      expected: 'a non-empty string',
      received: className,
      context,
    });
  }
  const module = value['module'];
  if (module !== undefined && module !== null && typeof module !== 'string') {
    throw new InvalidArgumentError({
      argument: `${argument}.module`,
      expected: 'a string or null',
      received: module,
      context,
    });
  }
  const registered = value['registered_name'];
  if (registered !== undefined && registered !== null && typeof registered !== 'string') {
    throw new InvalidArgumentError({
      argument: `${argument}.registered_name`,
      expected: 'a string or null',
      received: registered,
      context,
    });
  }
  return {
    module: module ?? null,
    className,
    config: value['config'],
    registeredName: registered ?? null,
  };
}

/**
 * The `config` of a parsed object as a plain object: absent or null becomes `{}`; anything else that is not a
 * plain object is an InvalidArgumentError.
 */
export function configObject(parsed: ParsedKerasObject, argument: string, context?: string): Record<string, unknown> {
  const config = parsed.config;
  if (config === undefined || config === null) return {};
  if (!isPlainObject(config)) {
    throw new InvalidArgumentError({
      argument: `${argument}.config`,
      expected: `a config object for ${parsed.className}`,
      received: config,
      context,
    });
  }
  return config;
}

/** Keys that Keras 2 / TF 1 files put in configs and Keras 3 ignores. */
const IGNORED_KEYS: ReadonlySet<string> = new Set(['dtype']);

/**
 * Reads a Keras config's fields with validation. Each accessor marks its key used; `finish()` throws for keys
 * that no accessor read (Keras's `cls(**config)` would fail on them too), except the ignorable `dtype`.
 *
 *     const r = new ConfigReader(config, 'kernel_initializer', 'RandomUniform', ctx);
 *     const minval = r.number('minval', -0.05);
 *     r.finish();
 */
export class ConfigReader {
  private readonly used = new Set<string>();

  constructor(
    private readonly config: Readonly<Record<string, unknown>>,
    private readonly argument: string,
    private readonly className: string,
    private readonly context?: string,
  ) {}

  private fail(key: string, expected: string, received: unknown): never {
    throw new InvalidArgumentError({
      argument: `${this.argument} ${this.className}.${key}`,
      expected,
      received,
      context: this.context,
    });
  }

  /** The raw value (undefined when absent), marked used. */
  raw(key: string): unknown {
    this.used.add(key);
    return this.config[key];
  }

  /** A finite number; absent or null gives `fallback`. */
  number(key: string, fallback: number): number {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, 'a finite number', v);
    return v;
  }

  /** A finite number or null (absent gives `fallback`). */
  numberOrNull(key: string, fallback: number | null): number | null {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, 'a finite number or null', v);
    return v;
  }

  /** An integer or null (absent gives `fallback`). */
  integerOrNull(key: string, fallback: number | null): number | null {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(key, 'an integer or null', v);
    return v;
  }

  /** An integer or a list of integers (absent or null gives `fallback`). */
  axis(key: string, fallback: number | readonly number[]): number | number[] {
    const v = this.raw(key);
    if (v === undefined || v === null) return typeof fallback === 'number' ? fallback : [...fallback];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v) && v.every((a) => typeof a === 'number' && Number.isInteger(a))) return [...(v as number[])];
    return this.fail(key, 'an integer or a list of integers', v);
  }

  /** A list of integers or null (absent gives null). */
  integerListOrNull(key: string): number[] | null {
    const v = this.raw(key);
    if (v === undefined || v === null) return null;
    if (Array.isArray(v) && v.every((a) => typeof a === 'number' && Number.isInteger(a))) return [...(v as number[])];
    return this.fail(key, 'a list of integers or null', v);
  }

  /** A string (absent or null gives `fallback`). */
  string(key: string, fallback: string): string {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') this.fail(key, 'a string', v);
    return v;
  }

  /** A boolean (absent or null gives `fallback`). */
  boolean(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(key, 'a boolean', v);
    return v;
  }

  /** Throws for keys nobody read. */
  finish(): void {
    const extra = Object.keys(this.config).filter((k) => !this.used.has(k) && !IGNORED_KEYS.has(k));
    if (extra.length > 0) {
      throw new InvalidArgumentError({
        argument: `${this.argument} ${this.className} config keys`,
        expected: `only ${[...this.used].map((k) => JSON.stringify(k)).join(', ') || 'no keys'}`,
        received: extra,
        context: this.context,
      });
    }
  }
}

/**
 * Keras's `to_snake_case` for class names: `GlorotUniform` → `glorot_uniform`, `L1L2` → `l1l2`,
 * `OrthogonalRegularizer` → `orthogonal_regularizer`.
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** "a", "b", "c" and 5 more — for the `expected` part of an UnknownNameError. */
export function describeChoices(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n));
  const more = names.length > max ? ` and ${names.length - max} more` : '';
  return `one of ${shown.join(', ')}${more}`;
}
