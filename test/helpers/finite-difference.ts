/**
 * Gradient checking against float64 central finite differences.
 *
 * `checkGradients(fn, inputs)` compares the tape's gradients of L = Σₖ Σ (Wₖ ⊙ fn(...inputs)ₖ) with
 * (L(x + εeᵢ) − L(x − εeᵢ)) / 2ε for every element i of every input. The weights Wₖ are seeded random
 * (not ones), so a gradient that lands on the wrong element (a transposed, reversed or shifted rule) fails:
 * with ones, every permutation op would have the all-ones gradient. The tolerance is relative to the largest
 * finite-difference value over all inputs, so tiny gradients are not held to an impossible relative bound.
 *
 * Inputs must be float64 (float32 finite differences are too noisy to check anything). Both the tape pass and
 * the finite-difference passes call `fn` with `Variable`s, so code that expects weights works unchanged.
 */
import { valueAndGrads, noGrad } from '../../src/autodiff/tape.js';
import { add, mul, sum } from '../../src/ops/index.js';
import { Random } from '../../src/random/rng.js';
import { Tensor, tensor } from '../../src/tensor/tensor.js';
import { variable, type Variable } from '../../src/tensor/variable.js';

export type GradFn = (...inputs: Variable[]) => Tensor | readonly Tensor[];

export interface CheckGradientsOptions {
  /** Finite-difference step. Default 1e-5 (truncation ~ε², rounding ~1e-16/ε, both far below 1e-6). */
  eps?: number;
  /** Allowed |analytic − numeric| as a fraction of the largest |numeric| over all inputs. Default 1e-6. */
  rtol?: number;
  /** Seed of the output weights Wₖ. Default 1. */
  seed?: number;
  /** Check at most this many (seeded random) elements per input; default all. For long sequences. */
  maxElementsPerInput?: number;
}

export interface GradientMismatch {
  input: number;
  /** Flat index into the input. */
  index: number;
  analytic: number;
  numeric: number;
}

export interface CheckGradientsReport {
  /** The tape's gradients, one per input. */
  analytic: Float64Array[];
  /** Finite differences, one per input (NaN where an element was not sampled). */
  numeric: Float64Array[];
  /** Largest |numeric| over all inputs: the scale `rtol` is relative to. */
  scale: number;
  /** Largest |analytic − numeric|. */
  maxError: number;
  worst: GradientMismatch | null;
}

function asList(out: Tensor | readonly Tensor[]): readonly Tensor[] {
  return out instanceof Tensor ? [out] : out;
}

/** Uniform float64 values in [lo, hi) of `shape`; `minAbs` keeps them at least that far from 0 (kinks). */
export function randomFloat64(
  rng: Random,
  shape: readonly number[],
  { lo = -2, hi = 2, minAbs = 0 }: { lo?: number; hi?: number; minAbs?: number } = {},
): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    do v = lo + (hi - lo) * rng.uniform();
    while (Math.abs(v) < minAbs);
    values[i] = v;
  }
  return tensor(values, shape, 'float64');
}

/**
 * Checks the tape's gradients of `fn` at `inputs` against central finite differences; throws an Error naming
 * the worst element when they disagree, else returns the report.
 */
export function checkGradients(
  fn: GradFn,
  inputs: readonly Tensor[],
  options: CheckGradientsOptions = {},
): CheckGradientsReport {
  const { eps = 1e-5, rtol = 1e-6, seed = 1, maxElementsPerInput } = options;
  inputs.forEach((t, i) => {
    if (t.dtype !== 'float64') throw new Error(`checkGradients: inputs[${i}] must be float64, got ${t.dtype}`);
  });
  const vars = inputs.map((t) => variable(t));

  // Seeded weights for each output, shaped like it.
  const rng = new Random(seed);
  const weights = noGrad(() => asList(fn(...vars))).map((o) => randomFloat64(rng, o.shape, { lo: -1, hi: 1 }));
  const weighted = (outs: readonly Tensor[]): Tensor => {
    if (outs.length !== weights.length)
      throw new Error(`checkGradients: fn returned ${outs.length} outputs, then ${weights.length}`);
    return outs.map((o, k) => sum(mul(o, weights[k]!))).reduce((a, b) => add(a, b));
  };
  const loss = (): number =>
    noGrad(() => {
      const outs = asList(fn(...vars));
      let total = 0;
      outs.forEach((o, k) => {
        const w = weights[k]!.values;
        for (let i = 0; i < o.size; i++) total += o.values[i]! * w[i]!;
      });
      return total;
    });

  const { grads } = valueAndGrads(() => weighted(asList(fn(...vars))), vars);
  const analytic = grads.map((g, i) => {
    if (g.dtype !== 'float64') throw new Error(`checkGradients: gradient of inputs[${i}] is ${g.dtype}, not float64`);
    if (g.size !== inputs[i]!.size || g.shape.join() !== inputs[i]!.shape.join()) {
      throw new Error(
        `checkGradients: gradient of inputs[${i}] has shape [${g.shape}], input has [${inputs[i]!.shape}]`,
      );
    }
    return Float64Array.from(g.values);
  });

  const sampleRng = new Random(seed + 1);
  const numeric = vars.map((v) => {
    const out = new Float64Array(v.size).fill(NaN);
    let indices = [...Array(v.size).keys()];
    if (maxElementsPerInput !== undefined && indices.length > maxElementsPerInput) {
      for (let i = indices.length - 1; i > 0; i--) {
        const j = Math.floor(sampleRng.uniform() * (i + 1));
        [indices[i], indices[j]] = [indices[j]!, indices[i]!];
      }
      indices = indices.slice(0, maxElementsPerInput);
    }
    const base = Float64Array.from(v.values);
    for (const i of indices) {
      const shifted = Float64Array.from(base);
      shifted[i] = base[i]! + eps;
      v.assign(tensor(shifted, v.shape, 'float64'));
      const plus = loss();
      shifted[i] = base[i]! - eps;
      v.assign(tensor(shifted, v.shape, 'float64'));
      const minus = loss();
      out[i] = (plus - minus) / (2 * eps);
    }
    v.assign(tensor(base, v.shape, 'float64'));
    return out;
  });

  let scale = 0;
  for (const n of numeric) for (const x of n) if (!Number.isNaN(x)) scale = Math.max(scale, Math.abs(x));
  let maxError = 0;
  let worst: GradientMismatch | null = null;
  numeric.forEach((n, input) => {
    n.forEach((num, index) => {
      if (Number.isNaN(num)) return;
      const a = analytic[input]![index]!;
      const diff = Math.abs(a - num);
      const err = Number.isNaN(diff) ? Infinity : diff;
      if (err > maxError || worst === null) {
        maxError = err;
        worst = { input, index, analytic: a, numeric: num };
      }
    });
  });
  const report: CheckGradientsReport = { analytic, numeric, scale, maxError, worst };
  if (!(maxError <= rtol * scale)) {
    const w = worst as GradientMismatch | null;
    throw new Error(
      `checkGradients: gradient mismatch ${maxError.toExponential(3)} > rtol ${rtol} × scale ${scale.toExponential(3)}` +
        (w === null ? '' : ` at inputs[${w.input}] element ${w.index}: analytic ${w.analytic}, numeric ${w.numeric}`),
    );
  }
  return report;
}
