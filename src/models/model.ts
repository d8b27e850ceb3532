/**
 * `Model`: what every model shares (Keras's `Model` + `Trainer`): its layers' weights in Keras order,
 * `compile`, and the training API — `fit`, `evaluate`, `predict`, `trainOnBatch`, ... (in training.ts) — and
 * `summary`. A subclass (`Sequential`) says how the layers are chained.
 */
import { InvalidArgumentError, NotBuiltError } from '../errors.js';
import type { LayerCallOptions } from '../layers/callable.js';
import { Layer, type LayerWeight } from '../layers/layer.js';
import { getLoss, type Loss } from '../losses/index.js';
import { getMetric, type Metric } from '../metrics/index.js';
import { getOptimizer, type Optimizer } from '../optimizers/index.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { History } from './callbacks.js';
import type { DataArg } from './data.js';
import { summaryLines, type SummaryOptions, type SummaryRow } from './summary.js';
import * as training from './training.js';
import type { EvaluateOptions, FitOptions, PredictOptions } from './training.js';

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
  readonly metrics: readonly Metric[];
}

/** A forward pass: the output and the mask that comes with it (null when none). */
export interface ModelOutput {
  output: Tensor;
  mask: Tensor | null;
}

export interface ModelArgs {
  name?: string;
  trainable?: boolean;
}

const COMPILE_KEYS = ['optimizer', 'loss', 'metrics'];

export abstract class Model extends Layer {
  /** Set to true (by a callback) to end `fit` after the current batch. */
  stopTraining = false;
  /** The History of the latest `fit`. */
  history: History | null = null;
  protected compiledState: CompiledState | null = null;

  constructor(args: ModelArgs, className: string) {
    super({ name: args.name, trainable: args.trainable }, className);
  }

  /** The layers, in order (the input layer excluded, as Keras's `model.layers`). */
  abstract get layers(): Layer[];

  /** Runs the model on `inputs` (inference mode unless `training`). */
  abstract apply(inputs: Tensor | TensorLike, options?: LayerCallOptions): Tensor;

  /** Runs the model, returning the output with its mask (a masked output's loss skips the masked steps). */
  abstract forward(inputs: Tensor | TensorLike, options?: LayerCallOptions): ModelOutput;

  /** `x` as a tensor checked against the model's input (shape, dtype); throws a ShapeError naming `argument`. */
  abstract prepareInputs(x: DataArg, argument: string, context: string): Tensor;

  /** One summary row per layer, with its output shape. */
  protected abstract summaryRows(): SummaryRow[];

  // ---- weights, in Keras's model order: each layer's weights in turn.

  override get trackedWeights(): LayerWeight[] {
    return this.layers.flatMap((l) => l.trackedWeights);
  }

  override get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? this.layers.flatMap((l) => l.trainableWeights) : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.layers.flatMap((l) => l.nonTrainableWeights) : this.weights;
  }

  /** Every layer's losses (activity regularization of the latest call, weight regularization). */
  override get losses(): Tensor[] {
    return this.layers.flatMap((l) => l.losses);
  }

  override applyConstraints(): void {
    for (const layer of this.layers) layer.applyConstraints();
  }

  // ---- compile

  /** Configures training: the optimizer, the loss and the metrics. Can be called again to change them. */
  compile(args: CompileArgs): void {
    const context = `${this.className} '${this.name}'.compile`;
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new InvalidArgumentError({ argument: 'args', expected: 'an object { optimizer, loss, metrics }', received: args, context });
    }
    const unknown = Object.keys(args).filter((k) => !COMPILE_KEYS.includes(k));
    if (unknown.length > 0) {
      throw new InvalidArgumentError({ argument: unknown[0]!, expected: `one of the options ${COMPILE_KEYS.join(', ')}`, received: unknown[0], context });
    }
    if (args.loss === undefined || args.loss === null) {
      throw new InvalidArgumentError({ argument: 'loss', expected: "a loss, e.g. 'mse'", received: args.loss, context });
    }
    const metrics = args.metrics ?? [];
    if (!Array.isArray(metrics)) {
      throw new InvalidArgumentError({ argument: 'metrics', expected: "an array of metrics, e.g. ['mae']", received: metrics, context });
    }
    const optimizer = getOptimizer(args.optimizer ?? 'rmsprop');
    const loss = getLoss(args.loss);
    this.compiledState = { optimizer, loss, metrics: metrics.map((m) => getMetric(m, loss.name)) };
  }

  get compiled(): boolean {
    return this.compiledState !== null;
  }

  /** The compiled optimizer, or null before `compile`. */
  get optimizer(): Optimizer | null {
    return this.compiledState?.optimizer ?? null;
  }

  /** The compiled loss, or null before `compile`. */
  get loss(): Loss | null {
    return this.compiledState?.loss ?? null;
  }

  /** The compiled metrics (without the loss). */
  get metrics(): readonly Metric[] {
    return this.compiledState?.metrics ?? [];
  }

  /** The names of the logged values: `loss`, then the metrics. */
  get metricsNames(): string[] {
    return ['loss', ...this.metrics.map((m) => m.name)];
  }

  /** @internal The compile state, or NotBuiltError naming `what`. */
  requireCompiled(what: string): CompiledState {
    if (this.compiledState === null) {
      throw new NotBuiltError(
        `${this.className} '${this.name}'.${what}: the model must be compiled first; call compile({ optimizer, loss })`,
      );
    }
    return this.compiledState;
  }

  // ---- training API (training.ts)

  /**
   * One gradient step on one batch: forward in training mode, loss = compiled loss + the layers' losses, the
   * optimizer's update, then the weight constraints. Returns the loss of the forward pass (before the update),
   * or `{ loss, ...metrics }` with `returnDict`.
   */
  trainOnBatch(x: DataArg, y: DataArg): number;
  trainOnBatch(x: DataArg, y: DataArg, options: { returnDict: true }): Record<string, number>;
  trainOnBatch(x: DataArg, y: DataArg, options?: { returnDict?: boolean }): number | Record<string, number>;
  trainOnBatch(x: DataArg, y: DataArg, options: { returnDict?: boolean } = {}): number | Record<string, number> {
    const logs = training.trainOnBatch(this, x, y);
    return options.returnDict === true ? logs : logs.loss!;
  }

  /** The loss (and metrics, with `returnDict`) on one batch, in inference mode, without updating anything. */
  testOnBatch(x: DataArg, y: DataArg): number;
  testOnBatch(x: DataArg, y: DataArg, options: { returnDict: true }): Record<string, number>;
  testOnBatch(x: DataArg, y: DataArg, options?: { returnDict?: boolean }): number | Record<string, number>;
  testOnBatch(x: DataArg, y: DataArg, options: { returnDict?: boolean } = {}): number | Record<string, number> {
    const logs = training.testOnBatch(this, x, y);
    return options.returnDict === true ? logs : logs.loss!;
  }

  /** The model's output for one batch, in inference mode. */
  predictOnBatch(x: DataArg): Tensor {
    return training.predict(this, x, { batchSize: Number.MAX_SAFE_INTEGER });
  }

  /** The model's output for `x`, computed in batches of `batchSize` (default 32), in inference mode. */
  predict(x: DataArg, options: PredictOptions = {}): Tensor {
    return training.predict(this, x, options);
  }

  /**
   * The loss over `x`, `y` in inference mode (the mean over samples), or `{ loss, ...metrics }` with
   * `returnDict`.
   */
  evaluate(x: DataArg, y: DataArg, options?: EvaluateOptions & { returnDict?: false }): number;
  evaluate(x: DataArg, y: DataArg, options: EvaluateOptions & { returnDict: true }): Record<string, number>;
  evaluate(x: DataArg, y: DataArg, options?: EvaluateOptions & { returnDict?: boolean }): number | Record<string, number>;
  evaluate(x: DataArg, y: DataArg, options: EvaluateOptions & { returnDict?: boolean } = {}): number | Record<string, number> {
    const { returnDict, ...rest } = options ?? {};
    const logs = training.evaluate(this, x, y, rest);
    return returnDict === true ? logs : logs.loss!;
  }

  /** Trains for `epochs` passes over the data; see `FitOptions`. Returns the History of the run. */
  fit(x: DataArg, y: DataArg, options: FitOptions = {}): History {
    return training.fit(this, x, y, options);
  }

  // ---- summary

  /**
   * Prints Keras 3's summary table (layers, output shapes, parameter counts and totals), one line per call of
   * `printFn` (default: `console.log`).
   */
  summary(printFn: (line: string) => void = (line) => console.log(line), options: SummaryOptions = {}): void {
    for (const line of this.summaryLines(options)) printFn(line);
  }

  /** The summary as lines of text. */
  summaryLines(options: SummaryOptions = {}): string[] {
    const optimizer = this.compiledState?.optimizer;
    const optimizerVariables =
      optimizer !== undefined && optimizer.built
        ? optimizer.getWeights().map((w, i) => ({ shape: w.shape, dtype: w.dtype, name: i === 0 ? 'iterations' : undefined }))
        : null;
    return summaryLines(
      {
        name: this.name,
        trainableWeights: this.trainableWeights,
        nonTrainableWeights: this.nonTrainableWeights,
        optimizerVariables,
      },
      this.summaryRows(),
      options,
    );
  }
}
