/**
 * `Sequential`: a plain stack of single-output layers, Keras 3's `keras.Sequential`.
 *
 *     const model = new Sequential([input({ shape: [20, 3] }), new GRU({ units: 32 }), new Dense({ units: 1 })]);
 *     model.compile({ optimizer: 'adam', loss: 'mse' });
 *     await model.fit(x, y, { epochs: 10 });
 *
 * With an `input()` first, the layers are built (their weights created) as they are added, and every call is
 * checked against the declared shape. Without one, the model is built on its first call from the data's shape.
 * A mask travels along the stack as Keras's `compute_mask` says (a GRU with `returnSequences` passes its input
 * mask on; without, the mask ends there).
 */
import { AttributeError, InvalidArgumentError, NotBuiltError, ShapeError } from '../errors.js';
import { InputLayer } from '../layers/input-layer.js';
import { Layer, type CallOptions, type Shape, type SingleOutputApply } from '../layers/layer.js';
import { maskOf } from '../layers/mask.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { translatorOf } from '../layers/translators.js';
import { toDataTensor, type DataInput } from './data.js';
import { Model, type ModelArgs, type ModelOutput } from './model.js';
import type { PredictOptions } from './training.js';
import type { SummaryRow } from './summary.js';

export type SequentialEntry = Layer | SymbolicTensor;

/** What a Sequential model tells about itself for its config. */
export interface SequentialParts {
  /** The declared input (`input()` first), or null. */
  inputLayer: InputLayer | null;
  /** The shape the layers were built for, batch first; null when not built. */
  buildShape: Shape | null;
  /** The layers, without the input layer. */
  layers: readonly Layer[];
  /** `Layer.getConfig()` of the model: name, trainable, dtype. */
  base: Record<string, unknown>;
}

export class Sequential extends Model {
  declare apply: SingleOutputApply;
  override readonly className: string = 'Sequential';
  private inputLayer: InputLayer | null = null;
  private readonly stack: Layer[] = [];
  /** Output shape of each layer of `stack`, once known. */
  private readonly shapes: Shape[] = [];
  /** The shape the layers were built for (declared by `input()`, or from the first call's data). */
  private buildShape: Shape | null = null;

  constructor(layers: readonly SequentialEntry[] = [], args: ModelArgs = {}) {
    super(args ?? {}, 'Sequential');
    if (!Array.isArray(layers)) {
      throw new InvalidArgumentError({
        argument: 'layers',
        expected: 'an array of layers',
        received: layers,
        context: 'Sequential constructor',
      });
    }
    for (const layer of layers) this.add(layer);
  }

  /** The layers in order, without the input layer (as Keras's `model.layers`). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  override get outputCount(): number {
    return 1;
  }

  override get outputNames(): string[] {
    const last = this.stack[this.stack.length - 1];
    return [last?.name ?? this.name];
  }

  /** The declared input, when the model starts with `input()`. */
  override get input(): SymbolicTensor {
    if (this.inputLayer === null) {
      throw new AttributeError(
        `Sequential '${this.name}'.input: the model has no declared input (start it with input({ shape }))`,
      );
    }
    return this.inputLayer.output;
  }

  /** The input shape, batch first (null entries: any size), once known. */
  override get inputShape(): Shape {
    if (this.buildShape === null)
      throw new AttributeError(`Sequential '${this.name}'.inputShape: the model is not built yet`);
    return [...this.buildShape];
  }

  /** The output shape, batch first, once built. */
  override get outputShape(): Shape {
    const inputShape = this.inputShape;
    const last = this.shapes[this.shapes.length - 1];
    return last === undefined ? inputShape : [...last];
  }

  /** Appends a layer (or, first of all, an `input()`); builds it at once when the input shape is known. */
  add(entry: SequentialEntry): void {
    const context = `Sequential '${this.name}'.add`;
    if (entry instanceof SymbolicTensor || entry instanceof InputLayer) {
      if (this.stack.length > 0 || this.inputLayer !== null) {
        throw new InvalidArgumentError({
          argument: 'layer',
          expected: 'an input() only as the first entry of a Sequential model',
          received: entry.toString(),
          context,
        });
      }
      const source = entry instanceof SymbolicTensor ? entry.sourceLayer : entry;
      if (!(source instanceof InputLayer)) {
        throw new InvalidArgumentError({
          argument: 'layer',
          expected: 'an input() (a tensor made by input())',
          received: entry.toString(),
          context,
        });
      }
      this.inputLayer = source;
      this.buildShape = [...source.batchShape];
      this.built = true;
      return;
    }
    if (!(entry instanceof Layer)) {
      throw new InvalidArgumentError({
        argument: 'layer',
        expected: 'a layer (or an input() first)',
        received: entry,
        context,
      });
    }
    const layer = entry;
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new InvalidArgumentError({
        argument: 'layer',
        expected: `a layer whose name is unique in the model ('${layer.name}' is already in it)`,
        received: `${layer.className} '${layer.name}'`,
        context,
      });
    }
    if (this.buildShape !== null) {
      const inputShape = this.shapes[this.shapes.length - 1] ?? this.buildShape;
      this.shapes.push(this.buildLayer(layer, inputShape, context));
    }
    this.stack.push(layer);
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (layer === undefined) {
      throw new InvalidArgumentError({
        argument: 'layers',
        expected: 'a model with at least one layer',
        received: [],
        context: `Sequential '${this.name}'.pop`,
      });
    }
    if (this.shapes.length > this.stack.length) this.shapes.pop();
    return layer;
  }

  /** Builds every layer for inputs of `inputShape` (batch first, null entries for any size). */
  override build(shapeArg: Shape | Shape[]): void {
    const inputShape = shapeArg as Shape;
    const context = `Sequential '${this.name}'.build`;
    if (
      !Array.isArray(inputShape) ||
      inputShape.length < 1 ||
      !inputShape.every((d) => d === null || (Number.isInteger(d) && d >= 0))
    ) {
      throw new ShapeError({
        argument: 'inputShape',
        expected: 'a shape, batch first (integers or null)',
        received: inputShape,
        context,
      });
    }
    if (this.inputLayer !== null) return;
    // Built from data: the batch size stays free, as Keras builds a Sequential for (None, ...).
    this.buildShape = [null, ...inputShape.slice(1)];
    this.shapes.length = 0;
    let shape: Shape = this.buildShape;
    for (const layer of this.stack) {
      shape = this.buildLayer(layer, shape, context);
      this.shapes.push(shape);
    }
    this.built = true;
  }

  private buildLayer(layer: Layer, inputShape: Shape, context: string): Shape {
    if (!layer.built) layer.build([...inputShape]);
    const out = layer.computeOutputShape(inputShape);
    if (out.length > 0 && Array.isArray(out[0])) {
      throw new InvalidArgumentError({
        argument: 'layer',
        expected:
          'a layer with a single output (e.g. a GRU without returnState); use several models for multi-output layers',
        received: `${layer.className} '${layer.name}' with ${out.length} outputs`,
        context,
      });
    }
    return out as Shape;
  }

  /** `x` as a tensor of the input's dtype, checked against the input shape. */
  override prepareInputs(x: DataInput, argument: string, context: string): Tensor[] {
    const t = toDataTensor(x, argument, context, this.inputLayer?.inputDType ?? 'float32');
    this.checkShape(t, argument, context);
    return [t];
  }

  private checkShape(t: Tensor, argument: string, context: string): void {
    const expected = this.buildShape;
    if (expected === null) return;
    // A model built from data (no input()) fixes only the rank and the feature axis.
    const fixed = this.inputLayer !== null ? expected : expected.map((d, i) => (i === expected.length - 1 ? d : null));
    const ok = t.rank === fixed.length && fixed.every((d, i) => i === 0 || d === null || d === t.shape[i]);
    if (!ok) {
      throw new ShapeError({
        argument,
        expected: `shape ${formatShape(fixed)} (batch first; null = any size)`,
        received: formatShape(t.shape),
        context,
      });
    }
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    if (shapes.length !== 1) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'one input tensor',
        received: `${shapes.length} tensors`,
        context,
      });
    }
    if (this.stack.length === 0)
      throw new NotBuiltError(`${context}: the model has no layers; add layers before calling it`);
  }

  /** Runs the layers in order (inference mode unless `training`); the mask travels with the tensors. */
  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor {
    const context = `Sequential '${this.name}'.apply`;
    let x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.checkShape(x, 'inputs', context);
    if (this.inputLayer !== null && x.dtype !== this.inputLayer.inputDType)
      x = toDataTensor(x, 'inputs', context, this.inputLayer.inputDType);
    const training = options.training ?? false;
    const given = options.mask;
    for (const [i, layer] of this.stack.entries()) {
      const out = layer.apply(
        x,
        i === 0 && given !== undefined ? { training, mask: given as Tensor | null } : { training },
      );
      if (!(out instanceof Tensor)) {
        throw new InvalidArgumentError({
          argument: 'layer',
          expected: 'layers with a single output in a Sequential model',
          received: `${layer.className} '${layer.name}' returned ${Array.isArray(out) ? `${out.length} tensors` : out}`,
          context,
        });
      }
      x = out;
    }
    return x;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    let shape = inputShape as Shape;
    for (const layer of this.stack) shape = layer.computeOutputShape(shape) as Shape;
    return shape;
  }

  /** The output with its mask (the mask the last layer passes on), as the loss sees it. */
  override forward(inputs: readonly Tensor[], options: CallOptions = {}): ModelOutput {
    const output = this.apply(inputs[0]!, options) as Tensor;
    return { outputs: [output], masks: [maskOf(output)] };
  }

  /** The model's output for `x`, in batches of `batchSize` (default 32), in inference mode. */
  override predict(x: DataInput, options: PredictOptions = {}): Tensor {
    return super.predict(x, options) as Tensor;
  }

  override predictOnBatch(x: DataInput): Tensor {
    return super.predictOnBatch(x) as Tensor;
  }

  /**
   * Keras 3's `Sequential.get_config()`: `{ name, trainable, dtype, layers, build_input_shape }`, the layers led
   * by the InputLayer (the declared one, or the one Keras adds when a model is built from data).
   */
  override getConfig(): Record<string, unknown> {
    const base = { name: this.name, trainable: this.trainable, dtype: Layer.prototype.getConfig.call(this).dtype };
    const parts: SequentialParts = {
      inputLayer: this.inputLayer,
      buildShape: this.buildShape,
      layers: this.stack,
      base,
    };
    return translatorOf<typeof Sequential, SequentialParts>(Sequential, `${this.className}.getConfig`).toConfig(
      this,
      parts,
    );
  }

  protected override summaryRows(): SummaryRow[] {
    return this.stack.map((layer, i) => ({ layer, outputShape: this.shapes[i] ?? null }));
  }
}
