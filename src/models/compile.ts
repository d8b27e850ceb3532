/**
 * `compile`'s arguments resolved: the optimizer, the loss, and each output's metrics with the names they are
 * logged under. Model.compile (model.ts) keeps the result.
 */
import { InvalidArgumentError } from '../errors.js';
import { getLoss, type Loss } from '../losses/index.js';
import { getMetric, type Metric } from '../metrics/index.js';
import { getOptimizer, type Optimizer } from '../optimizers/index.js';
import { withArgument } from '../validation.js';

export type OptimizerIdentifier = Parameters<typeof getOptimizer>[0];
export type LossIdentifier = Parameters<typeof getLoss>[0];
export type MetricIdentifier = Parameters<typeof getMetric>[0];

export interface CompileArgs {
  /** An optimizer name (`'adam'`), instance, or Keras serialized JSON. Default `'rmsprop'`, as Keras. */
  optimizer?: OptimizerIdentifier;
  /** A loss name (`'mse'`), instance or Keras serialized JSON. */
  loss: LossIdentifier;
  /** Metrics to report besides the loss, e.g. `['mae']`. */
  metrics?: readonly MetricIdentifier[];
}

/** The resolved compile arguments. */
export interface CompiledState {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  /** Metrics of each output, and the names they are logged under. */
  readonly outputMetrics: readonly (readonly Metric[])[];
  readonly metricNames: readonly (readonly string[])[];
  readonly metrics: readonly Metric[];
}

const COMPILE_KEYS = ['optimizer', 'loss', 'metrics'];

/**
 * Checks `args` and resolves them for a model with `outputCount` outputs (`outputNames` is read only when
 * there are several); errors name `context`.
 */
export function resolveCompileArgs(
  args: CompileArgs,
  outputCount: number,
  outputNames: () => string[],
  context: string,
): CompiledState {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new InvalidArgumentError({
      argument: 'args',
      expected: 'an object { optimizer, loss, metrics }',
      received: args,
      context,
    });
  }
  const unknown = Object.keys(args).filter((k) => !COMPILE_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({
      argument: unknown[0]!,
      expected: `one of the options ${COMPILE_KEYS.join(', ')}`,
      received: unknown[0],
      context,
    });
  }
  if (args.loss === undefined || args.loss === null) {
    throw new InvalidArgumentError({ argument: 'loss', expected: "a loss, e.g. 'mse'", received: args.loss, context });
  }
  const metrics = args.metrics ?? [];
  if (!Array.isArray(metrics)) {
    throw new InvalidArgumentError({
      argument: 'metrics',
      expected: "an array of metrics, e.g. ['mae']",
      received: metrics,
      context,
    });
  }
  const optimizer = withArgument('optimizer', args.optimizer, context, () => getOptimizer(args.optimizer ?? 'rmsprop'));
  const loss = withArgument('loss', args.loss, context, () => getLoss(args.loss));
  // Each output gets its own metric objects (a metric instance itself serves the first output only);
  // with several outputs their logs are named `<output layer>_<metric>`, as Keras names them.
  const outputMetrics = Array.from({ length: outputCount }, (_, i) =>
    metrics
      .filter((m) => i === 0 || typeof m === 'string' || !('update' in (m as object)))
      .map((m) => withArgument(`metrics[${metrics.indexOf(m)}]`, m, context, () => getMetric(m, loss.name))),
  );
  const names = outputCount > 1 ? outputNames() : [''];
  const metricNames = outputMetrics.map((list, i) => list.map((m) => (names[i] ? `${names[i]}_${m.name}` : m.name)));
  return { optimizer, loss, metrics: outputMetrics.flat(), outputMetrics, metricNames };
}
