// A dedicated kernel for the recurrent products of an LSTM step: C[m,n] = alpha * A[m,k] *
// op(B) + beta * C with few rows (m = batch) and B a weight matrix used straight from
// memory, with no packing. AVX-512 only, picked at run time; elsewhere the caller falls
// back to BLAS. Register tiles of up to 4 rows of A by 4 vectors (NN) or 4 rows of B (NT).
#include <type_traits>

#include "kernels.h"
#include "pool.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define SAYRE_AVX512 __attribute__((target("avx512f,avx2,fma,avx")))

namespace sayre {
namespace {

// Lanes 8..15 of a vector (as the low half of a 256-bit one).
SAYRE_AVX512 inline __m256 high8(__m512 a) {
  return _mm512_castps512_ps256(_mm512_shuffle_f32x4(a, a, _MM_SHUFFLE(3, 2, 3, 2)));
}

// Sums of the 16 lanes of 4 vectors, as one 4-lane vector.
SAYRE_AVX512 inline __m128 sum4(__m512 a, __m512 b, __m512 c, __m512 d) {
  const __m256 a2 = _mm256_add_ps(_mm512_castps512_ps256(a), high8(a));
  const __m256 b2 = _mm256_add_ps(_mm512_castps512_ps256(b), high8(b));
  const __m256 c2 = _mm256_add_ps(_mm512_castps512_ps256(c), high8(c));
  const __m256 d2 = _mm256_add_ps(_mm512_castps512_ps256(d), high8(d));
  const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(a2, b2), _mm256_hadd_ps(c2, d2));
  return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

// NT tile: rows [0, MR) of A against rows [0, NR) of B (dot products along k).
template <int MR, int NR>
SAYRE_AVX512 void tileNT(int k, float alpha, const float* a, long lda, const float* b, long ldb,
                         float beta, float* c, long ldc) {
  __m512 acc[MR][4];
  for (int r = 0; r < MR; r++)
    for (int s = 0; s < 4; s++) acc[r][s] = _mm512_setzero_ps();
  int p = 0;
  for (; p + 16 <= k; p += 16) {
    __m512 bv[NR];
    for (int s = 0; s < NR; s++) bv[s] = _mm512_loadu_ps(b + s * ldb + p);
    for (int r = 0; r < MR; r++) {
      const __m512 av = _mm512_loadu_ps(a + r * lda + p);
      for (int s = 0; s < NR; s++) acc[r][s] = _mm512_fmadd_ps(av, bv[s], acc[r][s]);
    }
  }
  if (p < k) {
    const __mmask16 mask = static_cast<__mmask16>((1u << (k - p)) - 1);
    __m512 bv[NR];
    for (int s = 0; s < NR; s++) bv[s] = _mm512_maskz_loadu_ps(mask, b + s * ldb + p);
    for (int r = 0; r < MR; r++) {
      const __m512 av = _mm512_maskz_loadu_ps(mask, a + r * lda + p);
      for (int s = 0; s < NR; s++) acc[r][s] = _mm512_fmadd_ps(av, bv[s], acc[r][s]);
    }
  }
  for (int r = 0; r < MR; r++) {
    float out[4];
    _mm_storeu_ps(out, _mm_mul_ps(sum4(acc[r][0], acc[r][1], acc[r][2], acc[r][3]), _mm_set1_ps(alpha)));
    float* cr = c + r * ldc;
    for (int s = 0; s < NR; s++) cr[s] = beta == 0.0f ? out[s] : out[s] + beta * cr[s];
  }
}

// NN tile: rows [0, MR) of C, columns [0, 16 * NV); a single vector (NV = 1) is masked by `tail`.
template <int MR, int NV>
SAYRE_AVX512 void tileNN(int k, float alpha, const float* a, long lda, const float* b, long ldb,
                         float beta, float* c, long ldc, __mmask16 tail) {
  __m512 acc[MR][NV];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
  for (int p = 0; p < k; p++) {
    __m512 bv[NV];
    for (int v = 0; v < NV; v++) {
      bv[v] = NV == 1 ? _mm512_maskz_loadu_ps(tail, b + p * ldb + 16 * v) : _mm512_loadu_ps(b + p * ldb + 16 * v);
    }
    for (int r = 0; r < MR; r++) {
      const __m512 av = _mm512_set1_ps(a[r * lda + p]);
      for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  const __m512 al = _mm512_set1_ps(alpha), be = _mm512_set1_ps(beta);
  for (int r = 0; r < MR; r++) {
    for (int v = 0; v < NV; v++) {
      float* dst = c + r * ldc + 16 * v;
      const __mmask16 m = NV == 1 ? tail : static_cast<__mmask16>(0xffff);
      __m512 x = _mm512_mul_ps(acc[r][v], al);
      if (beta != 0.0f) x = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, dst), be, x);
      _mm512_mask_storeu_ps(dst, m, x);
    }
  }
}

// All rows of C against one block of B: tile<MR> for MR = 4 and the 1-3 leftover rows.
// The block of B (4 rows for NT, 64 columns for NN) stays in cache while every row of A
// passes over it, so B is read from memory once.
template <typename Tile>
SAYRE_AVX512 inline void overRows(int m, Tile tile) {
  int i = 0;
  for (; i + 4 <= m; i += 4) tile(i, std::integral_constant<int, 4>{});
  switch (m - i) {
    case 3: tile(i, std::integral_constant<int, 3>{}); break;
    case 2: tile(i, std::integral_constant<int, 2>{}); break;
    case 1: tile(i, std::integral_constant<int, 1>{}); break;
    default: break;
  }
}

template <int NR>
SAYRE_AVX512 void blockNT(int m, int k, float alpha, const float* a, long lda, const float* b, long ldb,
                          float beta, float* c, long ldc) {
  overRows(m, [&](int i, auto mr) {
    tileNT<decltype(mr)::value, NR>(k, alpha, a + i * lda, lda, b, ldb, beta, c + i * ldc, ldc);
  });
}

template <int NV>
SAYRE_AVX512 void blockNN(int m, int k, float alpha, const float* a, long lda, const float* b, long ldb,
                          float beta, float* c, long ldc, __mmask16 tail) {
  overRows(m, [&](int i, auto mr) {
    tileNN<decltype(mr)::value, NV>(k, alpha, a + i * lda, lda, b, ldb, beta, c + i * ldc, ldc, tail);
  });
}

SAYRE_AVX512 void skinnyNT(int m, int n, int k, float alpha, const float* a, long lda, const float* b, long ldb,
                           float beta, float* c, long ldc) {
  int j = 0;
  for (; j + 4 <= n; j += 4) blockNT<4>(m, k, alpha, a, lda, b + j * ldb, ldb, beta, c + j, ldc);
  switch (n - j) {
    case 3: blockNT<3>(m, k, alpha, a, lda, b + j * ldb, ldb, beta, c + j, ldc); break;
    case 2: blockNT<2>(m, k, alpha, a, lda, b + j * ldb, ldb, beta, c + j, ldc); break;
    case 1: blockNT<1>(m, k, alpha, a, lda, b + j * ldb, ldb, beta, c + j, ldc); break;
    default: break;
  }
}

SAYRE_AVX512 void skinnyNN(int m, int n, int k, float alpha, const float* a, long lda, const float* b, long ldb,
                           float beta, float* c, long ldc) {
  int j = 0;
  for (; j + 64 <= n; j += 64) blockNN<4>(m, k, alpha, a, lda, b + j, ldb, beta, c + j, ldc, 0xffff);
  for (; j < n; j += 16) {
    const int w = n - j < 16 ? n - j : 16;
    blockNN<1>(m, k, alpha, a, lda, b + j, ldb, beta, c + j, ldc, static_cast<__mmask16>((1u << w) - 1));
  }
}

}  // namespace

bool skinnyAvailable() {
  static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  return yes;
}

bool skinnyGemm(bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
                float beta, float* c, int ldc) {
  if (!skinnyAvailable()) return false;
  // Columns are cut into chunks of whole blocks, about 4 per thread; every element is
  // computed the same way whatever the cut, so results do not depend on the thread count.
  const int unit = transB ? 4 : 64;
  const int blocks = (n + unit - 1) / unit;
  const long work = static_cast<long>(m) * n * k;
  int chunks = work < (1L << 17) ? 1 : 4 * poolThreads();
  if (chunks > blocks) chunks = blocks;
  const int size = (blocks + chunks - 1) / chunks * unit;
  chunks = (n + size - 1) / size;
  parallelFor(chunks, [&](int t) {
    const int j0 = t * size;
    const int j1 = j0 + size < n ? j0 + size : n;
    if (transB) skinnyNT(m, j1 - j0, k, alpha, a, lda, b + static_cast<long>(j0) * ldb, ldb, beta, c + j0, ldc);
    else skinnyNN(m, j1 - j0, k, alpha, a, lda, b + j0, ldb, beta, c + j0, ldc);
  });
  return true;
}

}  // namespace sayre

#else

namespace sayre {
bool skinnyAvailable() { return false; }
bool skinnyGemm(bool, int, int, int, float, const float*, int, const float*, int, float, float*, int) { return false; }
}  // namespace sayre

#endif
