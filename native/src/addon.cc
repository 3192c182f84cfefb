// N-API entry points of the native backend: OpenBLAS sgemm/sgemv plus the fused LSTM
// kernels, and the module's table (the image kernels' entry points are image-entry.cc's).
// Arguments are read by args.h: validated in TypeScript, only their types checked here.
#include <cblas.h>
#include <node_api.h>

#include <cstdlib>
#include <cstring>

#include "args.h"
#include "image-entry.h"
#include "kernels.h"
#include "pool.h"
#include "subnormals.h"

// Declared here too in case the cblas.h found is not OpenBLAS's own.
extern "C" void openblas_set_num_threads(int);
extern "C" char* openblas_get_config(void);

namespace {

using sayre::Args;

// Below this many rows of C (the batch of a recurrent step), the skinny kernel beats sgemm.
constexpr int kSkinnyMaxRows = 32;
// SAYRE_NATIVE_PLAIN_BLAS=1 sends every product to OpenBLAS (for comparisons).
const bool kPlainBlas = [] {
  const char* v = std::getenv("SAYRE_NATIVE_PLAIN_BLAS");
  return v != nullptr && v[0] == '1';
}();

// OpenBLAS itself runs on one thread; products are cut into column (or row) blocks, about
// 4 per thread, that the pool's threads claim: OpenBLAS's own static split waits for its
// slowest thread, which on a busy machine can be one that has not been scheduled yet.
void sgemmChunked(bool tA, bool tB, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                  int ldb, float beta, float* c, int ldc) {
  const CBLAS_TRANSPOSE ta = tA ? CblasTrans : CblasNoTrans, tb = tB ? CblasTrans : CblasNoTrans;
  const int threads = sayre::poolThreads();
  if (threads <= 1 || static_cast<long>(m) * n * k < (1L << 20)) {
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  const bool byCols = n >= m;
  const int total = byCols ? n : m, unit = 16;
  const int units = (total + unit - 1) / unit;
  const int chunks0 = units < 4 * threads ? units : 4 * threads;
  const int size = (units + chunks0 - 1) / chunks0 * unit;
  sayre::parallelFor((total + size - 1) / size, [&](int t) {
    const int lo = t * size, len = (lo + size < total ? lo + size : total) - lo;
    if (byCols) {
      cblas_sgemm(CblasRowMajor, ta, tb, m, len, k, alpha, a, lda, tB ? b + static_cast<long>(lo) * ldb : b + lo, ldb,
                  beta, c + lo, ldc);
    } else {
      cblas_sgemm(CblasRowMajor, ta, tb, len, n, k, alpha, tA ? a + lo : a + static_cast<long>(lo) * lda, lda, b, ldb,
                  beta, c + static_cast<long>(lo) * ldc, ldc);
    }
  });
}

// gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
napi_value Gemm(napi_env env, napi_callback_info info) {
  sayre::FlushSubnormals fp;
  Args x(env, info);
  const bool tA = x.flag(0), tB = x.flag(1);
  const int m = x.i32(2), n = x.i32(3), k = x.i32(4);
  const float alpha = static_cast<float>(x.f64(5));
  const float* a = x.floats(6);
  const int lda = x.i32(7);
  const float* b = x.floats(8);
  const int ldb = x.i32(9);
  const float beta = static_cast<float>(x.f64(10));
  float* c = x.floats(11);
  const int ldc = x.i32(12);
  if (!x.ok || m == 0 || n == 0) return nullptr;
  // beta = 0 must overwrite C: sgemm's and the skinny kernel's beta = 0 paths never read
  // it, but sscal (k = 0) and sgemv may scale it, which keeps a NaN, so clear it first.
  const bool clear = beta == 0.0f && (k == 0 || m == 1);
  if (clear) {
    for (int i = 0; i < m; i++) std::memset(c + static_cast<long>(i) * ldc, 0, sizeof(float) * n);
  }
  if (k == 0) {
    if (beta != 0.0f && beta != 1.0f)
      for (int i = 0; i < m; i++) cblas_sscal(n, beta, c + static_cast<long>(i) * ldc, 1);
    return nullptr;
  }
  if (!tA && !kPlainBlas && m <= kSkinnyMaxRows && sayre::skinnyGemm(tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return nullptr;
  if (m == 1) {
    // A matrix-vector product: sgemm does not switch to sgemv by itself.
    const int incx = tA ? lda : 1;
    if (tB) cblas_sgemv(CblasRowMajor, CblasNoTrans, n, k, alpha, b, ldb, a, incx, beta, c, 1);
    else cblas_sgemv(CblasRowMajor, CblasTrans, k, n, alpha, b, ldb, a, incx, beta, c, 1);
    return nullptr;
  }
  sgemmChunked(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  return nullptr;
}

// lstmForward(rows, H, gates, cPrev, c, h, ldh)
napi_value LstmForward(napi_env env, napi_callback_info info) {
  sayre::FlushSubnormals fp;
  Args x(env, info);
  const int rows = x.i32(0), H = x.i32(1);
  float* gates = x.floats(2);
  const float* cPrev = x.floats(3);
  float* c = x.floats(4);
  float* h = x.floats(5);
  const int ldh = x.i32(6);
  if (x.ok) sayre::lstmForward(rows, H, gates, cPrev, c, h, ldh);
  return nullptr;
}

// lstmBackward(rows, H, gates, cPrev, c, dh, lddh, dc, dGates)
napi_value LstmBackward(napi_env env, napi_callback_info info) {
  sayre::FlushSubnormals fp;
  Args x(env, info);
  const int rows = x.i32(0), H = x.i32(1);
  const float* gates = x.floats(2);
  const float* cPrev = x.floats(3);
  const float* c = x.floats(4);
  const float* dh = x.floats(5);
  const int lddh = x.i32(6);
  float* dc = x.floats(7);
  float* dGates = x.floats(8);
  if (x.ok) sayre::lstmBackward(rows, H, gates, cPrev, c, dh, lddh, dc, dGates);
  return nullptr;
}

// setThreads(n): threads for the addon's products and kernels called from this thread.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args x(env, info);
  const int n = x.i32(0);
  if (x.ok) {
    openblas_set_num_threads(1);  // the pool splits the work (sgemmChunked)
    sayre::setPoolThreads(n);
  }
  return nullptr;
}

// fewRowKernel(): whether few-row products use the addon's own kernel (AVX-512 present,
// SAYRE_NATIVE_PLAIN_BLAS unset).
napi_value FewRowKernel(napi_env env, napi_callback_info) {
  napi_value v;
  napi_get_boolean(env, !kPlainBlas && sayre::skinnyAvailable(), &v);
  return v;
}

// info(): the OpenBLAS build, for reports.
napi_value Info(napi_env env, napi_callback_info) {
  napi_value s;
  const char* cfg = openblas_get_config();
  napi_create_string_utf8(env, cfg, NAPI_AUTO_LENGTH, &s);
  return s;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmForward", nullptr, LstmForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmBackward", nullptr, LstmBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fewRowKernel", nullptr, FewRowKernel, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  sayre::defineImageEntries(env, exports);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
