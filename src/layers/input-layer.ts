/**
 * `input()` and `InputLayer`: Keras's `keras.Input`. `input({ shape: [T, F] })` declares what a model is fed —
 * a `SymbolicTensor` with the batch dimension first (`[null, T, F]`) — and the `InputLayer` that produces it.
 * A Sequential model built from one creates its layers' weights at once.
 */
import { InvalidArgumentError } from '../errors.js';
import { translatorOf } from './translators.js';
import { assertDType, type DType } from '../tensor/dtype.js';
import { Layer, type Shape } from './layer.js';
import { Node } from './node.js';
import { SymbolicTensor } from './symbolic-tensor.js';
import type { Tensor } from '../tensor/tensor.js';

export interface InputOptions {
  /** The shape of one sample (without the batch dimension); null entries vary, e.g. `[null, 3]`. */
  shape?: readonly (number | null)[];
  /** A fixed batch size (default: any). */
  batchSize?: number | null;
  /** The full shape, batch first; instead of `shape` and `batchSize`. */
  batchShape?: readonly (number | null)[];
  /** Default `'float32'`; `'int32'` for token ids. */
  dtype?: DType;
  name?: string;
}

function checkDims(value: unknown, argument: string, context: string): (number | null)[] {
  if (!Array.isArray(value) || !value.every((d) => d === null || (Number.isInteger(d) && d >= 0))) {
    throw new InvalidArgumentError({
      argument,
      expected: 'an array of non-negative integers or nulls',
      received: value,
      context,
    });
  }
  return [...(value as (number | null)[])];
}

/** The layer at the start of a model: it has no weights and outputs its `SymbolicTensor`. */
export class InputLayer extends Layer {
  readonly className: string = 'InputLayer';
  /** The input shape, batch first. */
  readonly batchShape: Shape;
  /** The dtype of the values fed (the layer's own `dtype` is its compute policy). */
  readonly inputDType: DType;
  /** Always false here; kept for Keras configs. */
  readonly sparse = false;
  readonly ragged = false;
  readonly optional = false;

  constructor(options: InputOptions) {
    const context = 'InputLayer constructor';
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        expected: 'an options object with shape',
        received: options,
        context,
      });
    }
    super({ name: options.name }, 'InputLayer');
    const { shape, batchShape, batchSize } = options;
    if (shape !== undefined && batchShape !== undefined) {
      throw new InvalidArgumentError({
        argument: 'batchShape',
        expected: 'either shape or batchShape, not both',
        received: batchShape,
        context,
      });
    }
    if (batchSize !== undefined && batchSize !== null && batchShape !== undefined) {
      throw new InvalidArgumentError({
        argument: 'batchSize',
        expected: 'either batchSize or batchShape, not both',
        received: batchSize,
        context,
      });
    }
    if (shape === undefined && batchShape === undefined) {
      throw new InvalidArgumentError({
        argument: 'shape',
        expected: 'the shape of one sample, e.g. [timesteps, features]',
        received: shape,
        context,
      });
    }
    if (batchSize !== undefined && batchSize !== null && (!Number.isInteger(batchSize) || batchSize <= 0)) {
      throw new InvalidArgumentError({
        argument: 'batchSize',
        expected: 'a positive integer or null',
        received: batchSize,
        context,
      });
    }
    this.batchShape = Object.freeze(
      batchShape !== undefined
        ? checkDims(batchShape, 'batchShape', context)
        : [batchSize ?? null, ...checkDims(shape, 'shape', context)],
    ) as Shape;
    this.inputDType = options.dtype === undefined ? 'float32' : assertDType(options.dtype, 'dtype', context);
    const output = new SymbolicTensor(this.batchShape, this.inputDType, this.name, {
      layer: this,
      nodeIndex: 0,
      tensorIndex: 0,
    });
    // Keras gives an input layer one inbound node with no inputs: its output is the model input.
    this.inboundNodes.push(
      new Node(this, [], [output], { initialState: null, mask: null, training: undefined }, true, true),
    );
    this.built = true;
  }

  /** The symbolic tensor this layer outputs (the model input). */
  override get output(): SymbolicTensor {
    return this.inboundNodes[0]!.outputs[0]!;
  }

  /** Feeding a model input: the values as given. */
  override call(inputs: Tensor | Tensor[]): Tensor | Tensor[] {
    return inputs;
  }

  override computeOutputShape(): Shape {
    return [...this.batchShape];
  }

  /** Keras 3's `InputLayer.get_config()`: batch_shape, dtype, sparse, ragged, name, optional. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(InputLayer, `${this.className}.getConfig`).toConfig(this, {});
  }
}

/**
 * Declares a model input, as `keras.Input`: `input({ shape: [timesteps, features] })` is a `SymbolicTensor` of
 * shape `[null, timesteps, features]`.
 */
export function input(options: InputOptions): SymbolicTensor {
  return new InputLayer(options).output;
}

export { SymbolicTensor, isSymbolicTensor } from './symbolic-tensor.js';
