/**
 * Keras's serialized learning-rate schedules, as they appear as an optimizer config's `learning_rate`:
 * `{ module: "keras.optimizers.schedules", class_name: "ExponentialDecay", config: { initial_learning_rate: 0.1,
 * decay_steps: 1000, decay_rate: 0.96, staircase: false, name: "ExponentialDecay" }, registered_name: null }`.
 *
 * Keras writes the config as the schedule was given (the Python values, not float32). Values that Python keeps
 * as floats are written as floats (`0.0`, not `0`): Keras takes a schedule's dtype from its
 * `initial_learning_rate`, so an integer there would make every step's rate an integer.
 */
import { UnknownNameError } from '../errors.js';
import { PythonFloat } from '../io/python-json.js';
import {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  type LearningRateSchedule,
} from './schedules.js';
import {
  ConfigReader,
  configObject,
  describeChoices,
  parseKerasObject,
  type KerasObjectJSON,
} from '../serialization/serialize-object.js';

export const SCHEDULE_MODULE = 'keras.optimizers.schedules';

type Kind = 'float' | 'floatOrNull' | 'number' | 'boolean' | 'string' | 'floatList' | 'numberList';

interface Field {
  readonly option: string;
  readonly key: string;
  readonly kind: Kind;
}

interface ScheduleClass {
  readonly className: string;
  readonly fields: readonly Field[];
  readonly create: (options: Record<string, unknown>) => LearningRateSchedule;
}

const f = (option: string, key: string, kind: Kind): Field => ({ option, key, kind });

const CLASSES: readonly ScheduleClass[] = [
  {
    className: 'ExponentialDecay',
    fields: [
      f('initialLearningRate', 'initial_learning_rate', 'float'),
      f('decaySteps', 'decay_steps', 'number'),
      f('decayRate', 'decay_rate', 'float'),
      f('staircase', 'staircase', 'boolean'),
      f('name', 'name', 'string'),
    ],
    create: (o) => new ExponentialDecay(o as never),
  },
  {
    className: 'PiecewiseConstantDecay',
    fields: [
      f('boundaries', 'boundaries', 'numberList'),
      f('values', 'values', 'floatList'),
      f('name', 'name', 'string'),
    ],
    create: (o) => new PiecewiseConstantDecay(o as never),
  },
  {
    className: 'PolynomialDecay',
    fields: [
      f('initialLearningRate', 'initial_learning_rate', 'float'),
      f('decaySteps', 'decay_steps', 'number'),
      f('endLearningRate', 'end_learning_rate', 'float'),
      f('power', 'power', 'float'),
      f('cycle', 'cycle', 'boolean'),
      f('name', 'name', 'string'),
    ],
    create: (o) => new PolynomialDecay(o as never),
  },
  {
    className: 'InverseTimeDecay',
    fields: [
      f('initialLearningRate', 'initial_learning_rate', 'float'),
      f('decaySteps', 'decay_steps', 'number'),
      f('decayRate', 'decay_rate', 'float'),
      f('staircase', 'staircase', 'boolean'),
      f('name', 'name', 'string'),
    ],
    create: (o) => new InverseTimeDecay(o as never),
  },
  {
    className: 'CosineDecay',
    fields: [
      f('initialLearningRate', 'initial_learning_rate', 'float'),
      f('decaySteps', 'decay_steps', 'number'),
      f('alpha', 'alpha', 'float'),
      f('name', 'name', 'string'),
      f('warmupTarget', 'warmup_target', 'floatOrNull'),
      f('warmupSteps', 'warmup_steps', 'number'),
    ],
    create: (o) => new CosineDecay(o as never),
  },
];

/** The schedule classes read and written. */
export const KERAS_SCHEDULE_CLASSES: readonly string[] = CLASSES.map((c) => c.className);

const unwrap = (value: unknown): unknown =>
  value instanceof PythonFloat ? value.value : Array.isArray(value) ? value.map(unwrap) : value;

/** A schedule from Keras's serialized form (Keras 3, or Keras 2 without `module`). */
export function scheduleFromKeras(
  json: unknown,
  argument = 'learning_rate',
  context = 'scheduleFromKeras',
): LearningRateSchedule {
  const parsed = parseKerasObject(json, argument, context);
  const cls = CLASSES.find((c) => c.className === parsed.className);
  if (cls === undefined) {
    throw new UnknownNameError({
      argument: `${argument}.class_name`,
      expected: `a learning-rate schedule, ${describeChoices(KERAS_SCHEDULE_CLASSES)}`,
      received: parsed.className,
      context,
    });
  }
  const raw = configObject(parsed, argument, context);
  const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, unwrap(v)]));
  const reader = new ConfigReader(config, argument, cls.className, context);
  const options: Record<string, unknown> = {};
  for (const field of cls.fields) {
    const value = reader.raw(field.key);
    // Present values go to the constructor, which checks them and names the option at fault.
    if (value !== undefined && !(value === null && field.kind !== 'floatOrNull')) options[field.option] = value;
  }
  reader.finish();
  return cls.create(options);
}

const pyFloat = (value: unknown): unknown =>
  typeof value === 'number' && Number.isInteger(value) ? new PythonFloat(value) : value;

/** Keras 3's serialized form of a schedule (Python floats marked, see the module comment). */
export function scheduleToKeras(schedule: LearningRateSchedule): KerasObjectJSON {
  const cls = CLASSES.find((c) => c.className === schedule.className);
  if (cls === undefined) {
    throw new UnknownNameError({
      argument: 'learningRate',
      expected: `a built-in learning-rate schedule, ${describeChoices(KERAS_SCHEDULE_CLASSES)}`,
      received: schedule.className,
      context: 'scheduleToKeras',
    });
  }
  const options = schedule.getConfig();
  const config: Record<string, unknown> = {};
  for (const field of cls.fields) {
    const value = options[field.option] ?? null;
    if (field.kind === 'float' || field.kind === 'floatOrNull') config[field.key] = pyFloat(value);
    else if (field.kind === 'floatList') config[field.key] = (value as number[]).map(pyFloat);
    else config[field.key] = Array.isArray(value) ? [...value] : value;
  }
  return { module: SCHEDULE_MODULE, class_name: cls.className, config, registered_name: null };
}
