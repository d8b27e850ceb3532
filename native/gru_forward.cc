// The fused GRU forward pass over a whole sequence (semantics: GruSequenceArgs in src/backend/backend.ts; the
// twin that defines it: src/backend/reference/gru.ts) for a range of batch rows, so threads can take a range
// each. One GEMM projects every step's input (x·W + b for all T steps of the rows); then each step is one or
// two small GEMMs of the state against the packed recurrent kernel and a vector pass over the gates.
#include "kernels.h"

namespace KG_ISA {
#include "vec.h"
#include "activations.h"

void gemm(int M, int N, int K, const float *a, long rsa, long csa, const float *bp, int bK, int k0, float *c,
          long ldc, int accumulate);

// Per row range: xProj [rows·T, 3U], rec [rows, 3U], rh [rows, U], zs [rows, U].
size_t gru_forward_scratch(int rows, int T, int U) { return (size_t)rows * (3 * (size_t)T * U + 3 * U + 2 * U); }

static inline vf ld(const float *p, int n) { return n == VW ? load(p) : loadn(p, n); }
static inline void st(float *p, vf v, int n) {
  if (n == VW)
    store(p, v);
  else
    storen(p, v, n);
}

void gru_forward(const KgGruForward *a) {
  const int T = a->T, I = a->I, U = a->U, G = 3 * U, B = a->B, b0 = a->b0, nb = a->b1 - a->b0;
  if (nb <= 0) return;
  const bool resetAfter = a->flags & KG_RESET_AFTER, backwards = a->flags & KG_GO_BACKWARDS;
  const bool zeroMasked = a->flags & KG_ZERO_OUTPUT_FOR_MASK;
  float *xProj = a->scratch, *rec = xProj + (size_t)nb * T * G, *rh = rec + (size_t)nb * G, *zs = rh + (size_t)nb * U;
  float *h = a->state + (size_t)b0 * U, *prev = a->last + (size_t)b0 * U;
  const size_t cacheN = (size_t)T * B * U;
  float *cHPrev = a->cache, *cZ = cHPrev + cacheN, *cR = cZ + cacheN, *cHH = cR + cacheN, *cInner = cHH + cacheN;
  const bool save = a->cache != nullptr;

  // xProj rows (b - b0)·T + t = x[b, t] · W (+ b).
  gemm(nb * T, G, I, a->x + (size_t)b0 * T * I, I, 1, a->Wp, I, 0, xProj, G, 0);
  if (a->bias != nullptr) {
    for (int row = 0; row < nb * T; row++) {
      float *xr = xProj + (size_t)row * G;
      for (int j = 0; j < G; j += VW) {
        const int n = G - j < VW ? G - j : VW;
        st(xr + j, ld(xr + j, n) + ld(a->bias + j, n), n);
      }
    }
  }
  memcpy(h, a->h0 + (size_t)b0 * U, 4 * (size_t)nb * U);
  memset(prev, 0, 4 * (size_t)nb * U);  // Keras: the output "before" step 0 is zeros

  for (int s = 0; s < T; s++) {
    const int t = backwards ? T - 1 - s : s;
    // rec[:, 0:2U] = h·U[:, z|r]; with resetAfter rec[:, 2U:3U] = h·U[:, h] too (the bias is added below).
    gemm(nb, 2 * U, U, h, U, 1, a->Rzr, U, 0, rec, G, 0);
    if (resetAfter) gemm(nb, U, U, h, U, 1, a->Rh, U, 0, rec + 2 * U, G, 0);
    for (int r = 0; r < nb; r++) {
      const int b = b0 + r;
      if (a->mask != nullptr && a->mask[(size_t)b * T + t] == 0) continue;
      const float *xp = xProj + ((size_t)r * T + t) * G;
      float *rr = rec + (size_t)r * G, *hr = h + (size_t)r * U;
      const size_t co = ((size_t)s * B + b) * U;
      for (int u = 0; u < U; u += VW) {
        const int n = U - u < VW ? U - u : VW;
        vf recZ = ld(rr + u, n), recR = ld(rr + U + u, n);
        if (resetAfter && a->rbias != nullptr) {
          recZ += ld(a->rbias + u, n);
          recR += ld(a->rbias + U + u, n);
        }
        const vf z = activate(a->ract, ld(xp + u, n) + recZ);
        const vf rg = activate(a->ract, ld(xp + U + u, n) + recR);
        const vf hp = ld(hr + u, n);
        if (save) {
          st(cHPrev + co + u, hp, n);
          st(cZ + co + u, z, n);
          st(cR + co + u, rg, n);
        }
        if (resetAfter) {
          vf inner = ld(rr + 2 * U + u, n);
          if (a->rbias != nullptr) inner += ld(a->rbias + 2 * U + u, n);
          const vf hh = activate(a->act, ld(xp + 2 * U + u, n) + rg * inner);
          st(hr + u, z * hp + (1.0f - z) * hh, n);
          if (save) {
            st(cInner + co + u, inner, n);
            st(cHH + co + u, hh, n);
          }
        } else {
          st(rh + (size_t)r * U + u, rg * hp, n);
          st(zs + (size_t)r * U + u, z, n);
        }
      }
    }
    if (!resetAfter) {
      // ĥ = act(x·Wh + bh + (r ⊙ h)·Uh): one GEMM for the rows (masked rows' results are not used).
      gemm(nb, U, U, rh, U, 1, a->Rh, U, 0, rec + 2 * U, G, 0);
      for (int r = 0; r < nb; r++) {
        const int b = b0 + r;
        if (a->mask != nullptr && a->mask[(size_t)b * T + t] == 0) continue;
        const float *xp = xProj + ((size_t)r * T + t) * G;
        float *hr = h + (size_t)r * U;
        const size_t co = ((size_t)s * B + b) * U;
        for (int u = 0; u < U; u += VW) {
          const int n = U - u < VW ? U - u : VW;
          const vf hh = activate(a->act, ld(xp + 2 * U + u, n) + ld(rec + (size_t)r * G + 2 * U + u, n));
          const vf z = ld(zs + (size_t)r * U + u, n);
          st(hr + u, z * ld(hr + u, n) + (1.0f - z) * hh, n);
          if (save) {
            st(cInner + co + u, ld(rh + (size_t)r * U + u, n), n);
            st(cHH + co + u, hh, n);
          }
        }
      }
    }
    for (int r = 0; r < nb; r++) {
      const int b = b0 + r;
      float *pr = prev + (size_t)r * U;
      if (a->mask == nullptr || a->mask[(size_t)b * T + t] != 0)
        memcpy(pr, h + (size_t)r * U, 4 * (size_t)U);
      else if (zeroMasked)
        memset(pr, 0, 4 * (size_t)U);
      if (a->out != nullptr) memcpy(a->out + ((size_t)b * T + s) * U, pr, 4 * (size_t)U);
    }
  }
}

}  // namespace KG_ISA
