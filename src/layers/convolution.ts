/**
 * `Conv1D`: Keras 3's 1-D convolution (a cross-correlation, as in every framework) over [B, T, C]
 * (or [B, C, T] with `dataFormat: 'channels_first'`):
 *
 *   y[b, t, f] = activation(bias[f] + Σₖ Σ_c x[b, t·stride + k·dilation − padBefore, c] · kernel[k, c, f])
 *
 * with zeros outside the sequence. `padding`: 'valid' (none), 'same' (⌈T / stride⌉ outputs, the odd padded
 * step after), 'causal' ((kernelSize − 1)·dilation steps before: output t sees inputs ≤ t). `groups` splits the
 * channels and filters into that many independent convolutions. Weights in Keras's order and layout:
 * `kernel [kernelSize, C / groups, filters]`, `bias [filters]`. A mask stops here (Keras's Conv1D has none).
 */
import { getActivation, type Activation, type ActivationIdentifier } from '../activations/index.js';
import { getConstraint, type Constraint } from '../constraints/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import { add } from '../ops/arithmetic.js';
import { frames1d } from '../ops/frames.js';
import { matMul } from '../ops/matmul.js';
import { cast, concat, reshape, slice } from '../ops/shape-ops.js';
import { getRegularizer, type Regularizer } from '../regularizers/index.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { checkBoolean } from '../validation.js';
import { singleInput } from './call-args.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';
import type { DataFormat } from './reshaping.js';
import { argsFromConfig, translatorOf } from './translators.js';
import {
  checkDataFormat,
  checkPadding,
  oneTuple,
  outputSteps,
  paddingOf,
  toStepsLast,
  type Padding,
} from './windows.js';

type RegularizerIdentifier = Parameters<typeof getRegularizer>[0];
type ConstraintIdentifier = Parameters<typeof getConstraint>[0];

export interface Conv1DArgs extends LayerArgs {
  /** Positive integer: the number of output channels. */
  filters: number;
  /** Window length, `k` or `[k]`. */
  kernelSize: number | readonly [number];
  /** Default 1. */
  strides?: number | readonly [number];
  /** Default `'valid'`. */
  padding?: Padding;
  /** Default `'channels_last'`. */
  dataFormat?: DataFormat | null;
  /** Default 1. Keras refuses strides > 1 together with dilation > 1. */
  dilationRate?: number | readonly [number];
  /** Default 1; must divide the input channels and `filters`. */
  groups?: number;
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

export class Conv1D extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number;
  readonly groups: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** [kernelSize, C / groups, filters], created by `build`. */
  kernel: Variable | null = null;
  /** [filters], created by `build` when `useBias`. */
  bias: Variable | null = null;

  constructor(args: Conv1DArgs) {
    const context = 'Conv1D constructor';
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with filters and kernelSize',
        received: args,
        context,
      });
    }
    super(args, 'Conv1D');
    this.filters = oneTuple(args.filters, 'filters', context);
    this.kernelSize = oneTuple(args.kernelSize, 'kernelSize', context);
    this.strides = oneTuple(args.strides ?? 1, 'strides', context);
    this.dilationRate = oneTuple(args.dilationRate ?? 1, 'dilationRate', context);
    this.groups = oneTuple(args.groups ?? 1, 'groups', context);
    this.padding = checkPadding(args.padding ?? 'valid', true, context);
    this.dataFormat = checkDataFormat(args.dataFormat, context);
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new InvalidArgumentError({
        argument: 'strides',
        expected: '1 when dilationRate > 1 (Keras does not support both)',
        received: `strides ${this.strides}, dilationRate ${this.dilationRate}`,
        context,
      });
    }
    if (this.filters % this.groups !== 0) {
      throw new InvalidArgumentError({
        argument: 'groups',
        expected: `a divisor of filters (${this.filters})`,
        received: this.groups,
        context,
      });
    }
    this.activation = getActivation(args.activation ?? null, 'activation', context);
    this.useBias = checkBoolean(args.useBias, true, 'useBias', context);
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform', 'kernelInitializer', context);
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', 'biasInitializer', context);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, 'kernelRegularizer', context);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, 'biasRegularizer', context);
    this.kernelConstraint = getConstraint(args.kernelConstraint, 'kernelConstraint', context);
    this.biasConstraint = getConstraint(args.biasConstraint, 'biasConstraint', context);
  }

  private get channelAxis(): number {
    return this.dataFormat === 'channels_last' ? 2 : 1;
  }

  override build(inputShape: Shape): void {
    const context = `Conv1D '${this.name}'.build`;
    const channels = inputShape.length === 3 ? inputShape[this.channelAxis] : undefined;
    if (typeof channels !== 'number' || channels % this.groups !== 0) {
      throw new ShapeError({
        argument: 'inputShape',
        expected: `rank 3 with a known number of channels divisible by groups (${this.groups})`,
        received: formatShape(inputShape),
        context,
      });
    }
    this.weightList = [];
    this.kernel = this.addWeight('kernel', {
      shape: [this.kernelSize, channels / this.groups, this.filters],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight('bias', {
          shape: [this.filters],
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.buildInputShape = [...inputShape];
    this.built = true;
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    const shape = shapes[0]!;
    const built = this.kernel === null ? null : this.kernel.shape[1]! * this.groups;
    if (shapes.length !== 1 || shape.length !== 3 || (built !== null && shape[this.channelAxis] !== built)) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `one tensor of rank 3${built === null ? '' : ` with ${built} channels (the layer was built for them)`}`,
        received: shapes.map((s) => formatShape(s)).join(', '),
        context,
      });
    }
  }

  /** x [B, T, C] → [B, T_out, filters]: the windows [B, T_out, k·C] times the kernel [k·C, filters], per group. */
  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const x0 = singleInput(inputs, `Conv1D '${this.name}'.apply`);
    const x = toStepsLast(x0.dtype === this.dtype ? x0 : cast(x0, this.dtype), this.dataFormat);
    const [b, steps, channels] = x.shape as [number, number, number];
    const pad = paddingOf(steps, this.kernelSize, this.strides, this.dilationRate, this.padding);
    const framed = frames1d(x, {
      size: this.kernelSize,
      stride: this.strides,
      dilation: this.dilationRate,
      ...pad,
      padValue: 0,
    });
    const outSteps = framed.shape[1]!;
    const k = this.kernelSize;
    const perGroupIn = channels / this.groups;
    const perGroupOut = this.filters / this.groups;
    const outputs: Tensor[] = [];
    for (let g = 0; g < this.groups; g++) {
      const windows =
        this.groups === 1 ? framed : slice(framed, [0, 0, 0, g * perGroupIn], [b, outSteps, k, perGroupIn]);
      const kernel =
        this.groups === 1 ? this.kernel! : slice(this.kernel!, [0, 0, g * perGroupOut], [k, perGroupIn, perGroupOut]);
      outputs.push(
        matMul(reshape(windows, [b, outSteps, k * perGroupIn]), reshape(kernel, [k * perGroupIn, perGroupOut])),
      );
    }
    let y = outputs.length === 1 ? outputs[0]! : concat(outputs, 2);
    if (this.bias !== null) y = add(y, this.bias);
    return toStepsLast(this.activation.apply(y), this.dataFormat);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [b, d1, d2] = inputShape as Shape;
    const steps = this.dataFormat === 'channels_last' ? d1! : d2!;
    const out = outputSteps(steps, this.kernelSize, this.strides, this.dilationRate, this.padding);
    return this.dataFormat === 'channels_last' ? [b!, out, this.filters] : [b!, this.filters, out];
  }

  /** Keras 3's `Conv1D.get_config()`, key for key. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Conv1D, 'Conv1D.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Conv1D {
    return new Conv1D(argsFromConfig(Conv1D, config, 'Conv1D.fromConfig'));
  }
}
