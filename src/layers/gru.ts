/**
 * `GRU`: Keras 3's GRU layer — the `RNN` loop over a `GRUCell`, with a fused fast path.
 *
 * Update equations (σ = recurrentActivation, default sigmoid; act = activation, default tanh; gate blocks
 * z|r|h in kernel [I,3U], recurrentKernel [U,3U]; bias [2,3U] with resetAfter, else [3U]):
 *
 *     z  = σ(x·Wz + bz + h·Uz + b'z)
 *     r  = σ(x·Wr + br + h·Ur + b'r)
 *     ĥ  = act(x·Wh + bh + r ⊙ (h·Uh + b'h))      resetAfter: true (Keras 3 default)
 *     ĥ  = act(x·Wh + bh + (r ⊙ h)·Uh)            resetAfter: false (TF 1.x, no b')
 *     h' = z ⊙ h + (1 − z) ⊙ ĥ
 *
 * The fast path hands the whole sequence to the backend as one differentiable op: one input-projection GEMM
 * and one fused recurrent loop forward, one backpropagation-through-time kernel backward. It is taken when
 * both activations have scalar forms and no per-gate dropout applies; otherwise the generic loop of
 * differentiable per-step ops runs. Both give Keras's numbers.
 */
import type { Activation } from '../activations/index.js';
import type { ScalarActivation } from '../backend/backend.js';
import { add, mul } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { gruSequence } from '../ops/gru.js';
import { cast, reshape } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { argsFromConfig, translatorOf } from './translators.js';
import { GRUCell, type GRUCellOptions } from './gru-cell.js';
import type { LayerArgs, TypedApply } from './layer.js';
import { RNN, type LoopResult, type RecurrentOutput, type RNNOptions } from './rnn.js';

export interface GRUArgs extends GRUCellOptions, RNNOptions, LayerArgs {
  /** Keras 2's `implementation` (1 or 2): accepted for old configs; the numbers are the same. */
  implementation?: number;
}

/** `RS` is `returnState` as a type: `apply` gives a `Tensor`, or `[output, state]` when it is true. */
export class GRU<RS extends boolean = boolean> extends RNN<RS> {
  declare apply: TypedApply<RecurrentOutput<RS, [Tensor]>>;
  declare readonly cell: GRUCell;

  constructor(args: GRUArgs) {
    const { name, trainable, dtype, activityRegularizer, ...rest } = args ?? ({} as GRUArgs);
    const cell = new GRUCell({ ...rest, name: 'gru_cell', dtype, trainable });
    super({ ...args, cell }, 'GRU');
  }

  override get className(): string {
    return 'GRU';
  }

  get units(): number {
    return this.cell.units;
  }
  get activation() {
    return this.cell.activation;
  }
  get recurrentActivation() {
    return this.cell.recurrentActivation;
  }
  get useBias(): boolean {
    return this.cell.useBias;
  }
  get kernelInitializer() {
    return this.cell.kernelInitializer;
  }
  get recurrentInitializer() {
    return this.cell.recurrentInitializer;
  }
  get biasInitializer() {
    return this.cell.biasInitializer;
  }
  get kernelRegularizer() {
    return this.cell.kernelRegularizer;
  }
  get recurrentRegularizer() {
    return this.cell.recurrentRegularizer;
  }
  get biasRegularizer() {
    return this.cell.biasRegularizer;
  }
  get kernelConstraint() {
    return this.cell.kernelConstraint;
  }
  get recurrentConstraint() {
    return this.cell.recurrentConstraint;
  }
  get biasConstraint() {
    return this.cell.biasConstraint;
  }
  get dropout(): number {
    return this.cell.dropout;
  }
  get recurrentDropout(): number {
    return this.cell.recurrentDropout;
  }
  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }
  get seed(): number | null {
    return this.cell.seed;
  }

  /** Keras 3's `GRU.get_config()`: snake_case JSON, key for key. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(GRU, `${this.className}.getConfig`).toConfig(this, this.baseConfig());
  }

  /** A GRU from a Keras config (Keras 3, or Keras 2 / tf.keras with `implementation`, `time_major`). */
  static override fromConfig(config: Record<string, unknown>): GRU {
    return new GRU(argsFromConfig(GRU, config, 'GRU.fromConfig'));
  }

  /**
   * TF 1.x's `preprocess_input(inputs, training)`: the input projection of every time step at once,
   * x·kernel + input bias, [B,T,3U] with gate blocks z|r|h — the first thing a GRU call computes (as one GEMM).
   */
  preprocessInput(inputs: Tensor, _training = false): Tensor {
    const context = `GRU '${this.name}'.preprocessInput`;
    this.checkInputShapes([inputs.shape], context);
    if (!this.built) this.build([...inputs.shape]);
    const cell = this.cell;
    const { inputBias } = cell.splitBias();
    const projected = matMul(inputs.dtype === this.dtype ? inputs : cast(inputs, this.dtype), cell.kernel!);
    return inputBias === null ? projected : add(projected, inputBias);
  }

  /**
   * Whether calls may use the fused sequence kernel (`'auto'`, the default) or must use the generic loop of
   * per-step ops (`false`; slower, for checking the fused kernels). Like Keras's `use_cudnn`.
   */
  fusedKernel: 'auto' | false = 'auto';

  protected override innerLoop(
    x: Tensor,
    initialState: Tensor[],
    mask: Uint8Array | null,
    training: boolean,
  ): LoopResult {
    const cell = this.cell;
    const fusable =
      this.fusedKernel === 'auto' &&
      cell.activation.scalar !== null &&
      cell.recurrentActivation.scalar !== null &&
      !(training && cell.implementation === 1 && (cell.dropout > 0 || cell.recurrentDropout > 0));
    if (!fusable) return super.innerLoop(x, initialState, mask, training);
    const [B, , I] = x.shape as [number, number, number];
    // Input dropout (one mask for every step) is applied to the whole sequence before the kernel, as Keras's
    // fused path does.
    const masks = cell.dropoutMasks(B, training);
    const xs = masks.input === null ? x : mul(x, reshape(masks.input[0]!, [B, 1, I]));
    const result = gruSequence(xs, cell.kernel!, cell.recurrentKernel!, cell.bias, initialState[0]!, {
      resetAfter: cell.resetAfter,
      goBackwards: this.goBackwards,
      returnSequences: this.returnSequences,
      zeroOutputForMask: this.zeroOutputForMask,
      activation: toScalarActivation(cell.activation),
      recurrentActivation: toScalarActivation(cell.recurrentActivation),
      mask,
    });
    return { lastOutput: result.lastOutput, outputs: result.outputs, states: [result.state] };
  }
}

const SCALAR_ACTIVATIONS = new WeakMap<Activation, ScalarActivation>();

/** The kernel's view of an elementwise activation (made once per activation object). */
function toScalarActivation(a: Activation): ScalarActivation {
  let scalar = SCALAR_ACTIVATIONS.get(a);
  if (scalar === undefined) {
    scalar = { name: a.name, fn: a.scalar!.f, df: a.scalar!.df };
    SCALAR_ACTIVATIONS.set(a, scalar);
  }
  return scalar;
}
