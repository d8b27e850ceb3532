/**
 * `Sequential`: a plain stack of single-output layers, Keras 3's `keras.Sequential`.
 *
 *     const model = new Sequential([input({ shape: [20, 3] }), new GRU({ units: 32 }), new Dense({ units: 1 })]);
 *     model.compile({ optimizer: 'adam', loss: 'mse' });
 *     model.fit(x, y, { epochs: 10 });
 *
 * With an `input()` first, the layers are built (their weights created) as they are added, and every call is
 * checked against the declared shape. Without one, the model is built on its first call from the data's shape.
 * A mask travels along the stack as Keras's `compute_mask` says (a GRU with `returnSequences` passes its input
 * mask on; without, the mask ends there).
 */
import { InvalidArgumentError, NotBuiltError, ShapeError } from '../errors.js';
import { isCallableLayer, outputMaskOf, outputShapeOf, type CallableLayer, type LayerCallOptions } from '../layers/callable.js';
import { InputLayer, SymbolicTensor } from '../layers/input-layer.js';
import type { Layer, Shape } from '../layers/layer.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { toDataTensor, type DataArg } from './data.js';
import { Model, type ModelArgs, type ModelOutput } from './model.js';
import type { SummaryRow } from './summary.js';

export type SequentialEntry = Layer | SymbolicTensor;

export class Sequential extends Model {
  readonly className: string = 'Sequential';
  private inputLayer: InputLayer | null = null;
  private readonly stack: CallableLayer[] = [];
  /** Output shape of each layer of `stack`, once known. */
  private readonly shapes: Shape[] = [];
  /** The shape the layers were built for (declared by `input()`, or from the first call's data). */
  private buildShape: Shape | null = null;

  constructor(layers: readonly SequentialEntry[] = [], args: ModelArgs = {}) {
    super(args ?? {}, 'Sequential');
    if (!Array.isArray(layers)) {
      throw new InvalidArgumentError({ argument: 'layers', expected: 'an array of layers', received: layers, context: 'Sequential constructor' });
    }
    for (const layer of layers) this.add(layer);
  }

  /** The layers in order, without the input layer (as Keras's `model.layers`). */
  get layers(): Layer[] {
    return [...this.stack];
  }

  /** The declared input, when the model starts with `input()`. */
  get input(): SymbolicTensor | null {
    return this.inputLayer?.output ?? null;
  }

  /** The input shape, batch first (null entries: any size), once known. */
  get inputShape(): Shape | null {
    return this.buildShape === null ? null : [...this.buildShape];
  }

  /** The output shape, batch first, once built. */
  get outputShape(): Shape | null {
    if (!this.built) return null;
    const last = this.shapes[this.shapes.length - 1];
    return last === undefined ? this.inputShape : [...last];
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
      this.inputLayer = entry instanceof SymbolicTensor ? entry.sourceLayer : entry;
      this.buildShape = [...this.inputLayer.batchShape];
      this.built = true;
      return;
    }
    if (entry === null || typeof entry !== 'object' || !isCallableLayer(entry as Layer)) {
      throw new InvalidArgumentError({ argument: 'layer', expected: 'a layer (or an input() first)', received: entry, context });
    }
    const layer = entry as CallableLayer;
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
      throw new InvalidArgumentError({ argument: 'layers', expected: 'a model with at least one layer', received: [], context: `Sequential '${this.name}'.pop` });
    }
    if (this.shapes.length > this.stack.length) this.shapes.pop();
    return layer;
  }

  /** Builds every layer for inputs of `inputShape` (batch first, null entries for any size). */
  override build(inputShape: Shape): void {
    const context = `Sequential '${this.name}'.build`;
    if (!Array.isArray(inputShape) || inputShape.length < 1 || !inputShape.every((d) => d === null || (Number.isInteger(d) && d >= 0))) {
      throw new ShapeError({ argument: 'inputShape', expected: 'a shape, batch first (integers or null)', received: inputShape, context });
    }
    if (this.inputLayer !== null) return;
    this.buildShape = [...inputShape];
    this.shapes.length = 0;
    let shape: Shape = this.buildShape;
    for (const layer of this.stack) {
      shape = this.buildLayer(layer, shape, context);
      this.shapes.push(shape);
    }
    this.built = true;
  }

  private buildLayer(layer: CallableLayer, inputShape: Shape, context: string): Shape {
    if (!layer.built) layer.build([...inputShape]);
    const out = outputShapeOf(layer, inputShape);
    if (out.length > 0 && Array.isArray(out[0])) {
      throw new InvalidArgumentError({
        argument: 'layer',
        expected: 'a layer with a single output (e.g. a GRU without returnState); use several models for multi-output layers',
        received: `${layer.className} '${layer.name}' with ${out.length} outputs`,
        context,
      });
    }
    return out as Shape;
  }

  /** `x` as a tensor of the input's dtype, checked against the input shape. */
  prepareInputs(x: DataArg, argument: string, context: string): Tensor {
    const t = toDataTensor(x, argument, context, this.inputLayer?.inputDType ?? 'float32');
    const expected = this.buildShape;
    if (expected === null) return t;
    // A model built from data (no input()) fixes only the rank and the feature axis.
    const fixed = this.inputLayer !== null ? expected : expected.map((d, i) => (i === expected.length - 1 ? d : null));
    const ok = t.rank === fixed.length && fixed.every((d, i) => d === null || d === t.shape[i]);
    if (!ok) {
      throw new ShapeError({
        argument,
        expected: `shape ${formatShape(fixed)} (batch first; null = any size)`,
        received: formatShape(t.shape),
        context,
      });
    }
    return t;
  }

  /** Runs the layers in order on `inputs` (inference mode unless `training`), passing the mask along. */
  apply(inputs: Tensor | TensorLike, options: LayerCallOptions = {}): Tensor {
    return this.forward(inputs, options).output;
  }

  /** The output and its mask (the mask the last layer passes on), as the loss sees them. */
  forward(inputs: Tensor | TensorLike, options: LayerCallOptions = {}): ModelOutput {
    const context = `Sequential '${this.name}'.apply`;
    let x = this.prepareInputs(inputs, 'inputs', context);
    if (this.stack.length === 0) {
      throw new NotBuiltError(`${context}: the model has no layers; add layers before calling it`);
    }
    if (!this.built) this.build([null, ...x.shape.slice(1)]);
    const training = options.training ?? false;
    let mask = options.mask ?? null;
    for (const layer of this.stack) {
      const out = layer.apply(x, { training, mask });
      if (!(out instanceof Tensor)) {
        throw new InvalidArgumentError({
          argument: 'layer',
          expected: 'layers with a single output in a Sequential model',
          received: `${layer.className} '${layer.name}' returned ${Array.isArray(out) ? `${out.length} tensors` : out}`,
          context,
        });
      }
      mask = outputMaskOf(layer, x, mask);
      x = out;
    }
    return { output: x, mask };
  }

  protected summaryRows(): SummaryRow[] {
    return this.stack.map((layer, i) => ({ layer, outputShape: this.shapes[i] ?? null }));
  }
}
