// Packed GEMM: c[M,N] (+)= a[M,K] · b[K,N], float32, for the instruction set of this compilation (vec.h).
// b is packed once into panels of NR columns ([K][NR] each, the last one zero-padded); a is read in place
// through its strides (rows or columns: a transposed costs nothing). The loops block K by KC so a panel slice
// stays in L1 while MR rows at a time stream past it, and each MR×NR tile of c lives in registers.
// Every element of c is the same sequence of fused multiply-adds over k whichever tile (and thread) computes
// its row, so results never depend on how rows are grouped.
#include "kernels.h"

namespace KG_ISA {
#include "vec.h"

size_t packed_floats(int K, int N) { return (size_t)((N + NR - 1) / NR) * NR * (size_t)K; }

void pack_b(const float *b, long rsb, long csb, int K, int N, float *dst) {
  for (int j0 = 0; j0 < N; j0 += NR) {
    const int w = N - j0 < NR ? N - j0 : NR;
    float *panel = dst + (size_t)j0 * K;  // panel j0/NR starts at (j0/NR)·K·NR
    for (int k = 0; k < K; k++) {
      float *row = panel + (size_t)k * NR;
      const float *src = b + k * rsb + j0 * csb;
      if (csb == 1) {
        memcpy(row, src, 4 * (size_t)w);
      } else {
        for (int j = 0; j < w; j++) row[j] = src[j * csb];
      }
      for (int j = w; j < NR; j++) row[j] = 0.0f;
    }
  }
}

// R rows of c (row stride ldc), `cols` (≤ NR) valid columns, += or = a[R,kc] · panel[kc,NR].
template <int R>
static inline void tile(int kc, const float *a, long rsa, long csa, const float *bp, float *c, long ldc, int cols,
                        bool accumulate) {
  vf c0[R], c1[R];
  for (int r = 0; r < R; r++) c0[r] = c1[r] = splat(0.0f);
  for (int p = 0; p < kc; p++) {
    const vf b0 = load(bp + p * NR), b1 = load(bp + p * NR + VW);
    const float *ap = a + p * csa;
#pragma GCC unroll 16
    for (int r = 0; r < R; r++) {
      const vf av = splat(ap[r * rsa]);
      c0[r] += av * b0;
      c1[r] += av * b1;
    }
  }
  for (int r = 0; r < R; r++) {
    float *cr = c + r * ldc;
    if (cols == NR) {
      if (accumulate) {
        c0[r] += load(cr);
        c1[r] += load(cr + VW);
      }
      store(cr, c0[r]);
      store(cr + VW, c1[r]);
    } else {
      float t[NR];
      store(t, c0[r]);
      store(t + VW, c1[r]);
      for (int j = 0; j < cols; j++) cr[j] = accumulate ? cr[j] + t[j] : t[j];
    }
  }
}

static void tiles(int rows, int kc, const float *a, long rsa, long csa, const float *bp, float *c, long ldc,
                  int cols, bool acc) {
  switch (rows) {
#define KG_TILE(n) \
  case n:          \
    return tile<n>(kc, a, rsa, csa, bp, c, ldc, cols, acc);
    KG_TILE(1) KG_TILE(2) KG_TILE(3) KG_TILE(4) KG_TILE(5) KG_TILE(6)
#if KG_VW == 16
    KG_TILE(7) KG_TILE(8) KG_TILE(9) KG_TILE(10) KG_TILE(11) KG_TILE(12)
#endif
#undef KG_TILE
  }
}

void gemm(int M, int N, int K, const float *a, long rsa, long csa, const float *bp, int bK, int k0, float *c,
          long ldc, int accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate)
      for (int i = 0; i < M; i++) memset(c + i * ldc, 0, 4 * (size_t)N);
    return;
  }
  for (int kb = 0; kb < K; kb += KC) {
    const int kc = K - kb < KC ? K - kb : KC;
    const bool acc = accumulate || kb > 0;
    for (int m0 = 0; m0 < M; m0 += MC) {
      const int m1 = M - m0 < MC ? M : m0 + MC;
      for (int j0 = 0; j0 < N; j0 += NR) {
        const int cols = N - j0 < NR ? N - j0 : NR;
        const float *panel = bp + (size_t)j0 * bK + (size_t)(k0 + kb) * NR;
        for (int i0 = m0; i0 < m1; i0 += MR) {
          const int rows = m1 - i0 < MR ? m1 - i0 : MR;
          tiles(rows, kc, a + i0 * rsa + kb * csa, rsa, csa, panel, c + i0 * ldc + j0, ldc, cols, acc);
        }
      }
    }
  }
}

}  // namespace KG_ISA
