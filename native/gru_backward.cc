// Backpropagation through time for gru_forward (twin: gruSequenceBackward in src/backend/reference/gru.ts).
// Steps phase, per range of batch rows: walk the steps in reverse carrying dh (the state's gradient) and dOut
// (the previous output's, which a masked step repeats), writing each step's gradient of the input projection
// (dxProj) and of the recurrent matmul's output (dRecAll). Weights phase, once every row is done: dx for the
// same rows, and for a range of gate columns the kernel, recurrent kernel and bias gradients as GEMMs over
// all B·T rows at once.
#include "kernels.h"

namespace KG_ISA {
#include "vec.h"
#include "activations.h"

size_t packed_floats(int K, int N);
void pack_b(const float *b, long rsb, long csb, int K, int N, float *dst);
void gemm(int M, int N, int K, const float *a, long rsa, long csa, const float *bp, int bK, int k0, float *c,
          long ldc, int accumulate);

// Steps: dOut, tmp, dInner [rows, U]; weights: one packed [B·T, ≤3U] operand.
size_t gru_backward_scratch(int B, int T, int I, int U) {
  (void)I;
  const size_t steps = 3 * (size_t)B * U, weights = packed_floats(B * T, 3 * U);
  return steps > weights ? steps : weights;
}

static inline vf ld(const float *p, int n) { return n == VW ? load(p) : loadn(p, n); }
static inline void st(float *p, vf v, int n) {
  if (n == VW)
    store(p, v);
  else
    storen(p, v, n);
}

void gru_backward_steps(const KgGruBackward *a) {
  const int B = a->B, T = a->T, U = a->U, G = 3 * U, b0 = a->b0, nb = a->b1 - a->b0;
  if (nb <= 0) return;
  const bool resetAfter = a->flags & KG_RESET_AFTER, backwards = a->flags & KG_GO_BACKWARDS;
  const size_t cacheN = (size_t)T * B * U;
  const float *cHPrev = a->cache, *cZ = cHPrev + cacheN, *cR = cZ + cacheN, *cHH = cR + cacheN;
  const float *cInner = cHH + cacheN;
  float *dOut = a->scratch, *tmp = dOut + (size_t)nb * U, *dInner = tmp + (size_t)nb * U;
  float *dh = a->dh + (size_t)b0 * U;
  if (a->dState != nullptr)
    memcpy(dh, a->dState + (size_t)b0 * U, 4 * (size_t)nb * U);
  else
    memset(dh, 0, 4 * (size_t)nb * U);
  if (a->dLast != nullptr)
    memcpy(dOut, a->dLast + (size_t)b0 * U, 4 * (size_t)nb * U);
  else
    memset(dOut, 0, 4 * (size_t)nb * U);
  auto kept = [&](int b, int t) { return a->mask == nullptr || a->mask[(size_t)b * T + t] != 0; };

  for (int s = T - 1; s >= 0; s--) {
    const int t = backwards ? T - 1 - s : s;
    float *dRecRows = a->dRecAll + ((size_t)s * B + b0) * G;  // this step's rows, zero where masked
    for (int r = 0; r < nb; r++) {
      const int b = b0 + r;
      float *dor = dOut + (size_t)r * U, *dhr = dh + (size_t)r * U;
      if (a->dOutputs != nullptr) {
        const float *g = a->dOutputs + ((size_t)b * T + s) * U;
        for (int u = 0; u < U; u++) dor[u] += g[u];
      }
      if (!kept(b, t)) {
        // The state passes through; the output repeats the previous one (or is a constant zero).
        if (a->flags & KG_ZERO_OUTPUT_FOR_MASK) memset(dor, 0, 4 * (size_t)U);
        continue;
      }
      const size_t co = ((size_t)s * B + b) * U;
      float *dxp = a->dxProj + ((size_t)b * T + t) * G, *dRec = dRecRows + (size_t)r * G;
      for (int u = 0; u < U; u += VW) {
        const int n = U - u < VW ? U - u : VW;
        const vf g = ld(dhr + u, n) + ld(dor + u, n);  // this step's output is its new state
        const vf z = ld(cZ + co + u, n), hh = ld(cHH + co + u, n), hp = ld(cHPrev + co + u, n);
        const vf dAz = g * (hp - hh) * derivative(a->ract, z);
        const vf dAh = g * (1.0f - z) * derivative(a->act, hh);
        st(dhr + u, g * z, n);  // the direct path h → h'
        st(dor + u, splat(0.0f), n);
        st(dxp + u, dAz, n);
        st(dxp + 2 * U + u, dAh, n);
        st(dRec + u, dAz, n);
        if (resetAfter) {
          const vf rg = ld(cR + co + u, n);
          const vf dAr = dAh * ld(cInner + co + u, n) * derivative(a->ract, rg);
          st(dxp + U + u, dAr, n);
          st(dRec + U + u, dAr, n);
          st(dRec + 2 * U + u, dAh * rg, n);
        } else {
          st(dRec + 2 * U + u, dAh, n);  // the h columns multiply r ⊙ h: dUh pairs dAh with `inner`
        }
      }
    }
    if (!resetAfter) {
      // ĥ's pre-activation has (r ⊙ h)·Uh: d(r ⊙ h) = dAh·Uhᵀ.
      gemm(nb, U, U, dRecRows + 2 * U, G, 1, a->RT, G, 2 * U, dInner, U, 0);
      for (int r = 0; r < nb; r++) {
        const int b = b0 + r;
        if (!kept(b, t)) continue;
        const size_t co = ((size_t)s * B + b) * U;
        float *dxp = a->dxProj + ((size_t)b * T + t) * G, *dRec = dRecRows + (size_t)r * G;
        float *dhr = dh + (size_t)r * U;
        for (int u = 0; u < U; u += VW) {
          const int n = U - u < VW ? U - u : VW;
          const vf di = ld(dInner + (size_t)r * U + u, n), rg = ld(cR + co + u, n);
          const vf dAr = di * ld(cHPrev + co + u, n) * derivative(a->ract, rg);
          st(dxp + U + u, dAr, n);
          st(dRec + U + u, dAr, n);
          st(dhr + u, ld(dhr + u, n) + di * rg, n);
        }
      }
    }
    // rec = h·U[:, cols] (+ b'): dh += dRec·U[:, cols]ᵀ (cols: all three gates with resetAfter, else z|r).
    gemm(nb, U, resetAfter ? G : 2 * U, dRecRows, G, 1, a->RT, G, 0, tmp, U, 0);
    for (int r = 0; r < nb; r++) {
      if (!kept(b0 + r, t)) continue;
      float *dhr = dh + (size_t)r * U;
      const float *tr = tmp + (size_t)r * U;
      for (int u = 0; u < U; u += VW) {
        const int n = U - u < VW ? U - u : VW;
        st(dhr + u, ld(dhr + u, n) + ld(tr + u, n), n);
      }
    }
  }
}

// Column sums of rows [n rows, ld] over columns [c0, c1) into out[c0..c1).
static void column_sums(const float *m, int rows, int ld, int c0, int c1, float *out) {
  memset(out + c0, 0, 4 * (size_t)(c1 - c0));
  for (int i = 0; i < rows; i++) {
    const float *row = m + (size_t)i * ld;
    for (int j = c0; j < c1; j++) out[j] += row[j];
  }
}

// dR[:, j0:j1] = leftᵀ · dRecAll[:, j0:j1], left [T·B, U] (a cache array).
static void recurrent_grad(const KgGruBackward *a, const float *left, int j0, int j1) {
  if (j1 <= j0) return;
  const int TB = a->T * a->B, G = 3 * a->U;
  pack_b(a->dRecAll + j0, G, 1, TB, j1 - j0, a->scratch);
  gemm(a->U, j1 - j0, TB, left, 1, a->U, a->scratch, TB, 0, a->dRk + j0, G, 0);
}

void gru_backward_weights(const KgGruBackward *a) {
  const int B = a->B, T = a->T, I = a->I, U = a->U, G = 3 * U, BT = B * T, c0 = a->c0, c1 = a->c1;
  const bool resetAfter = a->flags & KG_RESET_AFTER;
  // dx = dxProj · Wᵀ for this thread's rows.
  const int r0 = a->b0 * T, rows = (a->b1 - a->b0) * T;
  gemm(rows, I, G, a->dxProj + (size_t)r0 * G, G, 1, a->WT, G, 0, a->dx + (size_t)r0 * I, I, 0);
  if (c1 <= c0) return;
  // dW[:, c0:c1] = xᵀ · dxProj[:, c0:c1].
  pack_b(a->dxProj + c0, G, 1, BT, c1 - c0, a->scratch);
  gemm(I, c1 - c0, BT, a->x, 1, I, a->scratch, BT, 0, a->dKernel + c0, G, 0);
  const size_t cacheN = (size_t)T * B * U;
  const float *hPrev = a->cache, *inner = a->cache + 4 * cacheN;
  if (resetAfter) {
    recurrent_grad(a, hPrev, c0, c1);
  } else {
    const int split = 2 * U;  // z|r columns pair with hPrev, h columns with r ⊙ h
    recurrent_grad(a, hPrev, c0, c1 < split ? c1 : split);
    recurrent_grad(a, inner, c0 > split ? c0 : split, c1);
  }
  if (a->dBias != nullptr) column_sums(a->dxProj, BT, G, c0, c1, a->dBias);
  if (a->dRBias != nullptr) column_sums(a->dRecAll, BT, G, c0, c1, a->dRBias);
}

}  // namespace KG_ISA
