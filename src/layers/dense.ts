/**
 * `Dense`: Keras 3's densely-connected layer, `output = activation(inputs · kernel + bias)`.
 *
 * Inputs of any rank ≥ 2: the kernel [I, units] applies to the last axis, so [B, I] → [B, units] and
 * [B, T, I] → [B, T, units]. Weights in Keras order and layout: `kernel [I, units]`, `bias [units]`.
 * A mask passes through unchanged (Keras's `supports_masking`).
 */
import { getActivation, type Activation, type ActivationIdentifier } from '../activations/index.js';
import { getConstraint, type Constraint } from '../constraints/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import { argsFromConfig, translatorOf } from './translators.js';
import { add } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { cast } from '../ops/shape-ops.js';
import { getRegularizer, type Regularizer } from '../regularizers/index.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';

type RegularizerIdentifier = Parameters<typeof getRegularizer>[0];
type ConstraintIdentifier = Parameters<typeof getConstraint>[0];

export interface DenseArgs extends LayerArgs {
  /** Positive integer: the size of the output's last axis. */
  units: number;
  /** Default none (linear). */
  activation?: ActivationIdentifier;
  /** Default true. */
  useBias?: boolean;
  /** Default `'glorot_uniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
}

export class Dense extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Dense';
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** [I, units], created by `build`. */
  kernel: Variable | null = null;
  /** [units], created by `build` when `useBias`. */
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    const context = 'Dense constructor';
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with units',
        received: args,
        context,
      });
    }
    super(args, 'Dense');
    this.supportsMasking = true;
    const { units } = args;
    if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
      throw new InvalidArgumentError({ argument: 'units', expected: 'a positive integer', received: units, context });
    }
    const useBias = args.useBias ?? true;
    if (typeof useBias !== 'boolean') {
      throw new InvalidArgumentError({ argument: 'useBias', expected: 'a boolean', received: useBias, context });
    }
    this.units = units;
    this.activation = getActivation(args.activation ?? null, 'activation', context);
    this.useBias = useBias;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform', 'kernelInitializer', context);
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', 'biasInitializer', context);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, 'kernelRegularizer', context);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, 'biasRegularizer', context);
    this.kernelConstraint = getConstraint(args.kernelConstraint, 'kernelConstraint', context);
    this.biasConstraint = getConstraint(args.biasConstraint, 'biasConstraint', context);
  }

  /** `inputShape` is [batch, ..., features]; creates kernel [features, units] and bias [units]. */
  override build(inputShape: Shape): void {
    const context = `Dense '${this.name}'.build`;
    const inputDim = Array.isArray(inputShape) ? inputShape[inputShape.length - 1] : undefined;
    if (
      !Array.isArray(inputShape) ||
      inputShape.length < 2 ||
      typeof inputDim !== 'number' ||
      !Number.isInteger(inputDim) ||
      inputDim <= 0
    ) {
      throw new ShapeError({
        argument: 'inputShape',
        expected: 'a shape of rank ≥ 2 whose last dimension (features) is a positive integer',
        received: Array.isArray(inputShape) ? formatShape(inputShape) : inputShape,
        context,
      });
    }
    this.weightList = [];
    this.kernel = this.addWeight('kernel', {
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight('bias', {
          shape: [this.units],
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.buildInputShape = [...(inputShape as Shape)];
    this.built = true;
  }

  /** Rank ≥ 2, and the feature size the layer was built for. */
  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    const shape = shapes[0]!;
    if (shapes.length !== 1 || shape.length < 2) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'one tensor of rank ≥ 2 [batch, ..., features]',
        received: shapes.length === 1 ? formatShape(shape) : `${shapes.length} tensors`,
        context,
      });
    }
    if (this.kernel !== null && shape[shape.length - 1] !== this.kernel.shape[0]) {
      const inputDim = this.kernel.shape[0]!;
      throw new ShapeError({
        argument: 'inputs',
        expected: `last dimension ${inputDim} (the layer was built for [..., ${inputDim}])`,
        received: formatShape(shape),
        context,
      });
    }
  }

  /** inputs [..., I] → [..., units]. */
  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const x0 = Array.isArray(inputs) ? inputs[0]! : inputs;
    const x = x0.dtype === this.dtype ? x0 : cast(x0, this.dtype);
    let y = matMul(x, this.kernel!);
    if (this.bias !== null) y = add(y, this.bias);
    return this.activation.apply(y);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape).slice(0, -1), this.units];
  }

  /** Keras 3's `Dense.get_config()`: snake_case JSON, key for key. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Dense, `${this.className}.getConfig`).toConfig(this, super.getConfig());
  }

  /** A Dense layer from a Keras config (Keras 3, or Keras 2 / tf.keras). */
  static fromConfig(config: Record<string, unknown>): Dense {
    return new Dense(argsFromConfig(Dense, config, 'Dense.fromConfig'));
  }
}
