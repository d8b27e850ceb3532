// Blocked, packed f32x4 GEMM (AssemblyScript). Twin: src/backend/reference/matmul.ts.
//
//   C[M,N] (+)= op(A)[M,K] · B[K,N]        op(A)[i][k] = transA ? a[k*lda + i] : a[i*lda + k]
//
// B is always packed first ("panels"): ceil(N/8) panels, panel p = rows [0,Kt) × columns [8p, 8p+8) stored
// [Kt][8] contiguously, columns past N zero. Weights are packed once and cached by the host; a multiply may use a
// row range [k0, k0+K) of the packed rows. A is repacked per block into [ceil(m/4)][kc][4][4], each element
// stored four times (rows past m zero).
// C is row-major with leading dimension ldc (floats); only columns < N and rows < M are written.
// Rows of C are independent and the kernels keep no static scratch, so workers sharing the memory can split
// [0,M) between them (each with its own A-packing scratch).

export const NR: i32 = 8;
const KC: i32 = 256; // rows of B per block: a [KC][8] panel slice (8 KB) stays in L1
// Rows of A per block: a broadcast [MC][KC] block (128 KB) stays in L2 while B streams past it. Up to
// MC_WHOLE rows are packed as one block instead (a recurrent step's batch), so B is read once per block of K.
const MC: i32 = 32;
const MC_WHOLE: i32 = 64;

// a·b + c, fused where relaxed SIMD is compiled in (a separate build, used only where the host detects it).
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(c, f32x4.mul(a, b));
  }
}


/** Packs op(B) (K×N; op = transpose when transB) into panels of Kt = K rows at dst. */
export function packB(src: usize, ldb: i32, transB: bool, K: i32, N: i32, dst: usize): void {
  const panels = (N + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const n0 = p << 3;
    const w = min(8, N - n0);
    let d = dst + ((<usize>p * <usize>K) << 5);
    if (!transB) {
      if (w == 8) {
        let s = src + (<usize>n0 << 2);
        const step = <usize>ldb << 2;
        for (let k = 0; k < K; k++) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          s += step;
          d += 32;
        }
      } else {
        for (let k = 0; k < K; k++) {
          const s = src + ((<usize>k * <usize>ldb + <usize>n0) << 2);
          for (let j = 0; j < 8; j++) store<f32>(d + (<usize>j << 2), j < w ? load<f32>(s + (<usize>j << 2)) : 0);
          d += 32;
        }
      }
    } else {
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < 8; j++) {
          const v: f32 = j < w ? load<f32>(src + ((<usize>(n0 + j) * <usize>ldb + <usize>k) << 2)) : 0;
          store<f32>(d + (<usize>j << 2), v);
        }
        d += 32;
      }
    }
  }
}

/**
 * Packs rows [i0, i0+m) and columns [k0, k0+kc) of op(A) into [ceil(m/4)][kc][4][4] at dst: each element is
 * stored four times (a ready-made broadcast), so the kernel reads it with one plain load whose offset the
 * engine folds into the address (broadcasting loads and lane shuffles cost extra instructions per use).
 */
function packA(src: usize, lda: i32, transA: bool, i0: i32, m: i32, k0: i32, kc: i32, dst: usize): void {
  const groups = (m + 3) >> 2;
  const rowStep: usize = transA ? 4 : <usize>lda << 2; // bytes between rows of op(A)
  const colStep: usize = transA ? <usize>lda << 2 : 4; // bytes between columns of op(A)
  for (let q = 0; q < groups; q++) {
    const r0 = i0 + (q << 2);
    const h = min(4, m - (q << 2));
    let d = dst + ((<usize>q * <usize>kc) << 6);
    let s = src + <usize>r0 * rowStep + <usize>k0 * colStep;
    if (h == 4) {
      for (let k = 0; k < kc; k++) {
        v128.store(d, v128.load32_splat(s));
        v128.store(d, v128.load32_splat(s + rowStep), 16);
        v128.store(d, v128.load32_splat(s + 2 * rowStep), 32);
        v128.store(d, v128.load32_splat(s + 3 * rowStep), 48);
        s += colStep;
        d += 64;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < 4; r++) {
          v128.store(d + (<usize>r << 4), r < h ? v128.load32_splat(s + <usize>r * rowStep) : f32x4.splat(0));
        }
        s += colStep;
        d += 64;
      }
    }
  }
}

// Stores a row of 8 results: c = acc (+ c when accumulating) (+ bias[0..8]) (+ d[0..8]); bias, d = 0: none.
// @ts-ignore: decorator
@inline function storeRow(p: usize, lo: v128, hi: v128, accumulate: bool, bias: usize, d: usize): void {
  if (accumulate) {
    lo = f32x4.add(lo, v128.load(p));
    hi = f32x4.add(hi, v128.load(p, 16));
  }
  if (bias != 0) {
    lo = f32x4.add(lo, v128.load(bias));
    hi = f32x4.add(hi, v128.load(bias, 16));
  }
  if (d != 0) {
    lo = f32x4.add(lo, v128.load(d));
    hi = f32x4.add(hi, v128.load(d, 16));
  }
  v128.store(p, lo);
  v128.store(p, hi, 16);
}

// One column of storeRow, for the lanes of a row that only partly fits in C.
// @ts-ignore: decorator
@inline function storeLane(p: usize, j: i32, v: f32, accumulate: bool, bias: usize, d: usize): void {
  const o = <usize>j << 2;
  if (accumulate) v += load<f32>(p + o);
  if (bias != 0) v += load<f32>(bias + o);
  if (d != 0) v += load<f32>(d + o);
  store<f32>(p + o, v);
}

// storeRow for the first `count` (< 8) columns only. No scratch memory, so workers can share nothing.
function storePartial(p: usize, lo: v128, hi: v128, count: i32, accumulate: bool, bias: usize, d: usize): void {
  if (count > 0) storeLane(p, 0, f32x4.extract_lane(lo, 0), accumulate, bias, d);
  if (count > 1) storeLane(p, 1, f32x4.extract_lane(lo, 1), accumulate, bias, d);
  if (count > 2) storeLane(p, 2, f32x4.extract_lane(lo, 2), accumulate, bias, d);
  if (count > 3) storeLane(p, 3, f32x4.extract_lane(lo, 3), accumulate, bias, d);
  if (count > 4) storeLane(p, 4, f32x4.extract_lane(hi, 0), accumulate, bias, d);
  if (count > 5) storeLane(p, 5, f32x4.extract_lane(hi, 1), accumulate, bias, d);
  if (count > 6) storeLane(p, 6, f32x4.extract_lane(hi, 2), accumulate, bias, d);
  if (count > 7) storeLane(p, 7, f32x4.extract_lane(hi, 3), accumulate, bias, d);
}

/**
 * C tile (rows × cols of 4×8 at c) (+)= packed A panel [K][4] · packed B panel [K][8], plus the epilogue's
 * bias (8 floats) and addend d (rows of 8 with leading dimension ldd), each where nonzero.
 */
function kernel4x8(
  a: usize, b: usize, K: i32,
  c: usize, ldc: i32, rows: i32, cols: i32, accumulate: bool,
  bias: usize, d: usize, ldd: i32,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  const aEnd = a + (<usize>K << 6);
  while (a < aEnd) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a0 = v128.load(a);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load(a, 16);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = v128.load(a, 32);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load(a, 48);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    a += 64;
    b += 32;
  }
  const ld = <usize>ldc << 2;
  const dd = <usize>ldd << 2;
  if (rows == 4 && cols == 8) {
    storeRow(c, c00, c01, accumulate, bias, d);
    storeRow(c + ld, c10, c11, accumulate, bias, d != 0 ? d + dd : 0);
    storeRow(c + 2 * ld, c20, c21, accumulate, bias, d != 0 ? d + 2 * dd : 0);
    storeRow(c + 3 * ld, c30, c31, accumulate, bias, d != 0 ? d + 3 * dd : 0);
    return;
  }
  const r1 = rows > 1;
  const r2 = rows > 2;
  const r3 = rows > 3;
  if (cols == 8) {
    storeRow(c, c00, c01, accumulate, bias, d);
    if (r1) storeRow(c + ld, c10, c11, accumulate, bias, d != 0 ? d + dd : 0);
    if (r2) storeRow(c + 2 * ld, c20, c21, accumulate, bias, d != 0 ? d + 2 * dd : 0);
    if (r3) storeRow(c + 3 * ld, c30, c31, accumulate, bias, d != 0 ? d + 3 * dd : 0);
    return;
  }
  storePartial(c, c00, c01, cols, accumulate, bias, d);
  if (r1) storePartial(c + ld, c10, c11, cols, accumulate, bias, d != 0 ? d + dd : 0);
  if (r2) storePartial(c + 2 * ld, c20, c21, cols, accumulate, bias, d != 0 ? d + 2 * dd : 0);
  if (r3) storePartial(c + 3 * ld, c30, c31, cols, accumulate, bias, d != 0 ? d + 3 * dd : 0);
}

// @ts-ignore: decorator
@inline function offset(p: usize, floats: i32): usize {
  return p != 0 ? p + (<usize>floats << 2) : 0;
}

// The addend's pointer for column n, or 0 past its dN columns (dN is a multiple of 8).
// @ts-ignore: decorator
@inline function addend(d: usize, n: i32, dN: i32): usize {
  return d != 0 && n < dN ? d + (<usize>n << 2) : 0;
}

/**
 * One row: c[0,N) (+)= a[0,K) · packed B rows [k0, k0+K) (panels of bK rows). Three panels at a time: six
 * independent accumulators hide the add latency, and with their six loads and the broadcast they fit V8's
 * fifteen vector registers (four panels spill an accumulator to the stack).
 */
export function gemv(
  a: usize, bp: usize, bK: i32, k0: i32, K: i32, N: i32,
  c: usize, accumulate: bool, bias: usize, d: usize, dN: i32,
): void {
  const panels = (N + 7) >> 3;
  const pstride = <usize>bK << 5;
  let p = 0;
  for (; p + 3 <= panels; p += 3) {
    let b0 = bp + <usize>p * pstride + (<usize>k0 << 5);
    let b1 = b0 + pstride;
    let b2 = b1 + pstride;
    let x0 = f32x4.splat(0);
    let x1 = f32x4.splat(0);
    let x2 = f32x4.splat(0);
    let x3 = f32x4.splat(0);
    let x4 = f32x4.splat(0);
    let x5 = f32x4.splat(0);
    let ak = a;
    for (let k = 0; k < K; k++) {
      const s = v128.load32_splat(ak);
      x0 = madd(s, v128.load(b0), x0);
      x1 = madd(s, v128.load(b0, 16), x1);
      x2 = madd(s, v128.load(b1), x2);
      x3 = madd(s, v128.load(b1, 16), x3);
      x4 = madd(s, v128.load(b2), x4);
      x5 = madd(s, v128.load(b2, 16), x5);
      ak += 4;
      b0 += 32;
      b1 += 32;
      b2 += 32;
    }
    const n0 = p << 3;
    const cp = c + (<usize>n0 << 2);
    storeRow(cp, x0, x1, accumulate, offset(bias, n0), addend(d, n0, dN));
    storeRow(cp + 32, x2, x3, accumulate, offset(bias, n0 + 8), addend(d, n0 + 8, dN));
    if (n0 + 24 <= N) storeRow(cp + 64, x4, x5, accumulate, offset(bias, n0 + 16), addend(d, n0 + 16, dN));
    else storePartial(cp + 64, x4, x5, N - n0 - 16, accumulate, offset(bias, n0 + 16), addend(d, n0 + 16, dN));
  }
  if (p + 2 == panels) {
    let b0 = bp + <usize>p * pstride + (<usize>k0 << 5);
    let b1 = b0 + pstride;
    let x0 = f32x4.splat(0);
    let x1 = f32x4.splat(0);
    let x2 = f32x4.splat(0);
    let x3 = f32x4.splat(0);
    let ak = a;
    for (let k = 0; k < K; k++) {
      const s = v128.load32_splat(ak);
      x0 = madd(s, v128.load(b0), x0);
      x1 = madd(s, v128.load(b0, 16), x1);
      x2 = madd(s, v128.load(b1), x2);
      x3 = madd(s, v128.load(b1, 16), x3);
      ak += 4;
      b0 += 32;
      b1 += 32;
    }
    const n0 = p << 3;
    const cp = c + (<usize>n0 << 2);
    storeRow(cp, x0, x1, accumulate, offset(bias, n0), addend(d, n0, dN));
    if (n0 + 16 <= N) storeRow(cp + 32, x2, x3, accumulate, offset(bias, n0 + 8), addend(d, n0 + 8, dN));
    else storePartial(cp + 32, x2, x3, N - n0 - 8, accumulate, offset(bias, n0 + 8), addend(d, n0 + 8, dN));
    p += 2;
  }
  for (; p < panels; p++) {
    let b0 = bp + <usize>p * pstride + (<usize>k0 << 5);
    let x0 = f32x4.splat(0);
    let x1 = f32x4.splat(0);
    let x2 = f32x4.splat(0);
    let x3 = f32x4.splat(0);
    let ak = a;
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      const s0 = v128.load32_splat(ak);
      const s1 = v128.load32_splat(ak, 4);
      x0 = madd(s0, v128.load(b0), x0);
      x1 = madd(s0, v128.load(b0, 16), x1);
      x2 = madd(s1, v128.load(b0, 32), x2);
      x3 = madd(s1, v128.load(b0, 48), x3);
      ak += 8;
      b0 += 64;
    }
    if (k < K) {
      const s0 = v128.load32_splat(ak);
      x0 = madd(s0, v128.load(b0), x0);
      x1 = madd(s0, v128.load(b0, 16), x1);
    }
    x0 = f32x4.add(x0, x2);
    x1 = f32x4.add(x1, x3);
    const n0 = p << 3;
    const cp = c + (<usize>n0 << 2);
    if (n0 + 8 <= N) storeRow(cp, x0, x1, accumulate, offset(bias, n0), addend(d, n0, dN));
    else storePartial(cp, x0, x1, N - n0, accumulate, offset(bias, n0), addend(d, n0, dN));
  }
}

/** Bytes of A-packing scratch that `gemm` needs. */
export function gemmScratchBytes(): i32 {
  return MC_WHOLE * KC * 16;
}

/**
 * C[M,N] (+)= op(A)[M,K] · packed B rows [k0, k0+K) (panels of bK rows) (+ bias[N]) (+ D[M,dN], leading
 * dimension ldd, added to the first dN columns; dN a multiple of 8 or ≥ N). accumulate = add to C instead of
 * overwriting it; bias, d = 0: none. apack: `gemmScratchBytes()` bytes. C, bias and D may be unaligned.
 */
export function gemm(
  M: i32, N: i32, K: i32,
  a: usize, lda: i32, transA: bool,
  bp: usize, bK: i32, k0: i32,
  c: usize, ldc: i32, accumulate: bool,
  apack: usize,
  bias: usize, d: usize, ldd: i32, dN: i32,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    for (let i = 0; i < M; i++) {
      const row = c + ((<usize>i * <usize>ldc) << 2);
      if (!accumulate) memory.fill(row, 0, <usize>N << 2);
      for (let j = 0; j < N; j++) {
        const o = <usize>j << 2;
        let v = load<f32>(row + o);
        if (bias != 0) v += load<f32>(bias + o);
        if (d != 0 && j < dN) v += load<f32>(d + ((<usize>i * <usize>ldd) << 2) + o);
        store<f32>(row + o, v);
      }
    }
    return;
  }
  if (M < 4 && !transA) {
    for (let i = 0; i < M; i++) {
      const ci = c + ((<usize>i * <usize>ldc) << 2);
      gemv(a + ((<usize>i * <usize>lda) << 2), bp, bK, k0, K, N, ci, accumulate, bias, offset(d, i * ldd), dN);
    }
    return;
  }
  const panels = (N + 7) >> 3;
  const pstride = <usize>bK << 5;
  for (let kk = 0; kk < K; kk += KC) {
    const kc = min(KC, K - kk);
    const first = kk == 0; // the epilogue is added once, with the first block of K
    const acc = accumulate || !first;
    const mcb = M <= MC_WHOLE ? M : MC;
    for (let ii = 0; ii < M; ii += mcb) {
      const mc = min(mcb, M - ii);
      packA(a, lda, transA, ii, mc, kk, kc, apack);
      const groups = (mc + 3) >> 2;
      for (let p = 0; p < panels; p++) {
        const bpan = bp + <usize>p * pstride + (<usize>(k0 + kk) << 5);
        const cols = min(8, N - (p << 3));
        const bp8 = first ? offset(bias, p << 3) : 0;
        for (let q = 0; q < groups; q++) {
          const row = ii + (q << 2);
          const cq = c + ((<usize>row * <usize>ldc + <usize>(p << 3)) << 2);
          const dq = first && (p << 3) < dN ? offset(d, row * ldd + (p << 3)) : 0;
          kernel4x8(apack + ((<usize>q * <usize>kc) << 6), bpan, kc, cq, ldc, min(4, mc - (q << 2)), cols, acc, bp8, dq, ldd);
        }
      }
    }
  }
}
