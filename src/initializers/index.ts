/**
 * Keras 3's initializers (`keras.initializers`): the classes, `getInitializer` (names, objects, functions,
 * serialized configs) and `serializeInitializer` (Keras 3's serialized form).
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { Registry, snakeCaseNames, type RegisteredClass } from '../serialization/registry.js';
import { describeChoices, toSnakeCase, type KerasObjectJSON } from '../serialization/serialize-object.js';
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

/** The names `getInitializer` accepts as strings (class names, their snake_case forms and Keras's aliases); `listInitializers()` gives the same at run time. */
export const INITIALIZER_NAMES = [
  'Zeros',
  'zeros',
  'Ones',
  'ones',
  'Constant',
  'constant',
  'Identity',
  'identity',
  'RandomNormal',
  'random_normal',
  'TruncatedNormal',
  'truncated_normal',
  'RandomUniform',
  'random_uniform',
  'VarianceScaling',
  'variance_scaling',
  'GlorotUniform',
  'glorot_uniform',
  'GlorotNormal',
  'glorot_normal',
  'LecunNormal',
  'lecun_normal',
  'LecunUniform',
  'lecun_uniform',
  'HeNormal',
  'he_normal',
  'HeUniform',
  'he_uniform',
  'Orthogonal',
  'orthogonal',
  'IdentityInitializer',
  'OrthogonalInitializer',
  'normal',
  'uniform',
  'one',
  'zero',
] as const;

/** A built-in initializer's name: a literal union, so a misspelt name is a type error. */
export type InitializerName = (typeof INITIALIZER_NAMES)[number];

export type InitializerIdentifier =
  InitializerName | Initializer | InitializerFunction | { class_name: string; config?: Record<string, unknown> };

/** Keras 3 class name → class (listed explicitly: building instances here would draw seeds on import). */
const BY_CLASS_NAME: ReadonlyMap<string, RegisteredClass<Initializer>> = new Map<string, RegisteredClass<Initializer>>([
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
const NAMES = snakeCaseNames(BY_CLASS_NAME.keys(), [
  ['IdentityInitializer', 'Identity'],
  ['OrthogonalInitializer', 'Orthogonal'],
  ['normal', 'RandomNormal'],
  ['uniform', 'RandomUniform'],
  ['one', 'Ones'],
  ['zero', 'Zeros'],
]);

/** The snake_case class names, all of them suggested for an unknown name. */
const SUGGESTIONS = [...BY_CLASS_NAME.keys()].map(toSnakeCase);

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

const INITIALIZERS = new Registry<Initializer, InitializerFunction>({
  module: 'keras.initializers',
  base: Initializer,
  classes: BY_CLASS_NAME,
  names: NAMES,
  fromFunction: (fn, argument) => new FunctionInitializer(fn, argument),
  argument: 'initializer',
  expected: {
    name: `an initializer name, ${describeChoices(SUGGESTIONS, SUGGESTIONS.length)}`,
    identifier: 'an initializer name, an Initializer, a function (shape, dtype) => Tensor, or a serialized initializer',
    instance: 'an Initializer',
  },
});

/** The names `getInitializer` accepts as strings. */
export function listInitializers(): InitializerName[] {
  return INITIALIZERS.names() as InitializerName[];
}

/**
 * Resolves an initializer as `keras.initializers.get` does: a name (`'glorot_uniform'` or `'GlorotUniform'`,
 * plus Keras's aliases), an Initializer (returned as is), a function `(shape, dtype) => Tensor`, or a
 * serialized object (Keras 3 form, or Keras 2's without `module`). Strings and configs build a new instance.
 */
export function getInitializer(
  identifier: InitializerIdentifier,
  argument = 'initializer',
  context?: string,
): Initializer {
  return INITIALIZERS.get(identifier, argument, context);
}

/**
 * Keras 3's serialized form: `{ module: 'keras.initializers', class_name, config, registered_name: null }`.
 * Initializers that are not built in (subclasses, functions) get `module: null` and `registered_name` set
 * to their class name, as Keras writes registered custom objects.
 */
export function serializeInitializer(i: Initializer): KerasObjectJSON {
  return INITIALIZERS.serialize(i, 'serializeInitializer');
}
