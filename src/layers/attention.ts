/**
 * Keras 3's dot-product and additive attention over `[query, value]` or `[query, value, key]` (key defaults
 * to value): query [B, Tq, D], value [B, Tv, Dv], key [B, Tv, D] → [B, Tq, Dv].
 *
 *   weights = softmax(scores − 1e9 · (1 − valueMask)) along Tv;  output = (weights · value) · queryMask
 *
 * - `Attention`: scores = query · keyᵀ (times the scalar weight `scale` when `useScale`), or with
 *   `scoreMode: 'concat'` concat_score_weight · Σ_d tanh(scale · (q + k)).
 * - `AdditiveAttention` (Bahdanau): scores = Σ_d scale[d] · tanh(q[d] + k[d]), `scale` [D] when `useScale`.
 *
 * Masks are the inputs' (query, value), as Keras's list `[query_mask, value_mask]`; the output carries the
 * query's. `dropout` drops attention weights in training (seeded). Keras's call arguments are call options:
 * `useCausalMask` (query step i attends to value steps j ≤ i: the lower-triangular mask [1, Tq, Tv], and-ed
 * with the value mask) and `returnAttentionScores` (the call returns `[output, weights]`, `weights` being the
 * softmax after masking, and after dropout in training, as Keras returns them).
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { getActivation } from '../activations/index.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { cast, reshape, transpose } from '../ops/shape-ops.js';
import { tanh } from '../ops/unary.js';
import { drawKeepMask } from '../random/dropout-mask.js';
import { randomFor, type Random } from '../random/rng.js';
import { formatShape } from '../tensor/shape.js';
import { tensor, type Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { checkBoolean, checkNumberInRange } from '../validation.js';
import { batchMatMul } from './dot.js';
import { Layer, type CallOptions, type LayerArgs, type LayerInput, type Shape } from './layer.js';
import type { SymbolicTensor } from './symbolic-tensor.js';
import { argsFromConfig, translatorOf } from './translators.js';

/** Keras subtracts this from the scores of masked value steps (float32; 65504 only for float16). */
const MASKED_SCORE = 1e9;

export interface BaseAttentionArgs extends LayerArgs {
  /** Fraction of attention weights dropped in training, in [0, 1]. Default 0. */
  dropout?: number;
  /** Seed of the dropout draws. */
  seed?: number | null;
}

export type ScoreMode = 'dot' | 'concat';

/** The call options of `Attention` and `AdditiveAttention` (Keras's `call` arguments). */
export interface AttentionCallOptions extends CallOptions {
  /** Mask the scores so that query step i cannot attend to value steps j > i (decoder self-attention). Default false. */
  useCausalMask?: boolean;
  /** Return `[output, weights]`, weights [B, Tq, Tv] the softmax after masking (and dropout). Default false. */
  returnAttentionScores?: boolean;
}

type SymbolicInput = SymbolicTensor | readonly SymbolicTensor[];
type WithScores = AttentionCallOptions & { returnAttentionScores: true };
type WithoutScores = AttentionCallOptions & { returnAttentionScores?: false };

/**
 * The `apply` of the attention layers: one output, or the pair `[output, weights]` when the options say
 * `returnAttentionScores: true` (a `boolean` known only at run time gives either).
 */
export interface AttentionApply {
  (inputs: SymbolicInput, options: WithScores): [SymbolicTensor, SymbolicTensor];
  (inputs: LayerInput, options: WithScores): [Tensor, Tensor];
  (inputs: SymbolicInput, options?: WithoutScores): SymbolicTensor;
  (inputs: LayerInput, options?: WithoutScores): Tensor;
  (inputs: SymbolicInput, options?: AttentionCallOptions): SymbolicTensor | [SymbolicTensor, SymbolicTensor];
  (inputs: LayerInput, options?: AttentionCallOptions): Tensor | [Tensor, Tensor];
}

abstract class BaseAttention extends Layer {
  declare apply: AttentionApply;
  override readonly callTakesMask: boolean = true;
  override readonly callOptionNames: readonly string[] = ['useCausalMask', 'returnAttentionScores'];
  readonly useScale: boolean;
  readonly dropout: number;
  readonly seed: number | null;
  scale: Variable | null = null;
  private readonly random: Random;

  protected constructor(args: BaseAttentionArgs & { useScale?: boolean }, className: string, useScale: boolean) {
    const context = `${className} constructor`;
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({ argument: 'args', expected: 'an options object', received: args, context });
    super(args, className);
    this.supportsMasking = true;
    this.useScale = checkBoolean(args.useScale, useScale, 'useScale', context);
    this.dropout = checkNumberInRange(args.dropout, 0, 'dropout', 0, 1, context);
    const seed = args.seed ?? null;
    if (seed !== null && !Number.isInteger(seed))
      throw new InvalidArgumentError({ argument: 'seed', expected: 'an integer or null', received: seed, context });
    this.seed = seed;
    this.random = randomFor(seed);
  }

  /** query · key → scores [B, Tq, Tv]. */
  protected abstract scores(query: Tensor, key: Tensor): Tensor;

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    const [q, v, k = v] = shapes;
    const ok =
      (shapes.length === 2 || shapes.length === 3) &&
      shapes.every((s) => s.length === 3) &&
      q![2] === k![2] &&
      v![1] === k![1];
    if (!ok) {
      throw new ShapeError({
        argument: 'inputs',
        expected: '[query [B, Tq, D], value [B, Tv, Dv]] or [query, value, key [B, Tv, D]]',
        received: shapes.map((s) => formatShape(s)).join(', '),
        context,
      });
    }
  }

  override call(inputs: Tensor | Tensor[], options: AttentionCallOptions = {}): Tensor | Tensor[] {
    const context = `${this.className} '${this.name}'.apply`;
    if (!Array.isArray(inputs))
      throw new InvalidArgumentError({
        argument: 'inputs',
        expected: '[query, value] or [query, value, key]',
        received: inputs,
        context,
      });
    const { causal, returnScores } = readCallOptions(options, context);
    const [q, v, k = v] = inputs.map((t) => (t.dtype === this.dtype ? t : cast(t, this.dtype))) as Tensor[];
    const masks = Array.isArray(options.mask) ? options.mask : [options.mask ?? null];
    const [queryMask = null, valueMask = null] = masks as (Tensor | null)[];
    let scores = this.scores(q!, k!);
    const [b, tq, tv] = scores.shape as [number, number, number];
    let keep: Tensor | null = null;
    if (valueMask !== null) {
      checkMask(valueMask, [b, tv], 'mask[1] (value mask)', context);
      keep = reshape(cast(valueMask, scores.dtype), [b, 1, tv]);
    }
    if (causal) {
      const lower = causalMask(tq, tv, scores.dtype);
      keep = keep === null ? lower : mul(keep, lower);
    }
    if (keep !== null) scores = sub(scores, mul(sub(1, keep), MASKED_SCORE));
    let weights = getActivation('softmax').apply(scores);
    if (options.training === true && this.dropout > 0) {
      weights = mul(
        weights,
        drawKeepMask(this.random, this.dropout, [b, tq, tv], weights.dtype === 'float64' ? 'float64' : 'float32'),
      );
    }
    let out = batchMatMul(weights, v!);
    if (queryMask !== null) {
      checkMask(queryMask, [b, tq], 'mask[0] (query mask)', context);
      out = mul(out, reshape(cast(queryMask, out.dtype), [b, tq, 1]));
    }
    return returnScores ? [out, weights] : out;
  }

  /** Keras's `compute_output_spec`: the output [B, Tq, Dv], then the weights [B, Tq, Tv] when asked for. */
  protected override callOutputShape(inputShape: Shape | Shape[], options: AttentionCallOptions): Shape | Shape[] {
    const { returnScores } = readCallOptions(options, `${this.className} '${this.name}'.apply`);
    const output = this.computeOutputShape(inputShape);
    if (!returnScores) return output;
    const [q, v] = inputShape as Shape[];
    return [output, [...q!.slice(0, -1), v![1]!]];
  }

  /** The query's mask (Keras's `compute_mask`: `mask[0]`). */
  override computeMask(_inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): Tensor | null {
    return Array.isArray(mask) ? (mask[0] ?? null) : mask;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [q, v] = inputShape as Shape[];
    return [...q!.slice(0, -1), v![v!.length - 1]!];
  }
}

function readCallOptions(options: AttentionCallOptions, context: string): { causal: boolean; returnScores: boolean } {
  return {
    causal: checkBoolean(options.useCausalMask, false, 'useCausalMask', context),
    returnScores: checkBoolean(options.returnAttentionScores, false, 'returnAttentionScores', context),
  };
}

/** Keras's causal mask [1, Tq, Tv]: 1 where the value step j is at most the query step i, else 0. */
function causalMask(tq: number, tv: number, dtype: Tensor['dtype']): Tensor {
  const values = new Array<number>(tq * tv);
  for (let i = 0; i < tq; i++) for (let j = 0; j < tv; j++) values[i * tv + j] = j <= i ? 1 : 0;
  return tensor(values, [1, tq, tv], dtype);
}

function checkMask(mask: Tensor, shape: [number, number], argument: string, context: string): void {
  if (mask.rank !== 2 || mask.shape[0] !== shape[0] || mask.shape[1] !== shape[1]) {
    throw new ShapeError({
      argument,
      expected: `shape ${formatShape(shape)}`,
      received: formatShape(mask.shape),
      context,
    });
  }
}

/** q [B, Tq, D], k [B, Tv, D] → Σ_d f(q[b, i, d] + k[b, j, d]) as [B, Tq, Tv, D] before the sum. */
function pairwiseSum(q: Tensor, k: Tensor): Tensor {
  const [b, tq, d] = q.shape as [number, number, number];
  const tv = k.shape[1]!;
  return add(reshape(q, [b, tq, 1, d]), reshape(k, [b, 1, tv, d]));
}

export interface AttentionArgs extends BaseAttentionArgs {
  /** Multiply the scores by a learned scalar `scale`. Default false. */
  useScale?: boolean;
  /** Default `'dot'`. */
  scoreMode?: ScoreMode;
}

export class Attention extends BaseAttention {
  readonly className: string = 'Attention';
  readonly scoreMode: ScoreMode;
  concatScoreWeight: Variable | null = null;

  constructor(args: AttentionArgs = {}) {
    super(args, 'Attention', false);
    const mode = args.scoreMode ?? 'dot';
    if (mode !== 'dot' && mode !== 'concat') {
      throw new InvalidArgumentError({
        argument: 'scoreMode',
        expected: "'dot' or 'concat'",
        received: mode,
        context: 'Attention constructor',
      });
    }
    this.scoreMode = mode;
  }

  /** Keras's weights: `scale` [] when useScale, then `concat_score_weight` [] for 'concat', both ones. */
  override build(inputShape: Shape | Shape[]): void {
    this.weightList = [];
    this.scale = this.useScale ? this.addWeight('scale', { shape: [], initializer: 'ones' }) : null;
    this.concatScoreWeight =
      this.scoreMode === 'concat' ? this.addWeight('concat_score_weight', { shape: [], initializer: 'ones' }) : null;
    this.buildInputShape = structuredClone(inputShape);
    this.built = true;
  }

  protected scores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === 'dot') {
      const s = batchMatMul(query, transpose(key, [0, 2, 1]));
      return this.scale === null ? s : mul(s, this.scale);
    }
    let pairs = pairwiseSum(query, key);
    if (this.scale !== null) pairs = mul(pairs, this.scale);
    return mul(sum(tanh(pairs), -1), this.concatScoreWeight!);
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(Attention, 'Attention.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Attention {
    return new Attention(argsFromConfig(Attention, config, 'Attention.fromConfig'));
  }
}

export interface AdditiveAttentionArgs extends BaseAttentionArgs {
  /** Weigh each feature's tanh by a learned `scale` [D] (glorot_uniform). Default true. */
  useScale?: boolean;
}

export class AdditiveAttention extends BaseAttention {
  readonly className: string = 'AdditiveAttention';

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args, 'AdditiveAttention', true);
  }

  override build(inputShape: Shape | Shape[]): void {
    const dim = (inputShape as Shape[])[0]?.[2];
    if (typeof dim !== 'number') {
      throw new ShapeError({
        argument: 'inputShape',
        expected: 'a query shape [B, Tq, D] with a known D',
        received: JSON.stringify(inputShape),
        context: `AdditiveAttention '${this.name}'.build`,
      });
    }
    this.weightList = [];
    this.scale = this.useScale ? this.addWeight('scale', { shape: [dim], initializer: 'glorot_uniform' }) : null;
    this.buildInputShape = structuredClone(inputShape);
    this.built = true;
  }

  protected scores(query: Tensor, key: Tensor): Tensor {
    const t = tanh(pairwiseSum(query, key));
    return sum(this.scale === null ? t : mul(t, this.scale), -1);
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(AdditiveAttention, 'AdditiveAttention.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): AdditiveAttention {
    return new AdditiveAttention(argsFromConfig(AdditiveAttention, config, 'AdditiveAttention.fromConfig'));
  }
}
