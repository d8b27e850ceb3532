/**
 * A registry of Keras classes, as `keras.initializers`, `keras.regularizers` and `keras.constraints` keep one:
 * `get` resolves an identifier (a name, an instance, a user function, a serialized object) and `serialize`
 * writes Keras 3's serialized form. Each registry is a plain value built by its module; nothing is registered
 * globally.
 */
import { InvalidArgumentError, KerasGruError, UnknownNameError } from '../errors.js';
import {
  ConfigReader,
  configObject,
  isKerasObjectLike,
  parseKerasObject,
  serializeKerasObject,
  toSnakeCase,
  type KerasObjectJSON,
} from './serialize-object.js';

/** What every registered object has: a Keras 3 class name and Keras 3's `get_config()`. */
export interface KerasObject {
  readonly className: string;
  getConfig(): Record<string, unknown>;
}

/** A built-in class: constructed with its defaults from a name, or from a serialized config. */
export interface RegisteredClass<T> {
  new (): T;
  fromConfig(reader: ConfigReader): T;
}

export interface RegistrySpec<T extends KerasObject, F> {
  /** The `module` written for built-ins, e.g. `keras.initializers`. */
  readonly module: string;
  /** The base class; its instances are returned as given. */
  readonly base: abstract new (...args: never[]) => T;
  /** Keras 3 class name → class. */
  readonly classes: ReadonlyMap<string, RegisteredClass<T>>;
  /** Every name accepted as a string → its class name, in the order `names()` lists them. */
  readonly names: ReadonlyMap<string, string>;
  /** Wraps a user function as an object (`argument` names it in the function's errors). */
  readonly fromFunction: (fn: F, argument: string) => T;
  /** The argument `serialize` names when given something else. */
  readonly argument: string;
  readonly expected: {
    /** UnknownNameError's `expected` for an unknown name, e.g. `a constraint name, one of ...`. */
    readonly name: string;
    /** InvalidArgumentError's `expected` for an identifier of no accepted kind. */
    readonly identifier: string;
    /** InvalidArgumentError's `expected` when `serialize` is given something else, e.g. `an Initializer`. */
    readonly instance: string;
  };
}

/** Accepted names → class name: each class name and its snake_case form, then `aliases` (name, class name). */
export function snakeCaseNames(
  classNames: Iterable<string>,
  aliases: readonly (readonly [string, string])[] = [],
): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const className of classNames) {
    names.set(className, className);
    names.set(toSnakeCase(className), className);
  }
  for (const [alias, className] of aliases) names.set(alias, className);
  return names;
}

export class Registry<T extends KerasObject, F> {
  constructor(private readonly spec: RegistrySpec<T, F>) {}

  /** The names `get` accepts as strings. */
  names(): string[] {
    return [...this.spec.names.keys()];
  }

  private lookup(name: string, received: unknown, argument: string, context?: string): RegisteredClass<T> {
    const className = this.spec.names.get(name);
    if (className === undefined)
      throw new UnknownNameError({ argument, expected: this.spec.expected.name, received, context });
    return this.spec.classes.get(className)!;
  }

  /**
   * Resolves `identifier`: an instance of the base class (returned as is), a name (a new instance with the
   * defaults), a user function (wrapped), or a serialized object (Keras 3 form, or Keras 2's without `module`).
   */
  get(identifier: unknown, argument: string, context?: string): T {
    if (identifier instanceof this.spec.base) return identifier;
    if (typeof identifier === 'string') return new (this.lookup(identifier, identifier, argument, context))();
    if (typeof identifier === 'function') return this.spec.fromFunction(identifier as F, argument);
    if (isKerasObjectLike(identifier)) {
      const parsed = parseKerasObject(identifier, argument, context);
      const cls = this.lookup(parsed.className, identifier, argument, context);
      const config = configObject(parsed, argument, context);
      try {
        return cls.fromConfig(new ConfigReader(config, argument, parsed.className, context));
      } catch (cause) {
        // A class's own checks name its option (`l2`), not the argument that carried the config.
        if (!(cause instanceof KerasGruError) || cause.message.includes(argument)) throw cause;
        throw new InvalidArgumentError({
          argument,
          expected: `a valid ${parsed.className} config (${cause.message})`,
          received: identifier,
          context,
        });
      }
    }
    throw new InvalidArgumentError({
      argument,
      expected: this.spec.expected.identifier,
      received: identifier,
      context,
    });
  }

  /** True for an instance of a registered class itself (not of a subclass, not a wrapped function). */
  isBuiltin(value: T): boolean {
    return this.spec.classes.get(value.className) === value.constructor;
  }

  /**
   * Keras 3's serialized form: `{ module, class_name, config, registered_name: null }` for built-ins; objects
   * that are not built in (subclasses, functions) get `module: null` and `registered_name` set to their class
   * name, as Keras writes registered custom objects.
   */
  serialize(value: unknown, context: string): KerasObjectJSON {
    if (!(value instanceof this.spec.base)) {
      throw new InvalidArgumentError({
        argument: this.spec.argument,
        expected: this.spec.expected.instance,
        received: value,
        context,
      });
    }
    if (this.isBuiltin(value)) return serializeKerasObject(this.spec.module, value.className, value.getConfig());
    return serializeKerasObject(null, value.className, value.getConfig(), value.className);
  }
}
