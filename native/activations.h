// Vectorised activations and their derivatives (as functions of the output y), in float32, for the kinds of
// src/backend/wasm/activations.ts. Included after vec.h. The definitions are src/activations/elementwise.ts;
// test/backend/kernels.test.ts holds these to 1e-6 of them. NaN propagates (every clamp compares so that a NaN
// lane keeps its value), ±∞ saturates as the definitions do.

// e^x for x in [-87, 88] (callers clamp): x = n·ln2 + r, |r| ≤ ln2/2, e^r by its degree-7 Taylor polynomial
// (relative error < 2e-9 on that range, far below float32's 6e-8), 2^n built in the exponent bits.
static inline vf exp_clamped(vf x) {
  const vf shifter = splat(12582912.0f);  // 1.5·2^23: adding it rounds to an integer
  vf n = (x * 1.44269504088896341f + shifter) - shifter;
  vf r = x - n * 0.693145751953125f;  // ln2 split in two so n·ln2_hi is exact
  r = r - n * 1.428606765330187e-06f;
  vf p = splat(1.0f / 5040);
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const vi bits = (__builtin_convertvector(n, vi) + 127) << 23;
  return p * reinterpret_cast<const vf &>(bits);
}

static inline vf clamp(vf x, float lo, float hi) {
  x = vsel(x < lo, splat(lo), x);
  return vsel(x > hi, splat(hi), x);
}

// σ(x) = 1 / (1 + e^−x); beyond ±87 σ is 0 or 1 to float32 precision.
static inline vf sigmoid(vf x) { return 1.0f / (1.0f + exp_clamped(clamp(-x, -87.0f, 88.0f))); }

// tanh x = 1 − 2/(e^2x + 1): absolute error ~1 ulp of 1 near 0, exact saturation at ±1.
static inline vf tanh_(vf x) { return 1.0f - 2.0f / (exp_clamped(clamp(2.0f * x, -87.0f, 88.0f)) + 1.0f); }

static inline vf activate(int kind, vf x) {
  switch (kind) {
    case KG_SIGMOID:
      return sigmoid(x);
    case KG_TANH:
      return tanh_(x);
    case KG_HARD_SIGMOID:  // Keras 3: relu6(x + 3) / 6
      return clamp(x + 3.0f, 0.0f, 6.0f) / 6.0f;
    case KG_RELU:
      return vsel(x > 0.0f, x, splat(0.0f));
    default:
      return x;
  }
}

// d act / dx at the output y = act(x) (hard_sigmoid: slope 1/6 where 0 < y < 1, that is −3 < x < 3).
static inline vf derivative(int kind, vf y) {
  switch (kind) {
    case KG_SIGMOID:
      return y * (1.0f - y);
    case KG_TANH:
      return 1.0f - y * y;
    case KG_HARD_SIGMOID:
      return vsel((y > 0.0f) & (y < 1.0f), splat(1.0f / 6), splat(0.0f));
    case KG_RELU:
      return vsel(y > 0.0f, splat(1.0f), splat(0.0f));
    default:
      return splat(1.0f);
  }
}
