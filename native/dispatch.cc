// Runtime CPU dispatch: the kernel files are compiled once per instruction set (native/build.mjs), each into
// its own namespace; this file (compiled for the baseline CPU) makes one table per set and picks the best one
// the CPU runs: AVX-512 (16 lanes), AVX2 with FMA (8), else the portable build (4 lanes: SSE2 on x86-64,
// NEON on arm64, whatever GCC's vector extensions become elsewhere).
#include <string.h>

#include "kernels.h"

#define KG_TABLE(ns, vw)                                                                                    \
  namespace ns {                                                                                            \
  size_t packed_floats(int K, int N);                                                                       \
  void pack_b(const float *b, long rsb, long csb, int K, int N, float *dst);                                \
  void gemm(int M, int N, int K, const float *a, long rsa, long csa, const float *bp, int bK, int k0,       \
            float *c, long ldc, int accumulate);                                                            \
  size_t gru_forward_scratch(int rows, int T, int U);                                                       \
  void gru_forward(const KgGruForward *);                                                                   \
  size_t gru_backward_scratch(int B, int T, int I, int U);                                                  \
  void gru_backward_steps(const KgGruBackward *);                                                           \
  void gru_backward_weights(const KgGruBackward *);                                                         \
  const KgKernels table = {#ns,           2 * (vw),     packed_floats,        pack_b,                         \
                           gemm,          gru_forward_scratch, gru_forward, gru_backward_scratch,             \
                           gru_backward_steps, gru_backward_weights};                                       \
  }

KG_TABLE(generic, 4)
#if defined(__x86_64__)
KG_TABLE(avx2, 8)
KG_TABLE(avx512, 16)
#endif

const KgKernels *kg_select_kernels(const char *wanted) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  const bool any = wanted == nullptr || wanted[0] == '\0';
  if ((any || strcmp(wanted, "avx512") == 0) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
    return &avx512::table;
  if ((any || strcmp(wanted, "avx512") == 0 || strcmp(wanted, "avx2") == 0) && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("fma"))
    return &avx2::table;
#else
  (void)wanted;
#endif
  return &generic::table;
}
