/**
 * `train` learns on standardized values ((x − mean) / std) and saves a model that takes and returns raw values,
 * by folding the standardization into the weights of the first and last layers:
 *
 *   GRU on one feature: x_std·K + b = x·(K / std) + (b − mean·K / std)   K is [1,3U]; b is [3U] or [2,3U] (row 0
 *                                                                        the input bias, added to x·K)
 *   Dense to one value: std·(h·W + c) + mean = h·(std·W) + (std·c + mean)   W is [U,1], c is [1]
 *
 * Exact in real numbers, so the saved model predicts the same values as the trained one does on standardized
 * data (up to float32 rounding). A model loaded from a file takes raw values too, so before training it again
 * `unfoldStandardization` applies the inverse, and training resumes where the file left off.
 */
import { Dense, GRU, tensor, type Layer, type Model, type Tensor } from '../index.js';

interface FoldTargets {
  gru: GRU;
  dense: Dense;
}

/** The GRU and Dense layers the standardization can be folded into, or null when the model is not of that form. */
export function foldTargets(model: Model): FoldTargets | null {
  const weighted = model.layers.filter((layer: Layer) => layer.getWeights().length > 0);
  const first = weighted[0];
  const last = weighted.at(-1);
  if (!(first instanceof GRU) || !(last instanceof Dense) || first === (last as Layer)) return null;
  const [kernel, , bias] = first.getWeights();
  const [denseKernel, denseBias] = last.getWeights();
  if (kernel?.shape[0] !== 1 || bias === undefined) return null;
  if (denseKernel?.shape[1] !== 1 || denseBias === undefined) return null;
  return { gru: first, dense: last };
}

function scaled(t: Tensor, f: (v: number, i: number) => number): Tensor {
  const data = t.dataSync() as Float32Array;
  return tensor(Float32Array.from(data, f), [...t.shape]);
}

/** Folds the standardization (mean, std) into the layers found by `foldTargets`. */
export function foldStandardization(targets: FoldTargets, mean: number, std: number): void {
  const [kernel, recurrent, bias] = targets.gru.getWeights() as [Tensor, Tensor, Tensor];
  const k = kernel.dataSync() as Float32Array; // [1, 3U]
  const width = k.length;
  // The input bias is bias[0:3U] in both layouts ([3U], or row 0 of [2, 3U]).
  const newBias = scaled(bias, (v, i) => (i < width ? v - (mean * k[i]!) / std : v));
  targets.gru.setWeights([scaled(kernel, (v) => v / std), recurrent, newBias]);
  const [w, c] = targets.dense.getWeights() as [Tensor, Tensor];
  targets.dense.setWeights([scaled(w, (v) => v * std), scaled(c, (v) => v * std + mean)]);
}

/**
 * The inverse of `foldStandardization`: a model that takes and returns raw values made one that takes and
 * returns standardized ones. Undoing x → (x − mean) / std is folding in x → (x − m) / s with m = −mean / std,
 * s = 1 / std, so it is that fold: K·std, b + mean·K; W / std, (c − mean) / std.
 */
export function unfoldStandardization(targets: FoldTargets, mean: number, std: number): void {
  foldStandardization(targets, -mean / std, 1 / std);
}
