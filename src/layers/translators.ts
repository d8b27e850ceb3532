/**
 * The one registry of Keras JSON translators. A built-in layer's `getConfig()` / `fromConfig()` speak Keras's
 * wire format, but that format lives in src/keras, which imports the layers (a Bidirectional config names any
 * layer class, a model config all of them); a layer importing it back would be an import cycle. So each layer
 * class looks its translator up here, keyed by the class itself, and src/keras/install.ts registers one per
 * class. src/index.ts calls that installer, so the public API always has every translator; importing a layer
 * module by itself registers nothing and has no side effect.
 */
import { KerasGruError } from '../errors.js';

/** How a class's config is written and read. `L` is the class's instances, `A` its constructor arguments. */
export interface Translator<L, A, B = Record<string, unknown>> {
  /** Keras's `get_config()` of `layer`, over `base`: what the class hands over (usually its parent's config). */
  readonly toConfig: (layer: L, base: B) => Record<string, unknown>;
  /** The constructor arguments a Keras config (or a whole serialized layer `{ class_name, config }`) stands for. */
  readonly fromConfig?: (config: unknown, context?: string) => A;
}

// `never[]` accepts every constructor's parameters; the first is the arguments object the translator reads.
type Class = abstract new (...args: never[]) => unknown;
type ArgsOf<C extends Class> = ConstructorParameters<C>[0];

const translators = new Map<Class, Translator<unknown, unknown, unknown>>();

/** Registers (or replaces) the translator of `cls`. src/keras/install.ts calls this for every built-in class. */
export function registerTranslator<C extends Class, B = Record<string, unknown>>(
  cls: C,
  translator: Translator<InstanceType<C>, ArgsOf<C>, B>,
): void {
  translators.set(cls, translator as Translator<unknown, unknown, unknown>);
}

/**
 * The translator of `cls`; `what` names the caller for the error thrown when none is registered (a program
 * that imported a layer module directly instead of the library's entry point).
 */
export function translatorOf<C extends Class, B = Record<string, unknown>>(
  cls: C,
  what: string,
): Translator<InstanceType<C>, ArgsOf<C>, B> {
  const translator = translators.get(cls);
  if (translator === undefined) {
    throw new KerasGruError(
      `${what}: the Keras format of ${cls.name} is not installed; import the library from its entry point ` +
        `('keras-gru', src/index.ts), which installs it`,
    );
  }
  return translator as Translator<InstanceType<C>, ArgsOf<C>, B>;
}

/** `translatorOf(cls).fromConfig`, which every layer with a `fromConfig` has. */
export function argsFromConfig<C extends Class>(cls: C, config: unknown, what: string): ArgsOf<C> {
  const read = translatorOf(cls, what).fromConfig;
  if (read === undefined) throw new KerasGruError(`${what}: the Keras format of ${cls.name} does not read configs`);
  return read(config);
}
