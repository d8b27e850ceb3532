// SIMD activations for the names a GRU uses, on float32 lanes, each within about one rounding of the float64
// definition in src/activations/elementwise.ts (test/backend/wasm.test.ts measures it): the exponential's
// reduction and polynomial run in float32, the steps that would lose precision in float64. Derivatives are
// taken from the output y, which gives TensorFlow's values at the kinks (relu'(0) = 0, hard_sigmoid' = 0
// outside (−3, 3)).

export const ACT_LINEAR: i32 = 0;
export const ACT_SIGMOID: i32 = 1;
export const ACT_TANH: i32 = 2;
export const ACT_HARD_SIGMOID: i32 = 3; // Keras 3: relu6(x + 3) / 6
export const ACT_RELU: i32 = 4;

const LOG2E: f32 = 1.44269504088896341;
// ln 2 = LN2_HI + LN2_LO, LN2_HI with 15 significant bits so that n·LN2_HI is exact for |n| < 512.
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.42860682030941723e-6;
// Round-to-nearest of y·log2(e) by the 1.5·2²³ trick: adding it leaves the integer in the low mantissa bits
// (valid for |y·log2 e| < 2²²), so n and its bits come without a float→int conversion.
const ROUNDER: f32 = 12582912.0;
const ROUNDER_BITS: i32 = 0x4b400000;

// The loops' vector constants, loaded from memory (one instruction) rather than rebuilt from immediates
// (three), which V8 does inside loops that run out of registers.
// @ts-ignore: decorator
@lazy const F32C: usize = memory.data<f32>([
  LOG2E, LOG2E, LOG2E, LOG2E, // 0
  ROUNDER, ROUNDER, ROUNDER, ROUNDER, // 1
  LN2_HI, LN2_HI, LN2_HI, LN2_HI, // 2
  LN2_LO, LN2_LO, LN2_LO, LN2_LO, // 3
  0.5, 0.5, 0.5, 0.5, // 4
  1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, // 5
  1.0 / 24.0, 1.0 / 24.0, 1.0 / 24.0, 1.0 / 24.0, // 6
  1.0 / 120.0, 1.0 / 120.0, 1.0 / 120.0, 1.0 / 120.0, // 7
  1.0 / 720.0, 1.0 / 720.0, 1.0 / 720.0, 1.0 / 720.0, // 8
  1.0 / 5040.0, 1.0 / 5040.0, 1.0 / 5040.0, 1.0 / 5040.0, // 9
  1.0 / 40320.0, 1.0 / 40320.0, 1.0 / 40320.0, 1.0 / 40320.0, // 10
  -104, -104, -104, -104, // 11
  104, 104, 104, 104, // 12
  40, 40, 40, 40, // 13
], 16);
// @ts-ignore: decorator
@lazy const F64C: usize = memory.data<f64>([1, 1, 2, 2], 16); // 0: 1, 1: 2
// @ts-ignore: decorator
@lazy const INTC: usize = memory.data<i32>([
  ROUNDER_BITS, ROUNDER_BITS, ROUNDER_BITS, ROUNDER_BITS, // 0
  0x80000000, 0x80000000, 0x80000000, 0x80000000, // 1
  1023, 0, 1023, 0, // 2: i64x2 1023
], 16);

// @ts-ignore: decorator
@inline function cf(i: i32): v128 {
  return v128.load(F32C + (<usize>i << 4));
}
// @ts-ignore: decorator
@inline function cd(i: i32): v128 {
  return v128.load(F64C + (<usize>i << 4));
}
// @ts-ignore: decorator
@inline function ci(i: i32): v128 {
  return v128.load(INTC + (<usize>i << 4));
}

// eʳ − 1 = r + r²·P(r), P(r) = 1/2 + r/6 + r²/24 + … + r⁶/8! (Taylor; |r| ≤ ln2/2 keeps the truncation
// below 1e-9). r²·P is evaluated in float32 — it is at most 7% of the sum, so its rounding hardly shows —
// by Estrin's scheme, which halves the dependency chain of Horner's (these loops are latency-bound).
// @ts-ignore: decorator
@inline function tail(r: v128): v128 {
  const r2 = f32x4.mul(r, r);
  const a = f32x4.add(cf(4), f32x4.mul(r, cf(5)));
  const b = f32x4.add(cf(6), f32x4.mul(r, cf(7)));
  const c = f32x4.add(cf(8), f32x4.mul(r, cf(9)));
  const c2 = f32x4.add(c, f32x4.mul(r2, cf(10)));
  return f32x4.mul(r2, f32x4.add(a, f32x4.mul(r2, f32x4.add(b, f32x4.mul(r2, c2)))));
}

/** eʸ = 2ⁿ·eʳ: the rounder's bits of n = round(y·log2 e) (n = bits − ROUNDER_BITS). */
// @ts-ignore: decorator
@inline function reduceKf(y: v128): v128 {
  return f32x4.add(f32x4.mul(y, cf(0)), cf(1));
}
/** r = y − n·ln2, in two parts so that n·LN2_HI is exact. */
// @ts-ignore: decorator
@inline function reduceR(y: v128, kf: v128): v128 {
  const n = f32x4.sub(kf, cf(1));
  return f32x4.sub(f32x4.sub(y, f32x4.mul(n, cf(2))), f32x4.mul(n, cf(3)));
}
/** 2ⁿ in float64 lanes from n in int64 lanes (the rounder's bits minus ROUNDER_BITS, widened). */
// @ts-ignore: decorator
@inline function pow2d(n: v128): v128 {
  return i64x2.shl(i64x2.add(n, ci(2)), 52);
}

// @ts-ignore: decorator
@inline function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
// @ts-ignore: decorator
@inline function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}
// @ts-ignore: decorator
@inline function join(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// σ(x) = 1/(1 + e), e = exp(−x) formed in float64, where it neither overflows nor underflows for any input
// that matters (|x| ≤ 104). The reduction and q = expm1(r) run in float32 (q's rounding is at most 2e-8
// relative to e); 2ⁿ·(1 + q) and the quotient in float64, so the result is rounded about once.
// @ts-ignore: decorator
@inline function sigmoidHalf(q: v128, n: v128): v128 {
  const e = f64x2.mul(f64x2.add(cd(0), q), pow2d(n));
  return f64x2.div(cd(0), f64x2.add(cd(0), e));
}

// @ts-ignore: decorator
@inline export function sigmoidv(x: v128): v128 {
  // Clamped to [−104, 104]: σ is 0 or 1 in float32 beyond. pmax/pmin keep a NaN (comparisons are false).
  const y = f32x4.pmin(f32x4.pmax(f32x4.neg(x), cf(11)), cf(12));
  const kf = reduceKf(y);
  const r = reduceR(y, kf);
  const q = f32x4.add(r, tail(r));
  const n = i32x4.sub(kf, ci(0));
  const lo = sigmoidHalf(lo64(q), i64x2.extend_low_i32x4_s(n));
  return join(lo, sigmoidHalf(hi64(q), i64x2.extend_high_i32x4_s(n)));
}

// tanh|x| = E/(E+2) with E = expm1(2|x|) = 2ⁿ·q + (2ⁿ − 1), q = expm1(r); the sign is copied back. For n = 0
// (|x| < 0.17) E = q, whose float32 rounding is then the only one before the quotient's.
// @ts-ignore: decorator
@inline function tanhHalf(r: v128, w: v128, s: v128): v128 {
  const e = f64x2.add(f64x2.mul(s, f64x2.add(r, w)), f64x2.sub(s, cd(0)));
  return f64x2.div(e, f64x2.add(e, cd(1)));
}

// @ts-ignore: decorator
@inline export function tanhv(x: v128): v128 {
  const a = f32x4.abs(x);
  const y = f32x4.pmin(f32x4.add(a, a), cf(13)); // pmin keeps a NaN
  const kf = reduceKf(y);
  const r = reduceR(y, kf);
  const w = tail(r);
  const n = i32x4.sub(kf, ci(0));
  const lo = tanhHalf(lo64(r), lo64(w), pow2d(i64x2.extend_low_i32x4_s(n)));
  const t = join(lo, tanhHalf(hi64(r), hi64(w), pow2d(i64x2.extend_high_i32x4_s(n))));
  return v128.or(t, v128.and(x, ci(1)));
}

// In float64, as the definition: x + 3 is exact there, so the result is rounded about once. pmax/pmin with
// these operand orders keep a NaN (comparisons with NaN are false).
// @ts-ignore: decorator
@inline function hardSigmoid2(x: v128): v128 {
  const c = f64x2.pmin(f64x2.pmax(f64x2.add(x, f64x2.splat(3)), f64x2.splat(0)), f64x2.splat(6));
  return f64x2.mul(c, f64x2.splat(1.0 / 6.0));
}

// @ts-ignore: decorator
@inline export function hardSigmoidv(x: v128): v128 {
  return join(hardSigmoid2(lo64(x)), hardSigmoid2(hi64(x)));
}

// @ts-ignore: decorator
@inline export function reluv(x: v128): v128 {
  return f32x4.pmax(f32x4.splat(0), x); // 0 < x ? x : 0, so NaN → 0 as x > 0 ? x : 0 does
}

/** Applies activation `kind` to n floats at p in place (n a multiple of 4). */
export function activate(kind: i32, p: usize, n: i32): void {
  const end = p + (<usize>n << 2);
  switch (kind) {
    // Four vectors per iteration: independent chains overlap (each is a long chain of dependent operations);
    // eight run out of registers.
    case ACT_SIGMOID: {
      let q = p;
      for (; q + 64 <= end; q += 64) {
        const u = sigmoidv(v128.load(q));
        const v = sigmoidv(v128.load(q, 16));
        const w = sigmoidv(v128.load(q, 32));
        const z = sigmoidv(v128.load(q, 48));
        v128.store(q, u);
        v128.store(q, v, 16);
        v128.store(q, w, 32);
        v128.store(q, z, 48);
      }
      for (; q + 32 <= end; q += 32) {
        const u = sigmoidv(v128.load(q));
        const v = sigmoidv(v128.load(q, 16));
        v128.store(q, u);
        v128.store(q, v, 16);
      }
      if (q < end) v128.store(q, sigmoidv(v128.load(q)));
      break;
    }
    case ACT_TANH: {
      let q = p;
      for (; q + 64 <= end; q += 64) {
        const u = tanhv(v128.load(q));
        const v = tanhv(v128.load(q, 16));
        const w = tanhv(v128.load(q, 32));
        const z = tanhv(v128.load(q, 48));
        v128.store(q, u);
        v128.store(q, v, 16);
        v128.store(q, w, 32);
        v128.store(q, z, 48);
      }
      for (; q + 32 <= end; q += 32) {
        const u = tanhv(v128.load(q));
        const v = tanhv(v128.load(q, 16));
        v128.store(q, u);
        v128.store(q, v, 16);
      }
      if (q < end) v128.store(q, tanhv(v128.load(q)));
      break;
    }
    case ACT_HARD_SIGMOID:
      for (let q = p; q < end; q += 16) v128.store(q, hardSigmoidv(v128.load(q)));
      break;
    case ACT_RELU:
      for (let q = p; q < end; q += 16) v128.store(q, reluv(v128.load(q)));
      break;
    default:
      break;
  }
}

/** The derivative of activation `kind` at the point whose output is y. */
// @ts-ignore: decorator
@inline export function derivative(kind: i32, y: v128): v128 {
  const one = f32x4.splat(1);
  if (kind == ACT_SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  if (kind == ACT_TANH) return f32x4.sub(one, f32x4.mul(y, y));
  if (kind == ACT_HARD_SIGMOID) {
    const inside = v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.lt(y, one));
    return v128.and(inside, f32x4.splat(<f32>(1.0 / 6.0)));
  }
  if (kind == ACT_RELU) return v128.and(f32x4.gt(y, f32x4.splat(0)), one);
  return one;
}

/** Test hook: applies `kind` to n floats from src into dst (n a multiple of 4). */
export function activateInto(kind: i32, src: usize, dst: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 2);
  activate(kind, dst, n);
}
