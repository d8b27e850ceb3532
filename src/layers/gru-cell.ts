/**
 * `GRUCell`: one GRU time step, Keras 3's `GRUCell`. Weights in Keras layout: kernel [I,3U] and
 * recurrentKernel [U,3U] with gate blocks z|r|h along the last axis; bias [3U], or [2,3U] with resetAfter
 * (row 0 for the input projection, row 1 for the recurrent one).
 *
 * resetAfter = true (Keras 3 default, cuDNN-compatible):
 *   z = σ(x·Wz + bz + h·Uz + b'z)      r = σ(x·Wr + br + h·Ur + b'r)
 *   ĥ = act(x·Wh + bh + r ⊙ (h·Uh + b'h))
 * resetAfter = false (TF 1.x / Keras 2 default):
 *   z = σ(x·Wz + bz + h·Uz)            r = σ(x·Wr + br + h·Ur)
 *   ĥ = act(x·Wh + bh + (r ⊙ h)·Uh)
 * then h' = z ⊙ h + (1 − z) ⊙ ĥ, the cell's output and new state. σ is `recurrentActivation`, act `activation`.
 */
import { gruCellOptionsToKeras } from '../keras/gru-config.js';
import { getActivation, type Activation, type ActivationIdentifier } from '../activations/index.js';
import { getConstraint, type Constraint } from '../constraints/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { reshape, slice, split } from '../ops/shape-ops.js';
import { getRegularizer, type Regularizer } from '../regularizers/index.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { Layer, type LayerArgs, type Shape } from './layer.js';

type RegularizerIdentifier = Parameters<typeof getRegularizer>[0];
type ConstraintIdentifier = Parameters<typeof getConstraint>[0];

/** The options shared by `GRUCell` and `GRU` (camelCase of Keras's arguments). */
export interface GRUCellOptions {
  /** Positive integer: dimensionality of the output and state. */
  units: number;
  /** Default `'tanh'`; `null` means linear. */
  activation?: ActivationIdentifier;
  /** Default `'sigmoid'` (Keras 3); the TF 1.x default was `'hard_sigmoid'`. */
  recurrentActivation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  recurrentRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  recurrentConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
  /** Fraction of the input units to drop, in [0, 1]. */
  dropout?: number;
  /** Fraction of the recurrent units to drop, in [0, 1]. */
  recurrentDropout?: number;
  /** Default `true` (Keras 3); `false` is the TF 1.x / Keras 2 convention. */
  resetAfter?: boolean;
  /** Seed of the dropout masks. */
  seed?: number | null;
}

export interface GRUCellArgs extends GRUCellOptions, LayerArgs {
  /** Keras 2's `implementation` (1 or 2): accepted for old configs; the numbers are the same. */
  implementation?: number;
}

/** Checks a GRU option set and resolves registry identifiers; shared by GRUCell and GRU. */
export function resolveGRUCellOptions(args: GRUCellOptions, context: string) {
  const { units } = args;
  if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
    throw new InvalidArgumentError({ argument: 'units', expected: 'a positive integer', received: units, context });
  }
  const rate = (name: 'dropout' | 'recurrentDropout'): number => {
    const value = args[name] ?? 0;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new InvalidArgumentError({ argument: name, expected: 'a number in [0, 1]', received: value, context });
    }
    return value;
  };
  const flag = (name: 'useBias' | 'resetAfter', fallback: boolean): boolean => {
    const value = args[name] ?? fallback;
    if (typeof value !== 'boolean') {
      throw new InvalidArgumentError({ argument: name, expected: 'a boolean', received: value, context });
    }
    return value;
  };
  const seed = args.seed ?? null;
  if (seed !== null && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw new InvalidArgumentError({ argument: 'seed', expected: 'an integer or null', received: seed, context });
  }
  return {
    units,
    activation: getActivation(args.activation === undefined ? 'tanh' : args.activation, 'activation', context),
    recurrentActivation: getActivation(
      args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation,
      'recurrentActivation',
      context,
    ),
    useBias: flag('useBias', true),
    kernelInitializer: getInitializer(args.kernelInitializer ?? 'glorot_uniform', 'kernelInitializer', context),
    recurrentInitializer: getInitializer(args.recurrentInitializer ?? 'orthogonal', 'recurrentInitializer', context),
    biasInitializer: getInitializer(args.biasInitializer ?? 'zeros', 'biasInitializer', context),
    kernelRegularizer: getRegularizer(args.kernelRegularizer, 'kernelRegularizer', context),
    recurrentRegularizer: getRegularizer(args.recurrentRegularizer, 'recurrentRegularizer', context),
    biasRegularizer: getRegularizer(args.biasRegularizer, 'biasRegularizer', context),
    kernelConstraint: getConstraint(args.kernelConstraint, 'kernelConstraint', context),
    recurrentConstraint: getConstraint(args.recurrentConstraint, 'recurrentConstraint', context),
    biasConstraint: getConstraint(args.biasConstraint, 'biasConstraint', context),
    dropout: rate('dropout'),
    recurrentDropout: rate('recurrentDropout'),
    resetAfter: flag('resetAfter', true),
    seed,
  };
}

export type ResolvedGRUCellOptions = ReturnType<typeof resolveGRUCellOptions>;

export class GRUCell extends Layer {
  readonly className: string = 'GRUCell';
  readonly units: number;
  readonly activation: Activation;
  readonly recurrentActivation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly resetAfter: boolean;
  readonly seed: number | null;
  /** Size of the state (and of the output): `units`. */
  readonly stateSize: number;
  readonly outputSize: number;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: GRUCellArgs) {
    super(args, 'GRUCell');
    const o = resolveGRUCellOptions(args, `GRUCell constructor`);
    this.units = o.units;
    this.activation = o.activation;
    this.recurrentActivation = o.recurrentActivation;
    this.useBias = o.useBias;
    this.kernelInitializer = o.kernelInitializer;
    this.recurrentInitializer = o.recurrentInitializer;
    this.biasInitializer = o.biasInitializer;
    this.kernelRegularizer = o.kernelRegularizer;
    this.recurrentRegularizer = o.recurrentRegularizer;
    this.biasRegularizer = o.biasRegularizer;
    this.kernelConstraint = o.kernelConstraint;
    this.recurrentConstraint = o.recurrentConstraint;
    this.biasConstraint = o.biasConstraint;
    this.dropout = o.dropout;
    this.recurrentDropout = o.recurrentDropout;
    this.resetAfter = o.resetAfter;
    this.seed = o.seed;
    this.stateSize = o.units;
    this.outputSize = o.units;
  }

  /** `inputShape` is [batch, features] (one step). */
  override build(inputShape: Shape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (typeof inputDim !== 'number' || !Number.isInteger(inputDim) || inputDim <= 0) {
      throw new ShapeError({
        argument: 'inputShape',
        expected: 'a shape whose last dimension (features) is a positive integer',
        received: formatShape(inputShape),
        context: `${this.className} '${this.name}'.build`,
      });
    }
    const U = this.units;
    this.weightList = [];
    this.kernel = this.addWeight('kernel', {
      shape: [inputDim, 3 * U],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight('recurrent_kernel', {
      shape: [U, 3 * U],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight('bias', {
          shape: this.resetAfter ? [2, 3 * U] : [3 * U],
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.built = true;
  }

  /** The input dimension the cell was built for. */
  get inputDim(): number {
    this.requireBuilt('inputDim');
    return this.kernel!.shape[0]!;
  }

  /** Input bias [3U] and recurrent bias [3U] (resetAfter only) as views of `bias`. */
  splitBias(): { inputBias: Tensor | null; recurrentBias: Tensor | null } {
    const bias = this.bias;
    if (bias === null) return { inputBias: null, recurrentBias: null };
    if (!this.resetAfter) return { inputBias: bias, recurrentBias: null };
    const [b0, b1] = split(bias, 2, 0) as [Tensor, Tensor];
    return { inputBias: reshape(b0, [3 * this.units]), recurrentBias: reshape(b1, [3 * this.units]) };
  }

  /**
   * One step, composed from differentiable ops: inputs [B,I], states [h [B,U]] → [h', [h']].
   * `inputMask` / `recurrentMask` are dropout masks already scaled (training only).
   */
  step(inputs: Tensor, states: readonly Tensor[], dropoutMasks: { input?: Tensor; recurrent?: Tensor } = {}): [Tensor, Tensor[]] {
    this.requireBuilt('step');
    const U = this.units;
    const hPrev = states[0]!;
    const { inputBias, recurrentBias } = this.splitBias();
    const x = dropoutMasks.input ? mul(inputs, dropoutMasks.input) : inputs;
    const h = dropoutMasks.recurrent ? mul(hPrev, dropoutMasks.recurrent) : hPrev;
    let matrixX = matMul(x, this.kernel!);
    if (inputBias !== null) matrixX = add(matrixX, inputBias);
    const [xz, xr, xh] = split(matrixX, 3, 1) as [Tensor, Tensor, Tensor];
    const rk = this.recurrentKernel!;
    let hh: Tensor;
    let z: Tensor;
    if (this.resetAfter) {
      let inner = matMul(h, rk);
      if (recurrentBias !== null) inner = add(inner, recurrentBias);
      const [rz, rr, rh] = split(inner, 3, 1) as [Tensor, Tensor, Tensor];
      z = this.recurrentActivation.apply(add(xz, rz));
      const r = this.recurrentActivation.apply(add(xr, rr));
      hh = this.activation.apply(add(xh, mul(r, rh)));
    } else {
      const inner = matMul(h, slice(rk, [0, 0], [U, 2 * U]));
      const [rz, rr] = split(inner, 2, 1) as [Tensor, Tensor];
      z = this.recurrentActivation.apply(add(xz, rz));
      const r = this.recurrentActivation.apply(add(xr, rr));
      hh = this.activation.apply(add(xh, matMul(mul(r, h), slice(rk, [0, 2 * U], [U, U]))));
    }
    // As Keras: the mix uses the (possibly dropped-out) previous state.
    const hNew = add(mul(z, h), mul(sub(1, z), hh));
    return [hNew, [hNew]];
  }

  /** Keras's GRUCell config (snake_case JSON, as Keras 3 writes it). */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...gruCellOptionsToKeras(this) };
  }
}
