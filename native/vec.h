// The vector type of the instruction set a kernel file is compiled for (GCC vector extensions: the compiler
// turns the arithmetic below into AVX-512, AVX2+FMA or SSE/NEON instructions by the -m flags), unaligned loads
// and stores, partial ones for row tails, and the micro-kernel's shape. Included inside `namespace KG_ISA`.
#ifndef KG_VW
#error "KG_VW (the vector width in floats) must be defined by the build"
#endif

#include <string.h>

typedef float vf __attribute__((vector_size(KG_VW * 4)));
typedef int32_t vi __attribute__((vector_size(KG_VW * 4)));
// The same vector at any float address (loads and stores of it are unaligned ones; may_alias: it reads floats).
typedef float vfu __attribute__((vector_size(KG_VW * 4), aligned(4), may_alias));
constexpr int VW = KG_VW;
// A packed B panel is two vectors wide; MR rows of a share each panel load. 2*MR accumulators + 2 panel
// vectors + a broadcast fit the register file: 32 zmm (AVX-512), 16 ymm (AVX2), 16 xmm.
constexpr int NR = 2 * VW;
constexpr int MR = VW == 16 ? 12 : 6;
// K block: a [KC, NR] panel slice stays in L1 while every row block of a streams past it.
constexpr int KC = VW == 16 ? 192 : 256;
// M block: MC rows of a (a multiple of MR) stay in L2 while every panel passes over them.
constexpr int MC = 240;

// s − 0 is s exactly (−0 and NaN included), and GCC lowers a scalar operand of a vector operation to one
// broadcast; a lane-by-lane fill instead became masked broadcasts that kept the tile's accumulators on the stack.
static inline vf splat(float s) { return s - vf{}; }
static inline vf load(const float *p) { return *reinterpret_cast<const vfu *>(p); }
static inline void store(float *p, vf v) { *reinterpret_cast<vfu *>(p) = v; }
// The first n (< VW) lanes from p, zeros after.
static inline vf loadn(const float *p, int n) {
  vf v = {};
  memcpy(&v, p, 4 * (size_t)n);
  return v;
}
static inline void storen(float *p, vf v, int n) { memcpy(p, &v, 4 * (size_t)n); }
static inline vf vsel(vi m, vf a, vf b) { return m ? a : b; }  // per lane: m (−1/0) ? a : b
