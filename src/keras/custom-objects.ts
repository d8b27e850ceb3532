/**
 * Layer classes beyond the built-in ones, as Keras's `custom_objects` and `register_keras_serializable`:
 *
 *     registerLayerClass('MyLayer', MyLayer);                          // every load from now on
 *     await loadModel('m.keras', { customObjects: { MyLayer } });      // this load only
 *
 * A class is found by the entry's `registered_name`, then by its `class_name`. It builds layers with its static
 * `fromConfig(config)` when it has one (config as in the file, snake_case), else `new cls(config)`. Custom
 * objects may also name activations (a function of a tensor, or an `Activation`) that configs refer to by name.
 *
 * The registry starts empty and only `registerLayerClass` fills it; `customObjects` of one call are in scope
 * for the synchronous duration of that call only (`withCustomObjects`), which is how they reach layers nested
 * in wrappers (a custom RNN inside Bidirectional).
 */
import type { Activation } from '../activations/index.js';
import { InvalidArgumentError } from '../errors.js';
import { Layer } from '../layers/layer.js';
import type { Tensor } from '../tensor/tensor.js';

/** A layer class: one with a static `fromConfig`, or a constructor taking the config object. */
export type LayerClass =
  { fromConfig(config: Record<string, unknown>): Layer } | (new (config: Record<string, unknown>) => Layer);

/** What `customObjects` may hold: layer classes, and activations referred to by name. */
export type CustomObject = LayerClass | Activation | ((x: Tensor) => Tensor);

export type CustomObjects = Readonly<Record<string, CustomObject>>;

const registered = new Map<string, LayerClass>();
let scope: CustomObjects | null = null;

/** Whether `value` is a layer class (a Layer subclass, or an object with a `fromConfig` function). */
export function isLayerClass(value: unknown): value is LayerClass {
  if (typeof value === 'function') {
    return value.prototype instanceof Layer || typeof (value as { fromConfig?: unknown }).fromConfig === 'function';
  }
  return (
    typeof value === 'object' && value !== null && typeof (value as { fromConfig?: unknown }).fromConfig === 'function'
  );
}

/** A function building a layer of `cls` from a config. */
export function layerFactory(cls: LayerClass): (config: Record<string, unknown>) => Layer {
  const fromConfig = (cls as { fromConfig?: unknown }).fromConfig;
  if (typeof fromConfig === 'function')
    return (config) => (fromConfig as (c: Record<string, unknown>) => Layer).call(cls, config);
  return (config) => new (cls as new (config: Record<string, unknown>) => Layer)(config);
}

/**
 * Registers a layer class under `name` (a Keras `class_name` or `registered_name`, e.g. `'MyLayer'` or
 * `'my_package>MyLayer'`) for every later load. Registering a name again replaces the class.
 */
export function registerLayerClass(name: string, cls: LayerClass): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError({
      argument: 'name',
      expected: 'a non-empty class name',
      received: name,
      context: 'registerLayerClass',
    });
  }
  if (!isLayerClass(cls)) {
    throw new InvalidArgumentError({
      argument: 'cls',
      expected: 'a Layer subclass, or an object with fromConfig(config)',
      received: cls,
      context: 'registerLayerClass',
    });
  }
  registered.set(name, cls);
}

/** Removes a registration; returns whether there was one. */
export function unregisterLayerClass(name: string): boolean {
  return registered.delete(name);
}

/** The names registered with `registerLayerClass`. */
export function registeredLayerClasses(): string[] {
  return [...registered.keys()];
}

/** The name `layer`'s class was registered or given in scope under, or null for a built-in class. */
export function registeredNameOf(layer: Layer): string | null {
  const ctor = layer.constructor;
  for (const [name, value] of Object.entries(scope ?? {})) if (value === ctor) return name;
  for (const [name, cls] of registered) if (cls === ctor) return name;
  return null;
}

/** Runs `fn` with `objects` in scope (nested calls see the innermost scope merged over the outer ones). */
export function withCustomObjects<T>(objects: CustomObjects | undefined, fn: () => T): T {
  if (objects === undefined) return fn();
  if (objects === null || typeof objects !== 'object' || Array.isArray(objects)) {
    throw new InvalidArgumentError({
      argument: 'customObjects',
      expected: 'an object of name → layer class or activation',
      received: objects,
      context: 'withCustomObjects',
    });
  }
  const outer = scope;
  scope = { ...(outer ?? {}), ...objects };
  try {
    return fn();
  } finally {
    scope = outer;
  }
}

/** Layer factories by name: registered classes, then the classes in scope (which win). */
export function customLayerClasses(): Record<string, (config: Record<string, unknown>) => Layer> {
  const table: Record<string, (config: Record<string, unknown>) => Layer> = {};
  for (const [name, cls] of registered) table[name] = layerFactory(cls);
  for (const [name, value] of Object.entries(scope ?? {})) if (isLayerClass(value)) table[name] = layerFactory(value);
  return table;
}

/** A custom activation in scope under `name` (a function or an `Activation`), or undefined. */
export function customActivation(name: string): Activation | ((x: Tensor) => Tensor) | undefined {
  const value = scope !== null && Object.hasOwn(scope, name) ? scope[name] : undefined;
  if (value === undefined || isLayerClass(value)) return undefined;
  return value as Activation | ((x: Tensor) => Tensor);
}
