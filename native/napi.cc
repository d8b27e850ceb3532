// The addon's JavaScript surface (plain N-API, so one build serves every Node ≥ 18 ABI): thin bindings that
// check each buffer's type and length (a wrong one is a TypeError, never a stray write), then run the kernels
// of the table dispatch.cc chose on the caller's buffers in place: nothing is copied in or out. The caller
// (src/backend/native/) allocates every result; scratch memory is kept between calls and grows as needed.
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atomic>

#include "kernels.h"
#include "pool.h"

static const KgKernels *K = nullptr;

// The bytes of scratch held by every JavaScript thread together: the addon's only heap memory (results live in
// the caller's typed arrays), reported by heldBytes() so a long run can show it stays flat.
static std::atomic<size_t> scratch_bytes{0};

// Per JavaScript thread (Node worker threads may load the addon too), freed when the thread ends.
struct Scratch {
  float *data = nullptr;
  size_t bytes = 0;
  void release() {
    free(data);
    data = nullptr;
    scratch_bytes.fetch_sub(bytes, std::memory_order_relaxed);
    bytes = 0;
  }
  ~Scratch() { release(); }
};
static thread_local Scratch scratch;

// At least n floats of scratch, 64-byte aligned; null if memory is exhausted.
static float *scratch_for(size_t n) {
  if (n * 4 <= scratch.bytes) return scratch.data;
  scratch.release();
  const size_t bytes = ((n * 4 + 63) / 64) * 64;
  scratch.data = static_cast<float *>(aligned_alloc(64, bytes));
  if (scratch.data != nullptr) {
    scratch.bytes = bytes;
    scratch_bytes.fetch_add(bytes, std::memory_order_relaxed);
  }
  return scratch.data;
}

#define KG_CHECK(call)                                  \
  do {                                                  \
    if ((call) != napi_ok) {                            \
      napi_throw_error(env, nullptr, "N-API call failed"); \
      return false;                                     \
    }                                                   \
  } while (0)

// The data of argument v as a typed array of `want` type with at least `need` elements; null/undefined → null
// when `nullable`. False (with a TypeError thrown) otherwise.
static bool array_arg(napi_env env, napi_value v, napi_typedarray_type want, size_t need, bool nullable,
                      void **data, const char *name) {
  napi_valuetype vt;
  KG_CHECK(napi_typeof(env, v, &vt));
  if (nullable && (vt == napi_null || vt == napi_undefined)) {
    *data = nullptr;
    return true;
  }
  bool isTyped = false;
  KG_CHECK(napi_is_typedarray(env, v, &isTyped));
  napi_typedarray_type type;
  size_t length = 0;
  napi_value buffer;
  size_t offset = 0;
  if (isTyped) KG_CHECK(napi_get_typedarray_info(env, v, &type, &length, data, &buffer, &offset));
  if (!isTyped || type != want || length < need) {
    char message[160];
    snprintf(message, sizeof message, "keras-gru native: %s must be a %s of at least %zu elements", name,
             want == napi_float32_array ? "Float32Array" : want == napi_int32_array ? "Int32Array" : "Uint8Array",
             need);
    napi_throw_type_error(env, nullptr, message);
    return false;
  }
  return true;
}

static bool floats(napi_env env, napi_value v, size_t need, bool nullable, const float **out, const char *name) {
  void *d;
  if (!array_arg(env, v, napi_float32_array, need, nullable, &d, name)) return false;
  *out = static_cast<const float *>(d);
  return true;
}
static bool floats_out(napi_env env, napi_value v, size_t need, bool nullable, float **out, const char *name) {
  void *d;
  if (!array_arg(env, v, napi_float32_array, need, nullable, &d, name)) return false;
  *out = static_cast<float *>(d);
  return true;
}

static bool get_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv) {
  size_t argc = n;
  KG_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < n) {
    napi_throw_type_error(env, nullptr, "keras-gru native: too few arguments");
    return false;
  }
  return true;
}

// Int32Array ints: the dimensions and flags, each ≥ 0 (dims > 0).
static bool ints_arg(napi_env env, napi_value v, size_t n, const int32_t **out) {
  void *d;
  if (!array_arg(env, v, napi_int32_array, n, false, &d, "ints")) return false;
  *out = static_cast<const int32_t *>(d);
  for (size_t i = 0; i < n; i++) {
    if ((*out)[i] < 0 || (i < 4 && (*out)[i] == 0)) {
      napi_throw_range_error(env, nullptr, "keras-gru native: bad dimensions");
      return false;
    }
  }
  return true;
}

static napi_value oom(napi_env env) {
  napi_throw_range_error(env, "ERR_KERAS_GRU_NATIVE_MEMORY", "keras-gru native: out of memory");
  return nullptr;
}

// info() → { isa, panel, threads }
static napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, isa, panel, threads;
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, K->isa, NAPI_AUTO_LENGTH, &isa);
  napi_create_int32(env, K->nr, &panel);
  napi_create_int32(env, kg_pool_max_threads(), &threads);
  napi_set_named_property(env, obj, "isa", isa);
  napi_set_named_property(env, obj, "panel", panel);
  napi_set_named_property(env, obj, "maxThreads", threads);
  return obj;
}

// packB(src, offset, rsb, csb, K, N, dst): dst (packedFloats(K, N) floats) = src[offset + k·rsb + n·csb] packed.
static napi_value PackB(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  if (!get_args(env, info, 7, argv)) return nullptr;
  int32_t v[5];
  for (int i = 0; i < 5; i++) napi_get_value_int32(env, argv[1 + i], &v[i]);
  const int32_t off = v[0], rsb = v[1], csb = v[2], k = v[3], n = v[4];
  if (off < 0 || rsb < 0 || csb < 0 || k <= 0 || n <= 0) {
    napi_throw_range_error(env, nullptr, "keras-gru native: bad packB arguments");
    return nullptr;
  }
  const float *src;
  float *dst;
  const size_t last = (size_t)off + (size_t)(k - 1) * rsb + (size_t)(n - 1) * csb + 1;
  if (!floats(env, argv[0], last, false, &src, "src")) return nullptr;
  if (!floats_out(env, argv[6], K->packed_floats(k, n), false, &dst, "dst")) return nullptr;
  K->pack_b(src + off, rsb, csb, k, n, dst);
  return nullptr;
}

// packedFloats(K, N) → the floats of a packing.
static napi_value PackedFloats(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return nullptr;
  int32_t k = 0, n = 0;
  napi_get_value_int32(env, argv[0], &k);
  napi_get_value_int32(env, argv[1], &n);
  napi_value out;
  napi_create_double(env, k > 0 && n > 0 ? (double)K->packed_floats(k, n) : 0, &out);
  return out;
}

// matMul(a, b, out, m, k, n, transposeA, transposeB): out[m,n] = op(a)·op(b) (MatMulArgs, backend.ts).
static napi_value MatMul(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  if (!get_args(env, info, 8, argv)) return nullptr;
  int32_t m = 0, k = 0, n = 0;
  bool ta = false, tb = false;
  napi_get_value_int32(env, argv[3], &m);
  napi_get_value_int32(env, argv[4], &k);
  napi_get_value_int32(env, argv[5], &n);
  napi_get_value_bool(env, argv[6], &ta);
  napi_get_value_bool(env, argv[7], &tb);
  if (m <= 0 || k <= 0 || n <= 0) {
    napi_throw_range_error(env, nullptr, "keras-gru native: matMul sizes must be positive");
    return nullptr;
  }
  const float *a, *b;
  float *c;
  if (!floats(env, argv[0], (size_t)m * k, false, &a, "a") || !floats(env, argv[1], (size_t)k * n, false, &b, "b") ||
      !floats_out(env, argv[2], (size_t)m * n, false, &c, "out"))
    return nullptr;
  float *bp = scratch_for(K->packed_floats(k, n));
  if (bp == nullptr) return oom(env);
  K->pack_b(b, tb ? 1 : n, tb ? k : 1, k, n, bp);
  K->gemm(m, n, k, a, ta ? 1 : k, ta ? m : 1, bp, k, 0, c, n, 0);
  return nullptr;
}

// Row ranges of a call: bounds[0] = 0 < … < bounds[n] = B, from the caller (src/backend/native/split.ts).
static int row_bounds(napi_env env, napi_value v, int B, int32_t *bounds) {
  void *d;
  if (!array_arg(env, v, napi_int32_array, 2, false, &d, "bounds")) return 0;
  napi_typedarray_type type;
  size_t length;
  napi_value buf;
  size_t off;
  napi_get_typedarray_info(env, v, &type, &length, &d, &buf, &off);
  const int n = (int)length - 1;
  const int32_t *b = static_cast<const int32_t *>(d);
  if (n < 1 || n > kg_pool_max_threads() || b[0] != 0 || b[n] != B) goto bad;
  for (int i = 0; i < n; i++)
    if (b[i + 1] <= b[i]) goto bad;
  memcpy(bounds, b, 4 * (size_t)(n + 1));
  return n;
bad:
  napi_throw_range_error(env, nullptr, "keras-gru native: bad row bounds");
  return 0;
}


static const int MAX_RANGES = 16;

struct ForwardJob {
  KgGruForward base;
  int32_t bounds[MAX_RANGES + 1];
  size_t offsets[MAX_RANGES];
  float *scratch;
};

static void forward_range(void *ctx, int i) {
  ForwardJob *job = static_cast<ForwardJob *>(ctx);
  KgGruForward a = job->base;
  a.b0 = job->bounds[i];
  a.b1 = job->bounds[i + 1];
  a.scratch = job->scratch + job->offsets[i];
  K->gru_forward(&a);
}

// Sizes the kernels index with int: every product of the call's dimensions must stay below 2^31.
static bool sizes_ok(napi_env env, const int32_t *d) {
  const size_t B = d[0], T = d[1], I = d[2], U = d[3];
  const size_t widest = I > 3 * U ? I : 3 * U;
  if (B * T * widest >= (1u << 31) || 5 * B * T * U >= (1u << 31) || U * 3 * U >= (1u << 31)) {
    napi_throw_range_error(env, "ERR_KERAS_GRU_NATIVE_SIZE", "keras-gru native: call too large");
    return false;
  }
  return true;
}

// gruForward(ints [B,T,I,U,flags,act,ract], bounds, x, Wp, Rzr, Rh, bias, rbias, h0, mask, out, last, state,
// cache): KgGruForward (kernels.h) over the row ranges of `bounds`, one per thread.
static napi_value GruForward(napi_env env, napi_callback_info info) {
  napi_value argv[14];
  if (!get_args(env, info, 14, argv)) return nullptr;
  const int32_t *d;
  if (!ints_arg(env, argv[0], 7, &d) || !sizes_ok(env, d)) return nullptr;
  ForwardJob job;
  KgGruForward &a = job.base;
  a.B = d[0], a.T = d[1], a.I = d[2], a.U = d[3], a.flags = d[4], a.act = d[5], a.ract = d[6];
  const size_t B = a.B, T = a.T, I = a.I, U = a.U, G = 3 * U;
  const int n = row_bounds(env, argv[1], a.B, job.bounds);
  if (n == 0) return nullptr;
  const bool save = a.flags & KG_SAVE;
  void *mask;
  if (!floats(env, argv[2], B * T * I, false, &a.x, "x") ||
      !floats(env, argv[3], K->packed_floats(a.I, 3 * a.U), false, &a.Wp, "Wp") ||
      !floats(env, argv[4], K->packed_floats(a.U, 2 * a.U), false, &a.Rzr, "Rzr") ||
      !floats(env, argv[5], K->packed_floats(a.U, a.U), false, &a.Rh, "Rh") ||
      !floats(env, argv[6], G, true, &a.bias, "bias") || !floats(env, argv[7], G, true, &a.rbias, "rbias") ||
      !floats(env, argv[8], B * U, false, &a.h0, "h0") ||
      !array_arg(env, argv[9], napi_uint8_array, B * T, true, &mask, "mask") ||
      !floats_out(env, argv[10], B * T * U, true, &a.out, "out") ||
      !floats_out(env, argv[11], B * U, false, &a.last, "last") ||
      !floats_out(env, argv[12], B * U, false, &a.state, "state") ||
      !floats_out(env, argv[13], 5 * T * B * U, !save, &a.cache, "cache"))
    return nullptr;
  a.mask = static_cast<const uint8_t *>(mask);
  if (!save) a.cache = nullptr;
  size_t total = 0;
  for (int i = 0; i < n; i++) {
    job.offsets[i] = total;
    total += (K->gru_forward_scratch(job.bounds[i + 1] - job.bounds[i], a.T, a.U) + 15) & ~(size_t)15;
  }
  job.scratch = scratch_for(total);
  if (job.scratch == nullptr) return oom(env);
  kg_pool_run(n, forward_range, &job);
  return nullptr;
}

struct BackwardJob {
  KgGruBackward base;
  int32_t bounds[MAX_RANGES + 1];
  int n;
  size_t perThread;
  float *scratch;
};

static KgGruBackward backward_share(BackwardJob *job, int i) {
  KgGruBackward a = job->base;
  a.b0 = job->bounds[i];
  a.b1 = job->bounds[i + 1];
  const int G = 3 * a.U;
  a.c0 = (int)((long)i * G / job->n);
  a.c1 = (int)((long)(i + 1) * G / job->n);
  a.scratch = job->scratch + job->perThread * i;
  return a;
}
static void backward_steps(void *ctx, int i) {
  KgGruBackward a = backward_share(static_cast<BackwardJob *>(ctx), i);
  K->gru_backward_steps(&a);
}
static void backward_weights(void *ctx, int i) {
  KgGruBackward a = backward_share(static_cast<BackwardJob *>(ctx), i);
  K->gru_backward_weights(&a);
}

// gruBackward(ints, bounds, x, cache, RT, WT, mask, dOutputs, dLast, dState, dh, dxProj, dRecAll, dx, dKernel,
// dRk, dBias, dRBias): KgGruBackward; dxProj and dRecAll must arrive zeroed (masked steps leave them so).
static napi_value GruBackward(napi_env env, napi_callback_info info) {
  napi_value argv[18];
  if (!get_args(env, info, 18, argv)) return nullptr;
  const int32_t *d;
  if (!ints_arg(env, argv[0], 7, &d) || !sizes_ok(env, d)) return nullptr;
  BackwardJob job;
  KgGruBackward &a = job.base;
  a.B = d[0], a.T = d[1], a.I = d[2], a.U = d[3], a.flags = d[4], a.act = d[5], a.ract = d[6];
  const size_t B = a.B, T = a.T, I = a.I, U = a.U, G = 3 * U;
  job.n = row_bounds(env, argv[1], a.B, job.bounds);
  if (job.n == 0) return nullptr;
  void *mask;
  if (!floats(env, argv[2], B * T * I, false, &a.x, "x") ||
      !floats(env, argv[3], 5 * T * B * U, false, &a.cache, "cache") ||
      !floats(env, argv[4], K->packed_floats(3 * a.U, a.U), false, &a.RT, "RT") ||
      !floats(env, argv[5], K->packed_floats(3 * a.U, a.I), false, &a.WT, "WT") ||
      !array_arg(env, argv[6], napi_uint8_array, B * T, true, &mask, "mask") ||
      !floats(env, argv[7], B * T * U, true, &a.dOutputs, "dOutputs") ||
      !floats(env, argv[8], B * U, true, &a.dLast, "dLastOutput") ||
      !floats(env, argv[9], B * U, true, &a.dState, "dState") ||
      !floats_out(env, argv[10], B * U, false, &a.dh, "dh") ||
      !floats_out(env, argv[11], B * T * G, false, &a.dxProj, "dxProj") ||
      !floats_out(env, argv[12], B * T * G, false, &a.dRecAll, "dRecAll") ||
      !floats_out(env, argv[13], B * T * I, false, &a.dx, "dx") ||
      !floats_out(env, argv[14], I * G, false, &a.dKernel, "dKernel") ||
      !floats_out(env, argv[15], U * G, false, &a.dRk, "dRecurrentKernel") ||
      !floats_out(env, argv[16], G, true, &a.dBias, "dBias") ||
      !floats_out(env, argv[17], G, true, &a.dRBias, "dRecurrentBias"))
    return nullptr;
  a.mask = static_cast<const uint8_t *>(mask);
  job.perThread = (K->gru_backward_scratch(a.B, a.T, a.I, a.U) + 15) & ~(size_t)15;
  job.scratch = scratch_for(job.perThread * job.n);
  if (job.scratch == nullptr) return oom(env);
  kg_pool_run(job.n, backward_steps, &job);
  kg_pool_run(job.n, backward_weights, &job);
  return nullptr;
}

// useInstructionSet(name) → the set now used: the best one the CPU has, at most `name` ("avx512", "avx2",
// "generic"; "" = the best). Packed weights are per set (panel widths differ): the caller repacks.
static napi_value UseInstructionSet(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return nullptr;
  char name[16] = {0};
  size_t len = 0;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok) {
    napi_throw_type_error(env, nullptr, "keras-gru native: useInstructionSet takes a string");
    return nullptr;
  }
  K = kg_select_kernels(name);
  napi_value out;
  napi_create_string_utf8(env, K->isa, NAPI_AUTO_LENGTH, &out);
  return out;
}

// heldBytes() → the bytes of heap memory the addon holds (the scratch of every thread that called it).
static napi_value HeldBytes(napi_env env, napi_callback_info) {
  napi_value out;
  napi_create_double(env, (double)scratch_bytes.load(std::memory_order_relaxed), &out);
  return out;
}

#define KG_EXPORT(name, fn)                                            \
  do {                                                                 \
    napi_value f;                                                      \
    napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f); \
    napi_set_named_property(env, exports, name, f);                    \
  } while (0)

static napi_value Init(napi_env env, napi_value exports) {
  K = kg_select_kernels(getenv("KERAS_GRU_NATIVE_ISA"));
  KG_EXPORT("info", Info);
  KG_EXPORT("packedFloats", PackedFloats);
  KG_EXPORT("packB", PackB);
  KG_EXPORT("matMul", MatMul);
  KG_EXPORT("gruForward", GruForward);
  KG_EXPORT("gruBackward", GruBackward);
  KG_EXPORT("useInstructionSet", UseInstructionSet);
  KG_EXPORT("heldBytes", HeldBytes);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
