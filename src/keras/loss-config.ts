/**
 * Keras's serialized losses and metrics, as they appear in a `.keras` file's `compile_config`: a string when
 * compile was given a string (`"mse"`, `"accuracy"`), else `{ module: "keras.losses" | "keras.metrics",
 * class_name, config, registered_name: null }` with Keras 3's config keys in Keras's order.
 *
 * One deliberate difference: Keras's `Huber.get_config()` drops `delta` (a reloaded Huber gets δ = 1); we write
 * `delta` when it is not 1, which Keras's `Huber(**config)` also reads.
 */
import { InvalidArgumentError, UnknownNameError } from '../errors.js';
import { getLoss, type LossName } from '../losses/index.js';
import { LossFunction, type Loss } from '../losses/loss.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
} from '../losses/probabilistic.js';
import { CategoricalHinge, Hinge, SquaredHinge } from '../losses/hinge.js';
import {
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from '../losses/regression.js';
import { getMetric, type MetricName } from '../metrics/index.js';
import * as metrics from '../metrics/index.js';
import type { Metric } from '../metrics/metric.js';
import {
  ConfigReader,
  configObject,
  describeChoices,
  parseKerasObject,
  type KerasObjectJSON,
} from '../serialization/serialize-object.js';

type Reader = ConfigReader;

interface LossClass {
  readonly create: (r: Reader, name: string | undefined, reduction: unknown) => LossFunction;
  readonly config: (loss: LossFunction) => Record<string, unknown>;
}

function reductionToKeras(loss: LossFunction): string {
  return loss.reduction;
}

function readReduction(r: Reader): unknown {
  const v = r.raw('reduction');
  if (v === undefined) return undefined;
  return v === null ? 'none' : v;
}

const plain = (make: (o: { name?: string; reduction?: never }) => LossFunction): LossClass => ({
  create: (_r, name, reduction) => make({ name, reduction: reduction as never }),
  config: () => ({}),
});

const LOSS_CLASSES: Readonly<Record<string, LossClass>> = {
  MeanSquaredError: plain((o) => new MeanSquaredError(o)),
  MeanAbsoluteError: plain((o) => new MeanAbsoluteError(o)),
  MeanAbsolutePercentageError: plain((o) => new MeanAbsolutePercentageError(o)),
  MeanSquaredLogarithmicError: plain((o) => new MeanSquaredLogarithmicError(o)),
  LogCosh: plain((o) => new LogCosh(o)),
  KLDivergence: plain((o) => new KLDivergence(o)),
  Poisson: plain((o) => new Poisson(o)),
  Hinge: plain((o) => new Hinge(o)),
  SquaredHinge: plain((o) => new SquaredHinge(o)),
  CategoricalHinge: plain((o) => new CategoricalHinge(o)),
  Huber: {
    create: (r, name, reduction) => new Huber({ name, reduction: reduction as never, delta: r.number('delta', 1) }),
    config: (loss) => ((loss as Huber).delta === 1 ? {} : { delta: (loss as Huber).delta }),
  },
  BinaryCrossentropy: {
    create: (r, name, reduction) =>
      new BinaryCrossentropy({
        name,
        reduction: reduction as never,
        fromLogits: r.boolean('from_logits', false),
        labelSmoothing: r.number('label_smoothing', 0),
        axis: r.integerOrNull('axis', -1) ?? -1,
      }),
    config: (loss) => {
      const l = loss as BinaryCrossentropy;
      return { from_logits: l.fromLogits, label_smoothing: l.labelSmoothing, axis: l.axis };
    },
  },
  CategoricalCrossentropy: {
    create: (r, name, reduction) =>
      new CategoricalCrossentropy({
        name,
        reduction: reduction as never,
        fromLogits: r.boolean('from_logits', false),
        labelSmoothing: r.number('label_smoothing', 0),
        axis: r.integerOrNull('axis', -1) ?? -1,
      }),
    config: (loss) => {
      const l = loss as CategoricalCrossentropy;
      return { from_logits: l.fromLogits, label_smoothing: l.labelSmoothing, axis: l.axis };
    },
  },
  SparseCategoricalCrossentropy: {
    create: (r, name, reduction) => {
      const axis = r.integerOrNull('axis', -1);
      if (axis !== null && axis !== -1) {
        throw new InvalidArgumentError({
          argument: 'loss.config.axis',
          expected: '-1 (classes last)',
          received: axis,
          context: 'lossFromKeras',
        });
      }
      return new SparseCategoricalCrossentropy({
        name,
        reduction: reduction as never,
        fromLogits: r.boolean('from_logits', false),
        ignoreClass: r.integerOrNull('ignore_class', null),
      });
    },
    config: (loss) => {
      const l = loss as SparseCategoricalCrossentropy;
      return { from_logits: l.fromLogits, ignore_class: l.ignoreClass };
    },
  },
};

/**
 * Keras's serialized form of a loss: a `LossFunction` becomes `{ module: "keras.losses", ... }`. A loss that
 * compile resolved from a string is better saved as that string; pass the string through instead.
 */
export function lossToKeras(loss: Loss): KerasObjectJSON {
  const cls = loss instanceof LossFunction ? LOSS_CLASSES[loss.className] : undefined;
  if (!(loss instanceof LossFunction) || cls === undefined) {
    throw new InvalidArgumentError({
      argument: 'loss',
      expected: `a built-in loss class (${Object.keys(LOSS_CLASSES).join(', ')})`,
      received: loss,
      context: 'lossToKeras',
    });
  }
  return {
    module: 'keras.losses',
    class_name: loss.className,
    config: { name: loss.name, reduction: reductionToKeras(loss), ...cls.config(loss) },
    registered_name: null,
  };
}

/** A loss from Keras's serialized form: a name string (as `getLoss`) or a serialized loss object. */
export function lossFromKeras(json: unknown, argument = 'loss', context = 'lossFromKeras'): Loss {
  if (typeof json === 'string') return getLoss(json as LossName); // a file's name: getLoss checks it at run time
  const parsed = parseKerasObject(json, argument, context);
  const cls = LOSS_CLASSES[parsed.className];
  if (cls === undefined) {
    throw new UnknownNameError({
      argument: `${argument}.class_name`,
      expected: `a loss class, ${describeChoices(Object.keys(LOSS_CLASSES))}`,
      received: parsed.className,
      context,
    });
  }
  const r = new ConfigReader(configObject(parsed, argument, context), argument, parsed.className, context);
  const nameValue = r.raw('name');
  const name = nameValue === undefined || nameValue === null ? undefined : r.string('name', '');
  const loss = cls.create(r, name, readReduction(r));
  r.finish();
  return loss;
}

interface MetricClass {
  readonly create: (r: Reader, name: string | undefined) => Metric;
  readonly config: (metric: Metric) => Record<string, unknown>;
}

const simpleMetric = (make: (o: { name?: string }) => Metric): MetricClass => ({
  create: (_r, name) => make({ name }),
  config: () => ({}),
});

const METRIC_CLASSES: Readonly<Record<string, MetricClass>> = {
  Accuracy: simpleMetric((o) => new metrics.Accuracy(o)),
  CategoricalAccuracy: simpleMetric((o) => new metrics.CategoricalAccuracy(o)),
  SparseCategoricalAccuracy: simpleMetric((o) => new metrics.SparseCategoricalAccuracy(o)),
  MeanSquaredError: simpleMetric((o) => new metrics.MeanSquaredError(o)),
  MeanAbsoluteError: simpleMetric((o) => new metrics.MeanAbsoluteError(o)),
  BinaryAccuracy: {
    create: (r, name) => new metrics.BinaryAccuracy({ name, threshold: r.number('threshold', 0.5) }),
    config: (m) => ({ threshold: (m as metrics.BinaryAccuracy).threshold }),
  },
  BinaryCrossentropy: {
    create: (r, name) =>
      new metrics.BinaryCrossentropy({
        name,
        fromLogits: r.boolean('from_logits', false),
        labelSmoothing: r.number('label_smoothing', 0),
      }),
    config: (m) => {
      const c = m as metrics.BinaryCrossentropy;
      return { from_logits: c.fromLogits, label_smoothing: c.labelSmoothing };
    },
  },
  CategoricalCrossentropy: {
    create: (r, name) =>
      new metrics.CategoricalCrossentropy({
        name,
        fromLogits: r.boolean('from_logits', false),
        labelSmoothing: r.number('label_smoothing', 0),
        axis: r.integerOrNull('axis', -1) ?? -1,
      }),
    config: (m) => {
      const c = m as metrics.CategoricalCrossentropy;
      return { from_logits: c.fromLogits, label_smoothing: c.labelSmoothing, axis: c.axis };
    },
  },
  SparseCategoricalCrossentropy: {
    create: (r, name) => {
      const axis = r.integerOrNull('axis', -1);
      if (axis !== null && axis !== -1) {
        throw new InvalidArgumentError({
          argument: 'metric.config.axis',
          expected: '-1 (classes last)',
          received: axis,
          context: 'metricFromKeras',
        });
      }
      return new metrics.SparseCategoricalCrossentropy({
        name,
        fromLogits: r.boolean('from_logits', false),
        ignoreClass: r.integerOrNull('ignore_class', null),
      });
    },
    config: (m) => {
      const c = m as metrics.SparseCategoricalCrossentropy;
      return { from_logits: c.fromLogits, ignore_class: c.ignoreClass, axis: -1 };
    },
  },
};

/** Keras's serialized form of a built-in metric (`dtype` is always float32, Keras's metric dtype). */
export function metricToKeras(metric: Metric): KerasObjectJSON {
  const className = metric instanceof metrics.MeanMetricWrapper ? metric.className : undefined;
  const cls = className === undefined ? undefined : METRIC_CLASSES[className];
  if (className === undefined || cls === undefined) {
    throw new InvalidArgumentError({
      argument: 'metric',
      expected: `a built-in metric class (${Object.keys(METRIC_CLASSES).join(', ')}); save string metrics such as "accuracy" as strings`,
      received: metric,
      context: 'metricToKeras',
    });
  }
  return {
    module: 'keras.metrics',
    class_name: className,
    config: { name: metric.name, dtype: 'float32', ...cls.config(metric) },
    registered_name: null,
  };
}

/** A metric from Keras's serialized form: a name string (as `getMetric`) or a serialized metric object. */
export function metricFromKeras(json: unknown, argument = 'metric', context = 'metricFromKeras'): Metric {
  if (typeof json === 'string') return getMetric(json as MetricName); // a file's name: getMetric checks it at run time
  const parsed = parseKerasObject(json, argument, context);
  const cls = METRIC_CLASSES[parsed.className];
  if (cls === undefined) {
    throw new UnknownNameError({
      argument: `${argument}.class_name`,
      expected: `a metric class, ${describeChoices(Object.keys(METRIC_CLASSES))}`,
      received: parsed.className,
      context,
    });
  }
  const r = new ConfigReader(configObject(parsed, argument, context), argument, parsed.className, context);
  const nameValue = r.raw('name');
  const name = nameValue === undefined || nameValue === null ? undefined : r.string('name', '');
  const dtype = r.raw('dtype');
  if (dtype !== undefined && dtype !== null && dtype !== 'float32') {
    throw new InvalidArgumentError({
      argument: `${argument}.config.dtype`,
      expected: '"float32"',
      received: dtype,
      context,
    });
  }
  const metric = cls.create(r, name);
  r.finish();
  return metric;
}
