/**
 * Keras 3's elementwise activations as scalar functions with their derivatives. Each is computed in double
 * precision and rounded once when stored (so a float32 result is within an ulp of TensorFlow's float32 op).
 * Derivatives follow TensorFlow's gradient rules at the kinks (e.g. relu' = 0 at 0; relu6' = 0 at 0 and 6).
 * `df(x, y)` receives the output `y = f(x)` too.
 */
import { sigmoidScalar, type ScalarFunction } from '../ops/unary.js';
import { erfc } from './erf.js';

function scalarFn(name: string, f: (x: number) => number, df: (x: number, y: number) => number): ScalarFunction {
  return Object.freeze({ name, f, df });
}

/** softplus(x) = log(1 + eˣ), without overflow. */
export function softplusScalar(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)
const GELU_CUBIC = 0.044715;

// SELU's constants (Klambauer et al.), as Keras and TensorFlow use them.
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export const linearFn = scalarFn(
  'linear',
  (x) => x,
  () => 1,
);

export const tanhFn = scalarFn('tanh', Math.tanh, (_x, y) => 1 - y * y);

export const sigmoidFn = scalarFn('sigmoid', sigmoidScalar, (_x, y) => y * (1 - y));

export const exponentialFn = scalarFn('exponential', Math.exp, (_x, y) => y);

export const softplusFn = scalarFn('softplus', softplusScalar, (x) => sigmoidScalar(x));

export const softsignFn = scalarFn(
  'softsign',
  (x) => x / (1 + Math.abs(x)),
  (x) => {
    const d = 1 + Math.abs(x);
    return 1 / (d * d);
  },
);

export const siluFn = scalarFn(
  'silu',
  (x) => x * sigmoidScalar(x),
  (x) => {
    const s = sigmoidScalar(x);
    return s * (1 + x * (1 - s));
  },
);

/** Keras 3: relu6(x + 3) / 6, slope 1/6 on (−3, 3). */
export const hardSigmoidFn = scalarFn(
  'hard_sigmoid',
  (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
);

/** Keras 2 (and tf.keras): clip(0.2x + 0.5, 0, 1), slope 0.2 on (−2.5, 2.5). */
export const hardSigmoidKeras2Fn = scalarFn(
  'hard_sigmoid',
  (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
  (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
);

export const hardSiluFn = scalarFn(
  'hard_silu',
  (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6),
);

export const seluFn = scalarFn(
  'selu',
  (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x)),
  (x) => (x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
);

export const mishFn = scalarFn(
  'mish',
  (x) => x * Math.tanh(softplusScalar(x)),
  (x) => {
    const t = Math.tanh(softplusScalar(x));
    return t + x * (1 - t * t) * sigmoidScalar(x);
  },
);

export const logSigmoidFn = scalarFn(
  'log_sigmoid',
  (x) => -softplusScalar(-x),
  (x) => sigmoidScalar(-x),
);

export const hardTanhFn = scalarFn(
  'hard_tanh',
  (x) => Math.min(Math.max(x, -1), 1),
  (x) => (x >= -1 && x <= 1 ? 1 : 0),
);

export const tanhShrinkFn = scalarFn(
  'tanh_shrink',
  (x) => x - Math.tanh(x),
  (x) => {
    const t = Math.tanh(x);
    return t * t;
  },
);

export const sparsePlusFn = scalarFn(
  'sparse_plus',
  (x) => (x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) * (x + 1) : x),
  (x) => (x <= -1 ? 0 : x < 1 ? 0.5 * (x + 1) : 1),
);

export const sparseSigmoidFn = scalarFn(
  'sparse_sigmoid',
  (x) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1)),
  (x) => (x > -1 && x < 1 ? 0.5 : 0),
);

// ---- Parameterized families. Each factory returns the scalar function for one setting of the parameters.

/**
 * Keras's `relu(x, negative_slope, max_value, threshold)`: the positive part is x where x > threshold (else 0),
 * clipped to [0, maxValue] when maxValue is set; then `negativeSlope · max(threshold − x, 0)` is subtracted.
 * With the defaults it is max(x, 0).
 */
export function reluFn(negativeSlope = 0, maxValue: number | null = null, threshold = 0): ScalarFunction {
  const clip = (p: number): number => (maxValue === null ? p : Math.min(Math.max(p, 0), maxValue));
  const positive = (x: number): number => {
    if (threshold !== 0) return clip(x > threshold ? x : 0);
    return clip(x > 0 ? x : 0);
  };
  const positiveGrad = (x: number): number => {
    if (threshold !== 0) return x > threshold && (maxValue === null || (x >= 0 && x <= maxValue)) ? 1 : 0;
    if (maxValue === 6) return x > 0 && x < 6 ? 1 : 0; // Keras takes relu6's path here
    return x > 0 && (maxValue === null || x <= maxValue) ? 1 : 0;
  };
  return scalarFn(
    'relu',
    (x) => positive(x) - (negativeSlope !== 0 ? negativeSlope * Math.max(threshold - x, 0) : 0),
    (x) => positiveGrad(x) + (negativeSlope !== 0 && x < threshold ? negativeSlope : 0),
  );
}

export const reluScalarFn = scalarFn(
  'relu',
  (x) => (x > 0 ? x : 0),
  (x) => (x > 0 ? 1 : 0),
);

export const relu6Fn = scalarFn(
  'relu6',
  (x) => Math.min(Math.max(x, 0), 6),
  (x) => (x > 0 && x < 6 ? 1 : 0),
);

export function leakyReluFn(negativeSlope = 0.2): ScalarFunction {
  return scalarFn(
    'leaky_relu',
    (x) => (x > 0 ? x : negativeSlope * x),
    (x) => (x > 0 ? 1 : negativeSlope),
  );
}

export function eluFn(alpha = 1): ScalarFunction {
  return scalarFn(
    'elu',
    (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    (x) => (x > 0 ? 1 : alpha * Math.exp(x)),
  );
}

export function celuFn(alpha = 1): ScalarFunction {
  return scalarFn(
    'celu',
    (x) => (x > 0 ? x : alpha * Math.expm1(x / alpha)),
    (x) => (x > 0 ? 1 : Math.exp(x / alpha)),
  );
}

/** GELU: exact x·Φ(x) (computed as ½x·erfc(−x/√2), as TensorFlow does), or the tanh approximation. */
export function geluFn(approximate = false): ScalarFunction {
  if (!approximate) {
    return scalarFn(
      'gelu',
      (x) => 0.5 * x * erfc(-x * SQRT_HALF),
      (x) => 0.5 * erfc(-x * SQRT_HALF) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
    );
  }
  return scalarFn(
    'gelu',
    (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x))),
    (x) => {
      const t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
    },
  );
}

export function hardShrinkFn(threshold = 0.5): ScalarFunction {
  return scalarFn(
    'hard_shrink',
    (x) => (Math.abs(x) > threshold ? x : 0),
    (x) => (Math.abs(x) > threshold ? 1 : 0),
  );
}

export function softShrinkFn(threshold = 0.5): ScalarFunction {
  return scalarFn(
    'soft_shrink',
    (x) => (x > threshold ? x - threshold : x < -threshold ? x + threshold : 0),
    (x) => (x > threshold || x < -threshold ? 1 : 0),
  );
}

export function squareplusFn(b = 4): ScalarFunction {
  return scalarFn(
    'squareplus',
    (x) => (x + Math.sqrt(x * x + b)) / 2,
    (x) => (1 + x / Math.sqrt(x * x + b)) / 2,
  );
}

export function thresholdFn(threshold: number, defaultValue: number): ScalarFunction {
  return scalarFn(
    'threshold',
    (x) => (x > threshold ? x : defaultValue),
    (x) => (x > threshold ? 1 : 0),
  );
}
