/**
 * `Model`: what every model shares (Keras's `Model` + `Trainer`): its layers' weights in Keras order,
 * `compile`, and the training API — `fit`, `evaluate`, `predict`, `trainOnBatch`, ... (in training.ts) — and
 * `summary`. A subclass (`Sequential`) says how the layers are chained. The class is the public surface; the
 * work is beside it: graph.ts builds a functional graph and run-graph.ts runs it, compile.ts resolves
 * `compile`'s arguments, training.ts runs the loops, summary.ts writes the table, and the file and ONNX methods
 * go through model-services.ts to src/keras and src/onnx.
 */
import { NotBuiltError } from '../errors.js';
import { Layer, type CallOptions, type LayerWeight, type Shape } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { History } from './callbacks.js';
import { resolveCompileArgs, type CompileArgs, type CompiledState } from './compile.js';
import type { DataInput } from './data.js';
import { buildGraph, type FunctionalGraph } from './graph.js';
import { graphInputsFromData, runGraph, type ModelOutput } from './run-graph.js';
import { translatorOf } from '../layers/translators.js';
import type { ByteSource } from '../io/source.js';
import {
  modelService,
  type ExportOnnxOptions,
  type LoadWeightsOptions,
  type ModelFileInfo,
  type SaveOptions,
  type TfjsFiles,
} from './model-services.js';
import { summaryLines, type SummaryOptions, type SummaryRow } from './summary.js';
import * as training from './training.js';
import type { EvaluateOptions, PredictOptions } from './training.js';
import { fit, fitSync, type FitOptions } from './fit-loop.js';
import { runAsync } from './steps.js';

export type { CompileArgs, CompiledState, LossIdentifier, MetricIdentifier, OptimizerIdentifier } from './compile.js';
export type { ModelOutput } from './run-graph.js';

export interface ModelArgs {
  name?: string;
  trainable?: boolean;
}

/** A functional model: the graph from `inputs` to `outputs` (symbolic tensors). */
export interface FunctionalArgs extends ModelArgs {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
}

/** Whether the model was given its inputs / outputs as lists (Keras writes `input_layers` nested then). */
export interface FunctionalStructure {
  inputsAsList: boolean;
  outputsAsList: boolean;
}

/**
 * `Model`: Keras's functional model — `new Model({ inputs, outputs })` over symbolic tensors made by
 * `input()` and layer calls — and the base of `Sequential`. Several inputs and outputs, shared layers (a layer
 * called twice runs at each of its nodes) and nested models work; masks travel with the tensors as in Keras.
 */
export class Model extends Layer {
  readonly className: string = 'Functional';
  /** Set to true (by a callback) to end `fit` after the current batch (that epoch still ends as usual). */
  stopTraining = false;
  /** The History of the latest `fit`. */
  history: History | null = null;
  protected compiledState: CompiledState | null = null;
  private readonly graph_: FunctionalGraph | null;
  /** Whether `inputs` / `outputs` were given as lists (Keras's config keeps the structure). */
  private readonly structure = { inputsAsList: false, outputsAsList: false };
  private compileArgs_: CompileArgs | null = null;
  /**
   * Set by `loadModel`: the file this model was read from, the Keras version that wrote it and the Keras
   * semantics it was read with (`hard_sigmoid` is 0.2x + 0.5 under Keras 2, relu6(x + 3) / 6 under Keras 3).
   * Null for a model built here.
   */
  loadedFrom: ModelFileInfo | null = null;

  constructor(args: FunctionalArgs | ModelArgs = {}, className = 'Functional') {
    super({ name: args?.name, trainable: args?.trainable }, className);
    const a = (args ?? {}) as Partial<FunctionalArgs>;
    if (a.inputs !== undefined || a.outputs !== undefined) {
      this.graph_ = buildGraph(a.inputs, a.outputs, `${className} '${this.name}'`);
      this.structure.inputsAsList = Array.isArray(a.inputs);
      this.structure.outputsAsList = Array.isArray(a.outputs);
      this.built = true;
    } else {
      this.graph_ = null;
    }
  }

  private requireGraph(what: string): FunctionalGraph {
    if (this.graph_ === null) {
      throw new NotBuiltError(
        `${this.className} '${this.name}'.${what}: the model has no graph; make it with new Model({ inputs, outputs })`,
      );
    }
    return this.graph_;
  }

  /** The layers of the graph in execution order (input layers first), each once, as Keras's `model.layers`. */
  get layers(): Layer[] {
    return this.graph_ === null ? [] : [...this.graph_.layers];
  }

  /** The model's symbolic inputs. */
  get inputs(): SymbolicTensor[] {
    return [...this.requireGraph('inputs').inputs];
  }

  /** The model's symbolic outputs. */
  get outputs(): SymbolicTensor[] {
    return [...this.requireGraph('outputs').outputs];
  }

  /** The names of the outputs (their layers' names), used for per-output metrics. */
  get outputNames(): string[] {
    return this.outputs.map((o) => o.history.layer.name);
  }

  /** The number of inputs the model is fed. */
  get inputCount(): number {
    return this.requireGraph('inputCount').inputs.length;
  }

  get outputCount(): number {
    return this.graph_ === null ? 1 : this.graph_.outputs.length;
  }

  /**
   * Runs the graph on real tensors: one tensor (or a list, one per input) in, one (or a list) out. A model does
   * not support masking itself (`supportsMasking` is false): the layers inside attach the output masks.
   */
  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const { outputs } = this.runOwnGraph(list, options);
    return outputs.length === 1 ? outputs[0]! : outputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    void inputShape;
    const shapes = this.requireGraph('computeOutputShape').outputs.map((o) => [...o.shape]);
    return shapes.length === 1 ? shapes[0]! : shapes;
  }

  /** Runs the model, returning every output with its mask (the loss skips masked steps). */
  forward(inputs: readonly Tensor[], options: CallOptions = {}): ModelOutput {
    return this.runOwnGraph(inputs, options);
  }

  private runOwnGraph(inputs: readonly Tensor[], options: CallOptions): ModelOutput {
    return runGraph(this.requireGraph('apply'), inputs, options, `${this.className} '${this.name}'.apply`);
  }

  /** Data as one tensor per model input, checked against the inputs' shapes. */
  prepareInputs(x: DataInput, argument: string, context: string): Tensor[] {
    return graphInputsFromData(this.requireGraph('prepareInputs'), x, argument, context);
  }

  /** One summary row per layer of the graph, with its output shape. */
  protected summaryRows(): SummaryRow[] {
    return this.layers.map((layer) => ({
      layer,
      outputShape:
        layer.inboundNodes.length === 0
          ? null
          : (layer.getOutputShapeAt(layer.inboundNodes.length - 1) as Shape | Shape[]),
    }));
  }

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
    this.compiledState = resolveCompileArgs(args, this.outputCount, () => this.outputNames, context);
    this.compileArgs_ = { ...args, ...(args.metrics !== undefined ? { metrics: [...args.metrics] } : {}) };
  }

  /** The arguments of the latest `compile` (what a saved model's `compile_config` records), or null. */
  get compileArgs(): CompileArgs | null {
    return this.compileArgs_;
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
    return ['loss', ...(this.compiledState?.metricNames.flat() ?? [])];
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
  trainOnBatch(x: DataInput, y: DataInput): number;
  trainOnBatch(x: DataInput, y: DataInput, options: { returnDict: true }): Record<string, number>;
  trainOnBatch(x: DataInput, y: DataInput, options?: { returnDict?: boolean }): number | Record<string, number>;
  trainOnBatch(x: DataInput, y: DataInput, options: { returnDict?: boolean } = {}): number | Record<string, number> {
    const logs = training.trainOnBatch(this, x, y);
    return options.returnDict === true ? logs : logs.loss!;
  }

  /** The loss (and metrics, with `returnDict`) on one batch, in inference mode, without updating anything. */
  testOnBatch(x: DataInput, y: DataInput): number;
  testOnBatch(x: DataInput, y: DataInput, options: { returnDict: true }): Record<string, number>;
  testOnBatch(x: DataInput, y: DataInput, options?: { returnDict?: boolean }): number | Record<string, number>;
  testOnBatch(x: DataInput, y: DataInput, options: { returnDict?: boolean } = {}): number | Record<string, number> {
    const logs = training.testOnBatch(this, x, y);
    return options.returnDict === true ? logs : logs.loss!;
  }

  /** The model's output for one batch, in inference mode (a list for a multi-output model). */
  predictOnBatch(x: DataInput): Tensor | Tensor[] {
    return training.predict(this, x, { batchSize: Number.MAX_SAFE_INTEGER });
  }

  /**
   * The model's output for `x` (one array, or a list with one per input), computed in batches of `batchSize`
   * (default 32), in inference mode: a tensor, or a list of tensors for a multi-output model.
   */
  predict(x: DataInput, options: PredictOptions = {}): Tensor | Tensor[] {
    return training.predict(this, x, options);
  }

  /** `predict`, yielding to the event loop between batches (for large inputs on a page). */
  predictAsync(x: DataInput, options: PredictOptions = {}): Promise<Tensor | Tensor[]> {
    return runAsync(training.predictSteps(this, x, options));
  }

  /**
   * The loss over `x`, `y` in inference mode (the mean over samples), or `{ loss, ...metrics }` with
   * `returnDict`.
   */
  evaluate(x: DataInput, y: DataInput, options?: EvaluateOptions & { returnDict?: false }): number;
  evaluate(x: DataInput, y: DataInput, options: EvaluateOptions & { returnDict: true }): Record<string, number>;
  evaluate(
    x: DataInput,
    y: DataInput,
    options?: EvaluateOptions & { returnDict?: boolean },
  ): number | Record<string, number>;
  evaluate(
    x: DataInput,
    y: DataInput,
    options: EvaluateOptions & { returnDict?: boolean } = {},
  ): number | Record<string, number> {
    const { returnDict, ...rest } = options ?? {};
    const logs = training.evaluate(this, x, y, rest);
    return returnDict === true ? logs : logs.loss!;
  }

  /** `evaluate`, yielding to the event loop between batches and awaiting async callbacks. */
  evaluateAsync(x: DataInput, y: DataInput, options?: EvaluateOptions & { returnDict?: false }): Promise<number>;
  evaluateAsync(
    x: DataInput,
    y: DataInput,
    options: EvaluateOptions & { returnDict: true },
  ): Promise<Record<string, number>>;
  async evaluateAsync(
    x: DataInput,
    y: DataInput,
    options: EvaluateOptions & { returnDict?: boolean } = {},
  ): Promise<number | Record<string, number>> {
    const { returnDict, ...rest } = options ?? {};
    const logs = await runAsync(training.evaluateSteps(this, x, y, rest));
    return returnDict === true ? logs : logs.loss!;
  }

  /**
   * Trains for `epochs` passes over the data (see `FitOptions`); resolves with the History of the run. Between
   * batches it yields to the event loop (every ~12 ms of work), so a page stays responsive, and it awaits
   * callbacks that return a Promise. Stop it with `model.stopTraining = true` from a callback or an aborted
   * `signal`. Bad arguments reject the Promise.
   */
  fit(x: DataInput, y: DataInput, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }

  /**
   * `fit` without yielding, for callers that cannot await: the same numbers bit for bit; Promises that callbacks
   * return are not awaited. It blocks the thread (a page freezes) until training ends.
   */
  fitSync(x: DataInput, y: DataInput, options: FitOptions = {}): History {
    return fitSync(this, x, y, options);
  }

  // ---- Keras config and files (src/keras/model-files.ts, through model-services.ts)

  /**
   * Keras 3's `get_config()`: for a functional model `{ name, trainable, layers, input_layers, output_layers }`,
   * each layer with its `inbound_nodes`, exactly as Keras 3.15 writes it in a `.keras` file's config.json
   * (`serializeModel` in src/keras gives the whole entry with `build_config` and `compile_config`).
   */
  override getConfig(): Record<string, unknown> {
    if (this.graph_ === null) return super.getConfig();
    return translatorOf<typeof Model, FunctionalStructure>(Model, `${this.className}.getConfig`).toConfig(
      this,
      this.structure,
    );
  }

  /**
   * Saves the model at `path` (Node.js) in the format its ending names, as Keras's `model.save`: `.keras` (Keras
   * 3: config.json, metadata.json, model.weights.h5, and the optimizer's state when compiled), `.h5` (legacy
   * Keras, with `training_config`), or `.json` (a TF.js `model.json` with its shard files beside it, for
   * `tf.loadLayersModel`; a model TF.js would run differently is a `TfjsExportError`). An existing file is a
   * `FileExistsError` unless `overwrite: true`.
   */
  save(path: string | URL, options: SaveOptions = {}): Promise<void> {
    return modelService('saveModel', `${this.className} '${this.name}'.save`)(this, path, options);
  }

  /** The bytes of the `.keras` file `save` writes (works in browsers). */
  toBytes(): Promise<Uint8Array> {
    return modelService('modelToBytes', `${this.className} '${this.name}'.toBytes`)(this);
  }

  /**
   * The model as a TF.js layers model, in memory (works in browsers): `model.json`'s object and its shard files,
   * which `tf.loadLayersModel` reads. A model TF.js would run differently (a GRU with `resetAfter: true`, Keras
   * 3's `hard_sigmoid`, a layer TF.js does not have) is a `TfjsExportError` naming the layer.
   */
  toTfjs(): TfjsFiles {
    return modelService('modelToTfjs', `${this.className} '${this.name}'.toTfjs`)(this);
  }

  /**
   * Saves the weights as a Keras 3 `.weights.h5` file at `path` (Node.js), or, without a path, returns that
   * file's bytes.
   */
  saveWeights(): Promise<Uint8Array>;
  saveWeights(path: string | URL, options?: SaveOptions): Promise<void>;
  saveWeights(path?: string | URL, options: SaveOptions = {}): Promise<void | Uint8Array> {
    const what = `${this.className} '${this.name}'.saveWeights`;
    return path === undefined
      ? modelService('weightsToBytes', what)(this)
      : modelService('saveWeights', what)(this, path, options);
  }

  /**
   * Loads weights from a file: Keras 3 `.weights.h5` (matched as Keras matches them, by the layers' places in
   * the model), a `.keras` file, or a legacy `.h5` (full model or weights only; matched in order, or by layer
   * name with `byName`). Every weight's count and shape is checked before any is assigned; a mismatch is a
   * `WeightsMismatchError` naming the file, the layer and the weight.
   */
  loadWeights(source: ByteSource, options: LoadWeightsOptions = {}): Promise<void> {
    return modelService('loadWeights', `${this.className} '${this.name}'.loadWeights`)(this, source, options);
  }

  // ---- export

  /**
   * The model as a serialized ONNX ModelProto (opset 14, the ONNX GRU operator), to serve on ONNX Runtime or
   * Triton; throws an `OnnxExportError` for what ONNX cannot express (see src/onnx/export.ts).
   */
  toOnnx(options: ExportOnnxOptions = {}): Uint8Array {
    return modelService('exportOnnx', `${this.className} '${this.name}'.toOnnx`)(this, options);
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
        ? optimizer
            .getWeights()
            .map((w, i) => ({ shape: w.shape, dtype: w.dtype, name: i === 0 ? 'iterations' : undefined }))
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
