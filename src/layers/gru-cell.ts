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
import { argsFromConfig, translatorOf } from './translators.js';
import { getActivation, type Activation, type ActivationIdentifier } from '../activations/index.js';
import { getConstraint, type Constraint } from '../constraints/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { reshape, slice, split } from '../ops/shape-ops.js';
import { getRegularizer, type Regularizer } from '../regularizers/index.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { drawKeepMask } from '../random/dropout-mask.js';
import { randomFor, type Random } from '../random/rng.js';
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

/** Dropout masks for one call: input masks [B,I] (one, or one per gate z|r|h), recurrent masks [B,U] per gate. */
export interface GRUDropoutMasks {
  input: Tensor[] | null;
  recurrent: Tensor[] | null;
}

const NO_DROPOUT: GRUDropoutMasks = { input: null, recurrent: null };

/** Views of the weights that one call's steps share (see `GRUCell.stepWeights`). */
export interface GRUStepWeights {
  kernel: Tensor;
  inputBias: Tensor | null;
  recurrentBias: Tensor | null;
  /** Kernel columns per gate z|r|h (implementation 1 only, else empty). */
  kernelBlocks: Tensor[];
  inputBiasBlocks: Tensor[] | null;
  /** Recurrent-kernel columns per gate (implementation 1, or resetAfter false for the h block). */
  recurrentBlocks: Tensor[];
  /** The z|r columns of the recurrent kernel (resetAfter false), or the whole kernel. */
  recurrentZR: Tensor;
  recurrentBiasBlocks: Tensor[] | null;
}

export interface GRUCellArgs extends GRUCellOptions, LayerArgs {
  /** Keras 2's `implementation` (1 or 2): accepted for old configs; the numbers are the same. */
  implementation?: number;
}

/** Checks a GRU option set and resolves registry identifiers; shared by GRUCell and GRU. */
export function resolveGRUCellOptions(args: GRUCellOptions, context: string) {
  if (args === null || typeof args !== 'object') {
    throw new InvalidArgumentError({
      argument: 'args',
      expected: 'an options object with units',
      received: args,
      context,
    });
  }
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
  /** Keras's implementation mode: 1 (per-gate products, per-gate dropout masks) when recurrentDropout is set. */
  readonly implementation: 1 | 2;
  /** The stream the dropout masks are drawn from (seeded by `seed`). */
  private readonly dropoutRandom: Random;
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
    this.implementation = o.recurrentDropout !== 0 || args.implementation === 1 ? 1 : 2;
    this.dropoutRandom = randomFor(o.seed);
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
    this.buildInputShape = [...(inputShape as Shape)];
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
   * Dropout masks for one call, drawn once and reused at every step (Keras's DropoutRNNCell): scaled by
   * 1/(1 − rate). Keras applies dropout only for 0 < rate < 1 and in training. With recurrentDropout (or
   * `implementation: 1`) each gate gets its own mask (z, r, h), else one input mask serves all gates.
   */
  dropoutMasks(batch: number, training: boolean): GRUDropoutMasks {
    if (!training || (this.dropout === 0 && this.recurrentDropout === 0)) return NO_DROPOUT;
    const inputDim = this.inputDim;
    const draw = (rate: number, width: number): Tensor =>
      drawKeepMask(this.dropoutRandom, rate, [batch, width], this.dtype);
    const active = (rate: number): boolean => training && rate > 0 && rate < 1;
    const perGate = this.implementation === 1 ? 3 : 1;
    return {
      input: active(this.dropout) ? Array.from({ length: perGate }, () => draw(this.dropout, inputDim)) : null,
      recurrent: active(this.recurrentDropout)
        ? Array.from({ length: 3 }, () => draw(this.recurrentDropout, this.units))
        : null,
    };
  }

  /**
   * The weight views a call's steps use, made once per call (the RNN loop passes them to every step): bias rows,
   * and the per-gate blocks z|r|h of the kernels. Slices are differentiable, so gradients from every step add up
   * in the one slice node of each view.
   */
  stepWeights(): GRUStepWeights {
    this.requireBuilt('stepWeights');
    const U = this.units;
    const kernel = this.kernel!;
    const rk = this.recurrentKernel!;
    const { inputBias, recurrentBias } = this.splitBias();
    const block = (w: Tensor, g: number, width = 1): Tensor => slice(w, [0, g * U], [w.shape[0]!, width * U]);
    const blocks = (w: Tensor): Tensor[] => [block(w, 0), block(w, 1), block(w, 2)];
    const biasBlocks = (b: Tensor): Tensor[] => [0, 1, 2].map((g) => slice(b, [g * U], [U]));
    const perGate = this.implementation === 1;
    return {
      kernel,
      inputBias,
      recurrentBias,
      kernelBlocks: perGate ? blocks(kernel) : [],
      inputBiasBlocks: perGate && inputBias !== null ? biasBlocks(inputBias) : null,
      recurrentBlocks: perGate || !this.resetAfter ? blocks(rk) : [],
      recurrentZR: this.resetAfter ? rk : block(rk, 0, 2),
      recurrentBiasBlocks: perGate && this.resetAfter && recurrentBias !== null ? biasBlocks(recurrentBias) : null,
    };
  }

  /**
   * One step, composed from differentiable ops: inputs [B,I], states [h [B,U]] → [h', [h']], with the
   * call's dropout masks (see `dropoutMasks`). As in Keras, the final mix z ⊙ h + (1 − z) ⊙ ĥ uses the
   * state without recurrent dropout.
   */
  step(
    inputs: Tensor,
    states: readonly Tensor[],
    masks: GRUDropoutMasks = NO_DROPOUT,
    weights: GRUStepWeights = this.stepWeights(),
  ): [Tensor, Tensor[]] {
    this.requireBuilt('step');
    const h = states[0]!;
    const {
      kernel,
      inputBias,
      recurrentBias,
      kernelBlocks,
      recurrentBlocks,
      recurrentZR,
      inputBiasBlocks,
      recurrentBiasBlocks,
    } = weights;
    const rk = this.recurrentKernel!;

    // Input projections x·W (+ b) for z, r, h.
    let xz: Tensor, xr: Tensor, xh: Tensor;
    if (masks.input === null || masks.input.length === 1) {
      const x = masks.input === null ? inputs : mul(inputs, masks.input[0]!);
      let matrixX = matMul(x, kernel);
      if (inputBias !== null) matrixX = add(matrixX, inputBias);
      [xz, xr, xh] = split(matrixX, 3, 1) as [Tensor, Tensor, Tensor];
    } else {
      const proj = (g: number): Tensor => {
        const p = matMul(mul(inputs, masks.input![g]!), kernelBlocks[g]!);
        return inputBiasBlocks === null ? p : add(p, inputBiasBlocks[g]!);
      };
      [xz, xr, xh] = [proj(0), proj(1), proj(2)];
    }

    // Recurrent projections; with recurrent dropout each gate sees its own dropped state.
    const hz = masks.recurrent === null ? h : mul(h, masks.recurrent[0]!);
    const hr = masks.recurrent === null ? h : mul(h, masks.recurrent[1]!);
    const hh = masks.recurrent === null ? h : mul(h, masks.recurrent[2]!);
    let rz: Tensor,
      rr: Tensor,
      rh: Tensor | null = null;
    if (masks.recurrent === null) {
      let inner = matMul(h, this.resetAfter ? rk : recurrentZR);
      if (this.resetAfter && recurrentBias !== null) inner = add(inner, recurrentBias);
      const parts = split(inner, this.resetAfter ? 3 : 2, 1);
      [rz, rr] = [parts[0]!, parts[1]!];
      if (this.resetAfter) rh = parts[2]!;
    } else {
      const rproj = (hg: Tensor, g: number): Tensor => {
        const p = matMul(hg, recurrentBlocks[g]!);
        return recurrentBiasBlocks === null ? p : add(p, recurrentBiasBlocks[g]!);
      };
      [rz, rr] = [rproj(hz, 0), rproj(hr, 1)];
      if (this.resetAfter) rh = rproj(hh, 2);
    }
    const z = this.recurrentActivation.apply(add(xz, rz));
    const r = this.recurrentActivation.apply(add(xr, rr));
    const recurrentH = this.resetAfter ? mul(r, rh!) : matMul(mul(r, hh), recurrentBlocks[2]!);
    const candidate = this.activation.apply(add(xh, recurrentH));
    const hNew = add(mul(z, h), mul(sub(1, z), candidate));
    return [hNew, [hNew]];
  }

  /** Keras's GRUCell config (snake_case JSON, as Keras 3 writes it). */
  override getConfig(): Record<string, unknown> {
    return translatorOf(GRUCell, `${this.className}.getConfig`).toConfig(this, super.getConfig());
  }

  /** A GRUCell from a Keras GRUCell config (or a whole serialized cell `{ class_name, config }`). */
  static fromConfig(config: Record<string, unknown>): GRUCell {
    return new GRUCell(argsFromConfig(GRUCell, config, 'GRUCell.fromConfig'));
  }
}
