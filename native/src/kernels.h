// Kernels of the native backend (see src/backend/backend.ts for the contracts).
#pragma once
#include <cstdint>

namespace sayre {

// LSTM cell forward/backward over `rows` rows, PyTorch gate order (i, f, g, o).
void lstmForward(int rows, int H, float* gates, const float* cPrev, float* c, float* h, int ldh);
void lstmBackward(int rows, int H, const float* gates, const float* cPrev, const float* c,
                  const float* dh, int lddh, float* dc, float* dGates);

// C[m,n] = alpha * A[m,k] * op(B) + beta * C for small m (the recurrent products), B [n,k]
// when transB, else [k,n];
// returns false when this CPU lacks the instructions it needs (caller uses BLAS).
bool skinnyGemm(bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
                  float beta, float* c, int ldc);

// Whether skinnyGemm can run on this CPU.
bool skinnyAvailable();

}  // namespace sayre
