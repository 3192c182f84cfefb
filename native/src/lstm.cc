// Fused LSTM cell kernels. Plain loops over the hidden units with branch-free math so the
// compiler vectorises them; target_clones builds AVX-512, AVX2 and baseline versions and
// picks one at load time (no -march=native: the addon must run on any x86-64).
#include <cmath>
#include <cstring>

#include "kernels.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SAYRE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SAYRE_CLONES
#endif

namespace sayre {
namespace {

// e^x, Cephes polynomial after x = n ln2 + r; about 2 ulp. Rounding by the 1.5*2^23 trick
// keeps it vectorisable without SSE4.1.
inline float expApprox(float x) {
  x = x < -87.3f ? -87.3f : x;
  x = x > 88.3f ? 88.3f : x;
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  float r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float y = 1.9875691500e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * (r * r) + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return y * scale;
}

inline float sigmoid(float x) { return 1.0f / (1.0f + expApprox(-x)); }

// tanh: odd polynomial below |x| = 0.625, 1 - 2 / (e^2|x| + 1) above (both computed, one kept).
inline float tanhApprox(float x) {
  const float ax = std::fabs(x);
  const float big = std::copysign(1.0f - 2.0f / (expApprox(ax + ax) + 1.0f), x);
  const float s = x * x;
  float p = -5.70498872745e-3f;
  p = p * s + 2.06390887954e-2f;
  p = p * s - 5.37397155531e-2f;
  p = p * s + 1.33314422036e-1f;
  p = p * s - 3.33332819422e-1f;
  const float small = p * s * x + x;
  return ax > 0.625f ? big : small;
}

}  // namespace

SAYRE_CLONES
void lstmForward(int rows, int H, float* gates, const float* cPrev, float* c, float* h, int ldh) {
  for (int r = 0; r < rows; r++) {
    float* __restrict gi = gates + static_cast<long>(r) * 4 * H;
    float* __restrict gf = gi + H;
    float* __restrict gg = gi + 2 * H;
    float* __restrict go = gi + 3 * H;
    const float* __restrict cp = cPrev + static_cast<long>(r) * H;
    float* __restrict cr = c + static_cast<long>(r) * H;
    float* __restrict hr = h + static_cast<long>(r) * ldh;
    // The rows of gates, c, h (and dGates, dc) never overlap.
#pragma GCC ivdep
    for (int j = 0; j < H; j++) {
      const float i = sigmoid(gi[j]), f = sigmoid(gf[j]), g = tanhApprox(gg[j]), o = sigmoid(go[j]);
      gi[j] = i; gf[j] = f; gg[j] = g; go[j] = o;
      const float cv = f * cp[j] + i * g;
      cr[j] = cv;
      hr[j] = o * tanhApprox(cv);
    }
  }
}

SAYRE_CLONES
void lstmBackward(int rows, int H, const float* gates, const float* cPrev, const float* c,
                  const float* dh, int lddh, float* dc, float* dGates) {
  for (int r = 0; r < rows; r++) {
    const long g0 = static_cast<long>(r) * 4 * H;
    const float* __restrict gi = gates + g0;
    const float* __restrict gf = gi + H;
    const float* __restrict gg = gi + 2 * H;
    const float* __restrict go = gi + 3 * H;
    float* __restrict di = dGates + g0;
    float* __restrict df = di + H;
    float* __restrict dg = di + 2 * H;
    float* __restrict dO = di + 3 * H;
    const float* __restrict cp = cPrev + static_cast<long>(r) * H;
    const float* __restrict cr = c + static_cast<long>(r) * H;
    const float* __restrict dhr = dh + static_cast<long>(r) * lddh;
    float* __restrict dcr = dc + static_cast<long>(r) * H;
    // The rows of gates, c, h (and dGates, dc) never overlap.
#pragma GCC ivdep
    for (int j = 0; j < H; j++) {
      const float i = gi[j], f = gf[j], g = gg[j], o = go[j];
      const float tc = tanhApprox(cr[j]);
      const float dct = dcr[j] + dhr[j] * o * (1.0f - tc * tc);
      di[j] = dct * g * (i * (1.0f - i));
      df[j] = dct * cp[j] * (f * (1.0f - f));
      dg[j] = dct * i * (1.0f - g * g);
      dO[j] = dhr[j] * tc * (o * (1.0f - o));
      dcr[j] = dct * f;
    }
  }
}

}  // namespace sayre
