/**
 * Keras's serialized optimizer: `{ module: "keras.optimizers", class_name: "Adam", config: {...},
 * registered_name: null }`, read and written exactly as Keras 3 does (same keys, same order). The config's
 * `learning_rate` is the float32 value widened to double (0.001 is written 0.0010000000474974513), or the
 * serialized learning-rate schedule (see schedule-config.ts).
 *
 * Reading takes the class name case-insensitively (as `keras.optimizers.deserialize`), ignores the obsolete
 * `decay` (Keras 3 warns and ignores it) and tf.keras's `jit_compile` / `is_legacy_optimizer`, and rejects
 * other unknown keys, as Keras's `cls(**config)` does.
 */
import { UnknownNameError } from '../errors.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import { scheduleFromKeras, scheduleToKeras } from './schedule-config.js';
import {
  ConfigReader,
  configObject,
  describeChoices,
  parseKerasObject,
  type KerasObjectJSON,
} from '../serialization/serialize-object.js';

type Kind = 'number' | 'numberOrNull' | 'integerOrNull' | 'boolean' | 'string';

/** One config field: its camelCase option, its Keras key, and how to read it. */
interface Field {
  readonly option: string;
  readonly key: string;
  readonly kind: Kind;
}

const BASE_FIELDS: readonly Field[] = [
  { option: 'name', key: 'name', kind: 'string' },
  { option: 'learningRate', key: 'learning_rate', kind: 'number' },
  { option: 'weightDecay', key: 'weight_decay', kind: 'numberOrNull' },
  { option: 'clipnorm', key: 'clipnorm', kind: 'numberOrNull' },
  { option: 'globalClipnorm', key: 'global_clipnorm', kind: 'numberOrNull' },
  { option: 'clipvalue', key: 'clipvalue', kind: 'numberOrNull' },
  { option: 'useEma', key: 'use_ema', kind: 'boolean' },
  { option: 'emaMomentum', key: 'ema_momentum', kind: 'number' },
  { option: 'emaOverwriteFrequency', key: 'ema_overwrite_frequency', kind: 'integerOrNull' },
  { option: 'lossScaleFactor', key: 'loss_scale_factor', kind: 'numberOrNull' },
  { option: 'gradientAccumulationSteps', key: 'gradient_accumulation_steps', kind: 'integerOrNull' },
];

const ADAM_FIELDS: readonly Field[] = [
  { option: 'beta1', key: 'beta_1', kind: 'number' },
  { option: 'beta2', key: 'beta_2', kind: 'number' },
  { option: 'epsilon', key: 'epsilon', kind: 'number' },
  { option: 'amsgrad', key: 'amsgrad', kind: 'boolean' },
];

interface OptimizerClass {
  readonly className: string;
  readonly fields: readonly Field[];
  readonly create: (options: Record<string, unknown>) => Optimizer;
}

const CLASSES: readonly OptimizerClass[] = [
  {
    className: 'SGD',
    fields: [
      { option: 'momentum', key: 'momentum', kind: 'number' },
      { option: 'nesterov', key: 'nesterov', kind: 'boolean' },
    ],
    create: (o) => new SGD(o),
  },
  { className: 'Adam', fields: ADAM_FIELDS, create: (o) => new Adam(o) },
  { className: 'AdamW', fields: ADAM_FIELDS, create: (o) => new AdamW(o) },
  {
    className: 'RMSprop',
    fields: [
      { option: 'rho', key: 'rho', kind: 'number' },
      { option: 'momentum', key: 'momentum', kind: 'number' },
      { option: 'epsilon', key: 'epsilon', kind: 'number' },
      { option: 'centered', key: 'centered', kind: 'boolean' },
    ],
    create: (o) => new RMSprop(o),
  },
  {
    className: 'Adagrad',
    fields: [
      { option: 'initialAccumulatorValue', key: 'initial_accumulator_value', kind: 'number' },
      { option: 'epsilon', key: 'epsilon', kind: 'number' },
    ],
    create: (o) => new Adagrad(o),
  },
];

/** Keys Keras 3 or tf.keras wrote that carry nothing we use. */
const IGNORED_KEYS: readonly string[] = ['decay', 'jit_compile', 'is_legacy_optimizer'];

/** The Keras class names we read and write. */
export const KERAS_OPTIMIZER_CLASSES: readonly string[] = CLASSES.map((c) => c.className);

function classFor(className: string): OptimizerClass | undefined {
  const lower = className.toLowerCase();
  return CLASSES.find((c) => c.className.toLowerCase() === lower);
}

/** Builds an optimizer from Keras's serialized form (Keras 3, or Keras 2 without `module`). */
export function optimizerFromKeras(json: unknown, argument = 'optimizer', context = 'optimizerFromKeras'): Optimizer {
  const parsed = parseKerasObject(json, argument, context);
  const cls = classFor(parsed.className);
  if (cls === undefined) {
    throw new UnknownNameError({
      argument: `${argument}.class_name`,
      expected: `an optimizer class, ${describeChoices(KERAS_OPTIMIZER_CLASSES)}`,
      received: parsed.className,
      context,
    });
  }
  const config = configObject(parsed, argument, context);
  // A learning-rate schedule is a serialized object of its own.
  const learningRate = config['learning_rate'];
  const schedule =
    learningRate !== null && typeof learningRate === 'object'
      ? scheduleFromKeras(learningRate, `${argument}.config.learning_rate`, context)
      : null;
  const reader = new ConfigReader(config, argument, cls.className, context);
  const options: Record<string, unknown> = {};
  if (schedule !== null) options.learningRate = schedule;
  for (const field of [...BASE_FIELDS, ...cls.fields]) {
    if (!(field.key in config) || (schedule !== null && field.key === 'learning_rate')) {
      reader.raw(field.key);
      continue;
    }
    switch (field.kind) {
      case 'number': {
        const v = reader.raw(field.key);
        if (v !== null) options[field.option] = reader.number(field.key, 0);
        break;
      }
      case 'numberOrNull':
        options[field.option] = reader.numberOrNull(field.key, null);
        break;
      case 'integerOrNull':
        options[field.option] = reader.integerOrNull(field.key, null);
        break;
      case 'boolean': {
        const v = reader.raw(field.key);
        if (v !== null) options[field.option] = reader.boolean(field.key, false);
        break;
      }
      case 'string': {
        const v = reader.raw(field.key);
        if (v !== null) options[field.option] = reader.string(field.key, '');
        break;
      }
    }
  }
  for (const key of IGNORED_KEYS) reader.raw(key);
  reader.finish();
  return cls.create(options);
}

/** Keras 3's serialized form of `optimizer`, keys in Keras's order. */
export function optimizerToKeras(optimizer: Optimizer): KerasObjectJSON {
  const cls = classFor(optimizer.className);
  if (cls === undefined) {
    throw new UnknownNameError({
      argument: 'optimizer.className',
      expected: `an optimizer class, ${describeChoices(KERAS_OPTIMIZER_CLASSES)}`,
      received: optimizer.className,
      context: 'optimizerToKeras',
    });
  }
  const options = optimizer.getConfig();
  const config: Record<string, unknown> = {};
  for (const field of [...BASE_FIELDS, ...cls.fields]) config[field.key] = options[field.option] ?? null;
  if (optimizer.learningRateSchedule !== null) config.learning_rate = scheduleToKeras(optimizer.learningRateSchedule);
  return { module: 'keras.optimizers', class_name: cls.className, config, registered_name: null };
}
