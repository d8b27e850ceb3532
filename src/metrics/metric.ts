/**
 * The metric contract and Keras 3's `Mean` / `MeanMetricWrapper`: a metric function gives one value per element
 * or sample; each update adds the per-sample means to a running `total` and the number of samples (or the sum of
 * sample weights) to `count`; `result()` is total / count. Both accumulators are float32, as Keras's metric
 * variables are, so long runs round the same way.
 */
import { InvalidArgumentError } from '../errors.js';
import { mul } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { broadcastTo, cast } from '../ops/shape-ops.js';
import { noGrad } from '../autodiff/tape.js';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import { Tensor } from '../tensor/tensor.js';

export interface Metric {
  readonly name: string;
  /** Accumulates one batch. `sampleWeight` weighs samples (Keras's `sample_weight`); `mask` (1 = keep) drops them. */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null, mask?: Tensor | null): void;
  /** The running value (0 before any update). */
  result(): number;
  reset(): void;
  getConfig?(): Record<string, unknown>;
}

export function checkTensor(value: unknown, argument: string, context: string): Tensor {
  if (!(value instanceof Tensor))
    throw new InvalidArgumentError({ argument, expected: 'a Tensor', received: value, context });
  return value;
}

const f32 = Math.fround;

function axesFrom(start: number, rank: number): number[] {
  return Array.from({ length: rank - start }, (_, i) => start + i);
}

/** Σ of all values in double, rounded to float32 (TensorFlow sums in float32 in its own order). */
function total(t: Tensor): number {
  let s = 0;
  for (let i = 0; i < t.size; i++) s += t.values[i]!;
  return f32(s);
}

/** Keras's `Mean`: the (weighted) running mean of the values it is given. */
export class Mean {
  readonly name: string;
  private sum = 0;
  private count = 0;

  constructor(name = 'mean') {
    this.name = name;
  }

  /**
   * Adds `values` ([B, ...]: each sample's values are averaged first) to the running mean. With `sampleWeight`
   * (broadcastable like Keras's), each sample counts with its weight.
   */
  updateValues(values: Tensor, sampleWeight: Tensor | null = null): void {
    noGrad(() => {
      let v = cast(values, 'float32');
      let w: Tensor | null = null;
      if (sampleWeight !== null) {
        // Keras's reduce_to_samplewise_values with reduce_fn = mean.
        [v, w] = squeezeOrExpandToSameRank(v, cast(sampleWeight, 'float32'));
        const weightRank = w.rank;
        if (v.rank > weightRank) v = mean(v, axesFrom(weightRank, v.rank));
        w = broadcastTo(w, v.shape);
        v = mul(v, w);
        if (weightRank > 1) w = mean(w, axesFrom(1, weightRank));
      }
      if (v.rank > 1) v = mean(v, axesFrom(1, v.rank));
      this.sum = f32(this.sum + total(v));
      const n = w !== null ? total(w) : v.rank >= 1 ? v.shape[0]! : 1;
      this.count = f32(this.count + n);
    });
  }

  result(): number {
    return this.count === 0 ? 0 : f32(this.sum / this.count);
  }

  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}

/** A metric from a function of (yTrue, yPred) giving values per sample or element, averaged by `Mean`. */
export abstract class MeanMetricWrapper implements Metric {
  /** Keras's class name, e.g. `BinaryAccuracy`. */
  abstract readonly className: string;
  readonly name: string;
  private readonly mean: Mean;

  constructor(name: string) {
    this.name = name;
    this.mean = new Mean(name);
  }

  /** The metric's values for one batch (Keras's metric function). */
  abstract values(yTrue: Tensor, yPred: Tensor): Tensor;

  /** The values and the mask Keras attaches to them (only the sparse crossentropy's `ignoreClass` makes one). */
  protected valuesAndMask(yTrue: Tensor, yPred: Tensor): { values: Tensor; mask: Tensor | null } {
    return { values: this.values(yTrue, yPred), mask: null };
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null, mask: Tensor | null = null): void {
    const context = `${this.className} '${this.name}'.update`;
    checkTensor(yTrue, 'yTrue', context);
    checkTensor(yPred, 'yPred', context);
    noGrad(() => {
      const { values, mask: valuesMask } = this.valuesAndMask(yTrue, yPred);
      let weight = sampleWeight === null ? null : cast(checkTensor(sampleWeight, 'sampleWeight', context), 'float32');
      if (mask !== null) {
        // Keras's apply_mask with reduction "sum": the mask multiplies the sample weights.
        const m = cast(checkTensor(mask, 'mask', context), 'float32');
        if (weight === null) weight = m;
        else {
          const [mm, ww] = squeezeOrExpandToSameRank(m, weight);
          weight = mul(ww, mm);
        }
      }
      // Keras's reduce_to_samplewise_values: the values' own mask only applies when there are weights.
      if (valuesMask !== null && weight !== null) {
        const [mm, ww] = squeezeOrExpandToSameRank(cast(valuesMask, 'float32'), weight);
        weight = mul(ww, mm);
      }
      this.mean.updateValues(values, weight);
    });
  }

  result(): number {
    return this.mean.result();
  }

  reset(): void {
    this.mean.reset();
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}
