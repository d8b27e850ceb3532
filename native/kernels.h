// The native kernels' interface: one table of functions per instruction set (dispatch.cc picks one at load).
// Layouts are those of src/backend/backend.ts (GruSequenceArgs): row-major float32, gate blocks z|r|h.
// Every kernel file (gemm.cc, gru_forward.cc, gru_backward.cc) is compiled once per instruction set, with
// KG_ISA naming the namespace it lands in and -m flags choosing the vector width (vec.h).
#ifndef KERAS_GRU_KERNELS_H
#define KERAS_GRU_KERNELS_H

#include <stddef.h>
#include <stdint.h>

enum { KG_LINEAR = 0, KG_SIGMOID = 1, KG_TANH = 2, KG_HARD_SIGMOID = 3, KG_RELU = 4 };  // wasm/activations.ts
enum {
  KG_RESET_AFTER = 1,
  KG_GO_BACKWARDS = 2,
  KG_RETURN_SEQUENCES = 4,
  KG_ZERO_OUTPUT_FOR_MASK = 8,
  KG_SAVE = 16,
};

// One GRU layer over a sequence, for batch rows [b0, b1). The packed weights come from pack_b (W: K=I, N=3U;
// Rzr: recurrent kernel columns z|r, K=U, N=2U; Rh: columns h, K=U, N=U). cache (flag KG_SAVE) is five
// [T, B, U] arrays, per step s in processing order and row b at (s*B + b)*U: hPrev, z, r, hh, inner.
struct KgGruForward {
  int B, T, I, U, b0, b1, flags, act, ract;
  const float *x;       // [B,T,I]
  const float *Wp, *Rzr, *Rh;
  const float *bias;    // [3U] or null
  const float *rbias;   // [3U] or null (resetAfter only)
  const float *h0;      // [B,U]
  const uint8_t *mask;  // [B,T] or null
  float *out;           // [B,T,U] or null
  float *last, *state;  // [B,U]
  float *cache;         // 5*T*B*U or null
  float *scratch;       // gru_forward_scratch floats (this row range's)
};

// Backpropagation through time for rows [b0, b1) (steps), then for the whole call (weights). RT is the
// recurrent kernel transposed, packed with K=3U, N=U. dxProj [B*T,3U] at row b*T+t, dRecAll [T*B,3U] at row
// s*B+b: the gradients of the input projection and of the recurrent matmul's output (zero at masked steps).
struct KgGruBackward {
  int B, T, I, U, b0, b1, flags, act, ract;
  const float *x, *cache, *RT, *WT;  // WT: kernel transposed, packed with K=3U, N=I
  const uint8_t *mask;
  const float *dOutputs, *dLast, *dState;  // or null
  float *dh;                                // [B,U]: the result dh0
  float *dxProj, *dRecAll;
  float *dx, *dKernel, *dRk, *dBias, *dRBias;  // dBias/dRBias may be null
  int c0, c1;      // weights phase: this thread's share of the weight-gradient columns [c0, c1) of 3U
  float *scratch;  // gru_backward_scratch floats
};

struct KgKernels {
  const char *isa;
  int nr;  // width of a packed panel (floats)
  // b is [K,N] with element (k,n) at b[k*rsb + n*csb]; dst holds packed_floats(K, N) floats.
  size_t (*packed_floats)(int K, int N);
  void (*pack_b)(const float *b, long rsb, long csb, int K, int N, float *dst);
  // c[M,N] (row stride ldc) (+)= a[M,K] · packed b, rows k0..k0+K of a packing made with bK rows; element
  // (i,p) of a at a[i*rsa + p*csa].
  void (*gemm)(int M, int N, int K, const float *a, long rsa, long csa, const float *bp, int bK, int k0,
               float *c, long ldc, int accumulate);
  size_t (*gru_forward_scratch)(int rows, int T, int U);
  void (*gru_forward)(const KgGruForward *);
  size_t (*gru_backward_scratch)(int B, int T, int I, int U);
  void (*gru_backward_steps)(const KgGruBackward *);
  void (*gru_backward_weights)(const KgGruBackward *);
};

// The best table for this CPU (dispatch.cc); the environment variable KERAS_GRU_NATIVE_ISA may ask for a lower
// one ("avx2", "generic") for tests.
const KgKernels *kg_select_kernels(const char *wanted);

#endif
