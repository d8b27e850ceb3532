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
 * The fast path hands the whole sequence to the backend as one input-projection GEMM and one fused recurrent
 * loop. It is taken when both activations have scalar forms, no gradient is being recorded through the layer,
 * and no dropout applies; otherwise the generic loop of differentiable ops runs. Both give Keras's numbers.
 */
import { isTracked } from '../autodiff/tape.js';
import { getBackend } from '../backend/registry.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { gruArgsFromKerasConfig, gruToKerasConfig } from '../keras/gru-config.js';
import { GRUCell, type GRUCellOptions } from './gru-cell.js';
import type { LayerArgs } from './layer.js';
import { RNN, type LoopResult, type RNNOptions } from './rnn.js';

export interface GRUArgs extends GRUCellOptions, RNNOptions, LayerArgs {
  /** Keras 2's `implementation` (1 or 2): accepted for old configs; the numbers are the same. */
  implementation?: number;
}

export class GRU extends RNN {
  declare readonly cell: GRUCell;

  constructor(args: GRUArgs) {
    const { name, trainable, dtype, activityRegularizer, ...rest } = args ?? ({} as GRUArgs);
    const cell = new GRUCell({ ...rest, name: 'gru_cell', dtype, trainable });
    super(cell, args, 'GRU');
  }

  get className(): string {
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
    return gruToKerasConfig(this, super.getConfig());
  }

  /** A GRU from a Keras config (Keras 3, or Keras 2 / tf.keras with `implementation`, `time_major`). */
  static fromConfig(config: Record<string, unknown>): GRU {
    return new GRU(gruArgsFromKerasConfig(config));
  }

  protected override innerLoop(x: Tensor, initialState: Tensor[], mask: Uint8Array | null, training: boolean): LoopResult {
    if (!this.canUseFusedKernel(x, initialState, training)) return super.innerLoop(x, initialState, mask, training);
    const cell = this.cell;
    const [B, T, I] = x.shape as [number, number, number];
    const U = cell.units;
    const { inputBias, recurrentBias } = cell.splitBias();
    const result = getBackend().gruSequence({
      batch: B,
      steps: T,
      inputDim: I,
      units: U,
      x: x.values as FloatArray,
      kernel: cell.kernel!.values as FloatArray,
      recurrentKernel: cell.recurrentKernel!.values as FloatArray,
      inputBias: (inputBias?.values as FloatArray | undefined) ?? null,
      recurrentBias: (recurrentBias?.values as FloatArray | undefined) ?? null,
      h0: initialState[0]!.values as FloatArray,
      mask,
      resetAfter: cell.resetAfter,
      goBackwards: this.goBackwards,
      returnSequences: this.returnSequences,
      zeroOutputForMask: this.zeroOutputForMask,
      activation: { name: cell.activation.name, fn: cell.activation.scalar!.f },
      recurrentActivation: { name: cell.recurrentActivation.name, fn: cell.recurrentActivation.scalar!.f },
    });
    return {
      lastOutput: new Tensor(result.lastOutput, [B, U], this.dtype),
      outputs: result.outputs === null ? null : new Tensor(result.outputs, [B, T, U], this.dtype),
      states: [new Tensor(result.state, [B, U], this.dtype)],
    };
  }

  private canUseFusedKernel(x: Tensor, initialState: Tensor[], training: boolean): boolean {
    const cell = this.cell;
    if (cell.activation.scalar === null || cell.recurrentActivation.scalar === null) return false;
    if (training && (cell.dropout > 0 || cell.recurrentDropout > 0)) return false;
    const tracked = [x, ...initialState, ...cell.weights].some(isTracked);
    return !tracked;
  }
}
