/**
 * The backend boundary. Everything heavy that a GRU does reaches a backend as a few large calls on flat
 * buffers (llm.c style), never as thousands of tiny tensor ops: one GEMM for the input projection of all time
 * steps, then the recurrence as one fused call. The plain TypeScript reference backend defines the semantics;
 * a faster backend (WASM SIMD) implements the same interface and is tested against it.
 */
import type { FloatArray } from '../tensor/dtype.js';

/** An elementwise activation as a scalar function, as fused kernels apply it. */
export interface ScalarActivation {
  /** Keras's name (`tanh`, `sigmoid`, `hard_sigmoid`, ...), so a native kernel can pick its own version. */
  readonly name: string;
  readonly fn: (x: number) => number;
  /** The derivative at pre-activation x with output y = fn(x) (backward kernels). */
  readonly df: (x: number, y: number) => number;
}

/**
 * out[m,n] = op(a)[m,k] · op(b)[k,n], op = transpose when the flag is set.
 * a is [m,k] (or [k,m] transposed), b is [k,n] (or [n,k] transposed), all row-major; out is overwritten.
 */
export interface MatMulArgs {
  a: FloatArray;
  b: FloatArray;
  out: FloatArray;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * One GRU layer over a whole sequence (Keras 3 `GRUCell` semantics, gate blocks z|r|h).
 *
 *   x           [B,T,I]   inputs, time order as given (the kernel walks it backwards when goBackwards)
 *   kernel      [I,3U]    columns z|r|h
 *   recKernel   [U,3U]    columns z|r|h
 *   inputBias   [3U]      or null (useBias=false)
 *   recBias     [3U]      resetAfter only (row 1 of Keras's [2,3U] bias), or null
 *   h0          [B,U]     initial state
 *   mask        [B,T]     1 = process the step, 0 = carry state and previous output; null = all steps
 *
 * With resetAfter:  z = σ(x·Wz + bz + h·Uz + b'z), r = σ(x·Wr + br + h·Ur + b'r),
 *                   ĥ = act(x·Wh + bh + r ⊙ (h·Uh + b'h))
 * without:          z, r as above without b', ĥ = act(x·Wh + bh + (r ⊙ h)·Uh)
 * then              h' = z ⊙ h + (1 − z) ⊙ ĥ
 */
export interface GruSequenceArgs {
  batch: number;
  steps: number;
  inputDim: number;
  units: number;
  x: FloatArray;
  kernel: FloatArray;
  recurrentKernel: FloatArray;
  inputBias: FloatArray | null;
  recurrentBias: FloatArray | null;
  h0: FloatArray;
  mask: Uint8Array | null;
  resetAfter: boolean;
  goBackwards: boolean;
  /** Whether to return the output of every step (else only the last). */
  returnSequences: boolean;
  /** At a masked step output zeros instead of repeating the previous output (Keras's zero_output_for_mask). */
  zeroOutputForMask: boolean;
  activation: ScalarActivation;
  recurrentActivation: ScalarActivation;
  /** Keep what the backward kernel needs (gate values per step). */
  saveForBackward?: boolean;
}

/** What a forward kernel keeps for its backward kernel; only the backend that made it reads it. */
export interface GruCache {
  readonly backend: string;
}

/** Fresh buffers the caller owns (never views of kernel memory): they become tensors without a copy. */
export interface GruSequenceResult {
  /** [B,T,U] in processing order (reversed time when goBackwards, as Keras returns it), or null. */
  outputs: FloatArray | null;
  /** [B,U] the output of the last processed step (a masked step repeats the previous output; zeros before any). */
  lastOutput: FloatArray;
  /** [B,U] the final state (a masked step carries the state). */
  state: FloatArray;
  /** Present when `saveForBackward` was set. */
  cache: GruCache | null;
}

/** Gradients flowing into the three results of `gruSequence` (null = zero). */
export interface GruBackwardArgs {
  forward: GruSequenceArgs;
  cache: GruCache;
  /** [B,T,U] in processing order, like `outputs`. */
  dOutputs: FloatArray | null;
  dLastOutput: FloatArray | null;
  dState: FloatArray | null;
}

/** Gradients of the inputs of `gruSequence`, in their layouts. */
export interface GruGradients {
  dx: FloatArray;
  dKernel: FloatArray;
  dRecurrentKernel: FloatArray;
  dInputBias: FloatArray | null;
  dRecurrentBias: FloatArray | null;
  dh0: FloatArray;
}

export interface Backend {
  readonly name: string;
  matMul(args: MatMulArgs): void;
  gruSequence(args: GruSequenceArgs): GruSequenceResult;
  /** Backpropagation through time for a `gruSequence` call made with `saveForBackward`. */
  gruSequenceBackward(args: GruBackwardArgs): GruGradients;

  // Optional runtime state: a backend whose kernels load, or that runs threads, says so here (the WASM backend).
  /**
   * The backend its calls run on now: itself once its kernels are live, else the one it delegates them to. May
   * start loading the kernels. Absent: always itself.
   */
  runsOn?(): Backend;
  /** Resolves, to whether its own kernels are live, once they (and threads being started) are; never rejects. */
  ready?(): Promise<boolean>;
  /** The threads a call may use now, at most `requested`. Absent: 1. */
  threads?(requested: number): number;
  /** Starts what `requested` threads need; resolves when they are ready or cannot be; never rejects. */
  startThreads?(requested: number): Promise<void>;
}
