/** Optimizers: Keras 3's SGD, Adam, AdamW, RMSprop and Adagrad, and `getOptimizer` to resolve identifiers. */
import { UnknownNameError } from '../errors.js';
import { isKerasObjectLike } from '../serialization/serialize-object.js';
import { optimizerFromKeras } from './optimizer-config.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export { Optimizer } from './optimizer.js';
export type { OptimizerOptions, OptimizerConfig, SlotGroup, UpdateContext } from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { Adam } from './adam.js';
export type { AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export type { AdamWOptions } from './adamw.js';
export { RMSprop } from './rmsprop.js';
export type { RMSpropOptions } from './rmsprop.js';
export { Adagrad } from './adagrad.js';
export type { AdagradOptions } from './adagrad.js';

const FACTORIES: ReadonlyMap<string, () => Optimizer> = new Map<string, () => Optimizer>([
  ['sgd', () => new SGD()],
  ['adam', () => new Adam()],
  ['adamw', () => new AdamW()],
  ['rmsprop', () => new RMSprop()],
  ['adagrad', () => new Adagrad()],
]);

/** The optimizer names `getOptimizer` accepts (case-insensitive, as Keras's `optimizers.get`). */
export function listOptimizers(): string[] {
  return [...FACTORIES.keys()];
}

/** The names `getOptimizer` accepts as strings (any case: Keras's lower-case names and class names); `listOptimizers()` gives them at run time. */
export const OPTIMIZER_NAMES = [
  'sgd',
  'adam',
  'adamw',
  'rmsprop',
  'adagrad',
  'SGD',
  'Adam',
  'AdamW',
  'RMSprop',
  'Adagrad',
] as const;

/** A built-in optimizer's name: a literal union, so a misspelt name is a type error. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * Resolves an optimizer identifier as Keras's `optimizers.get`: a name (`'adam'`, `'SGD'`, ...: a new optimizer
 * with Keras's defaults), an `Optimizer` (returned as is), or Keras's serialized JSON (see `optimizerFromKeras`).
 */
export function getOptimizer(identifier: OptimizerName | Optimizer | Record<string, unknown>): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') {
    const factory = FACTORIES.get(identifier.toLowerCase());
    if (factory === undefined) {
      throw new UnknownNameError({
        argument: 'optimizer',
        expected: `an optimizer name, one of ${listOptimizers()
          .map((n) => JSON.stringify(n))
          .join(', ')}, an Optimizer, or its Keras config`,
        received: identifier,
        context: 'getOptimizer',
      });
    }
    return factory();
  }
  if (isKerasObjectLike(identifier)) return optimizerFromKeras(identifier, 'optimizer', 'getOptimizer');
  throw new UnknownNameError({
    argument: 'optimizer',
    expected: `an optimizer name (${listOptimizers().join(', ')}), an Optimizer, or its Keras config { class_name, config }`,
    received: identifier,
    context: 'getOptimizer',
  });
}
export {
  LearningRateSchedule,
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  isLearningRateSchedule,
} from './schedules.js';
export type {
  ExponentialDecayOptions,
  PiecewiseConstantDecayOptions,
  PolynomialDecayOptions,
  InverseTimeDecayOptions,
  CosineDecayOptions,
} from './schedules.js';
