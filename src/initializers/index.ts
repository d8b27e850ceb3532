/**
 * Keras 3's initializers (`keras.initializers`): the classes, `getInitializer` (names, objects, functions,
 * serialized configs) and `serializeInitializer` (Keras 3's serialized form).
 */
import { InvalidArgumentError, ShapeError, UnknownNameError } from '../errors.js';
import {
  ConfigReader,
  configObject,
  describeChoices,
  isKerasObjectLike,
  parseKerasObject,
  serializeKerasObject,
  toSnakeCase,
  type KerasObjectJSON,
} from '../keras/serialize-object.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { isTensor, type Tensor } from '../tensor/tensor.js';
import { Constant, Identity, Ones, Zeros } from './constant.js';
import { Initializer } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
} from './random.js';

export { Initializer } from './initializer.js';
export { Zeros, Ones, Constant, Identity } from './constant.js';
export {
  RandomNormal,
  TruncatedNormal,
  RandomUniform,
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  LecunNormal,
  LecunUniform,
  HeNormal,
  HeUniform,
  computeFans,
} from './random.js';
export type {
  RandomNormalOptions,
  RandomUniformOptions,
  VarianceScalingOptions,
  FixedVarianceOptions,
  FanMode,
  VarianceDistribution,
} from './random.js';
export { Orthogonal, householderQR } from './orthogonal.js';
export type { OrthogonalOptions } from './orthogonal.js';

export type InitializerFunction = (shape: readonly number[], dtype?: DType) => Tensor;

export type InitializerIdentifier =
  | string
  | Initializer
  | InitializerFunction
  | { class_name: string; config?: Record<string, unknown> };

interface InitializerClass {
  new (): Initializer;
  fromConfig(reader: ConfigReader): Initializer;
}

/** Keras 3 class name → class (listed explicitly: building instances here would draw seeds on import). */
const BY_CLASS_NAME: ReadonlyMap<string, InitializerClass> = new Map<string, InitializerClass>([
  ['Zeros', Zeros],
  ['Ones', Ones],
  ['Constant', Constant],
  ['Identity', Identity],
  ['RandomNormal', RandomNormal],
  ['TruncatedNormal', TruncatedNormal],
  ['RandomUniform', RandomUniform],
  ['VarianceScaling', VarianceScaling],
  ['GlorotUniform', GlorotUniform],
  ['GlorotNormal', GlorotNormal],
  ['LecunNormal', LecunNormal],
  ['LecunUniform', LecunUniform],
  ['HeNormal', HeNormal],
  ['HeUniform', HeUniform],
  ['Orthogonal', Orthogonal],
]);

/** Every accepted name → class name: class names, their snake_case forms, and Keras's aliases. */
const NAMES: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const className of BY_CLASS_NAME.keys()) {
    names.set(className, className);
    names.set(toSnakeCase(className), className);
  }
  const aliases: [string, string][] = [
    ['IdentityInitializer', 'Identity'],
    ['OrthogonalInitializer', 'Orthogonal'],
    ['normal', 'RandomNormal'],
    ['uniform', 'RandomUniform'],
    ['one', 'Ones'],
    ['zero', 'Zeros'],
  ];
  for (const [alias, className] of aliases) names.set(alias, className);
  return names;
})();

/** The names `getInitializer` accepts as strings. */
export function listInitializers(): string[] {
  return [...NAMES.keys()];
}

function lookup(name: string, received: unknown, argument: string, context?: string): InitializerClass {
  const className = NAMES.get(name);
  if (className === undefined) {
    const suggestions = [...BY_CLASS_NAME.keys()].map(toSnakeCase);
    throw new UnknownNameError({ argument, expected: `an initializer name, ${describeChoices(suggestions, suggestions.length)}`, received, context });
  }
  return BY_CLASS_NAME.get(className)!;
}

/** A user function `(shape, dtype) => Tensor` as an Initializer; its result's shape is checked. */
class FunctionInitializer extends Initializer {
  readonly className: string;

  constructor(
    private readonly fn: InitializerFunction,
    private readonly argument: string,
  ) {
    super();
    this.className = fn.name || 'custom_initializer';
  }

  call(shape: readonly number[], dtype?: DType): Tensor {
    const out: unknown = this.fn([...shape], dtype);
    if (!isTensor(out)) {
      throw new InvalidArgumentError({
        argument: `${this.argument} (function ${this.className})`,
        expected: 'a function returning a Tensor',
        received: out,
      });
    }
    if (!shapesEqual(out.shape, shape)) {
      throw new ShapeError({
        argument: `${this.argument} (function ${this.className})`,
        expected: `a tensor of shape ${formatShape(shape)}`,
        received: formatShape(out.shape),
      });
    }
    return out;
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/**
 * Resolves an initializer as `keras.initializers.get` does: a name (`'glorot_uniform'` or `'GlorotUniform'`,
 * plus Keras's aliases), an Initializer (returned as is), a function `(shape, dtype) => Tensor`, or a
 * serialized object (Keras 3 form, or Keras 2's without `module`). Strings and configs build a new instance.
 */
export function getInitializer(identifier: InitializerIdentifier, argument = 'initializer', context?: string): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return new (lookup(identifier, identifier, argument, context))();
  if (typeof identifier === 'function') return new FunctionInitializer(identifier, argument);
  if (isKerasObjectLike(identifier)) {
    const parsed = parseKerasObject(identifier, argument, context);
    const cls = lookup(parsed.className, identifier, argument, context);
    const config = configObject(parsed, argument, context);
    return cls.fromConfig(new ConfigReader(config, argument, parsed.className, context));
  }
  throw new InvalidArgumentError({
    argument,
    expected: 'an initializer name, an Initializer, a function (shape, dtype) => Tensor, or a serialized initializer',
    received: identifier,
    context,
  });
}

function isBuiltin(i: Initializer): boolean {
  return BY_CLASS_NAME.get(i.className) === i.constructor;
}

/**
 * Keras 3's serialized form: `{ module: 'keras.initializers', class_name, config, registered_name: null }`.
 * Initializers that are not built in (subclasses, functions) get `module: null` and `registered_name` set
 * to their class name, as Keras writes registered custom objects.
 */
export function serializeInitializer(i: Initializer): KerasObjectJSON {
  if (!(i instanceof Initializer)) {
    throw new InvalidArgumentError({ argument: 'initializer', expected: 'an Initializer', received: i, context: 'serializeInitializer' });
  }
  if (isBuiltin(i)) return serializeKerasObject('keras.initializers', i.className, i.getConfig());
  return serializeKerasObject(null, i.className, i.getConfig(), i.className);
}
