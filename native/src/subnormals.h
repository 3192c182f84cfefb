// Subnormal floats cost an x86 core about a hundred cycles an operation. Late in training,
// gradients and Adam's moments reach them (a text-line CRNN run fell from 4.3k to 1.6k frames
// a second, 88% of it in sgemm), so the addon's kernels flush them to zero: values under
// 1.2e-38, which no model can tell from zero. Node's own thread gets its mode back after
// each call, so JavaScript's numbers keep their IEEE semantics; the pool's workers run only
// the addon's kernels and keep the mode.
#pragma once
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace sayre {

#if defined(__x86_64__) || defined(__i386__)
constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040;  // MXCSR FTZ and DAZ

// For the scope of one call on Node's thread.
class FlushSubnormals {
 public:
  FlushSubnormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero); }
  ~FlushSubnormals() { _mm_setcsr(saved_); }
  FlushSubnormals(const FlushSubnormals&) = delete;
  FlushSubnormals& operator=(const FlushSubnormals&) = delete;

 private:
  unsigned saved_;
};

// For the rest of a worker thread's life.
inline void flushSubnormalsOnThisThread() { _mm_setcsr(_mm_getcsr() | kFlushToZero | kDenormalsAreZero); }

// The opposite, for the scope of one piece of work on a worker: IEEE arithmetic, for the
// kernels whose results must equal the TypeScript loops' bit for bit (image.cc).
class IeeeArithmetic {
 public:
  IeeeArithmetic() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ & ~(kFlushToZero | kDenormalsAreZero)); }
  ~IeeeArithmetic() { _mm_setcsr(saved_); }
  IeeeArithmetic(const IeeeArithmetic&) = delete;
  IeeeArithmetic& operator=(const IeeeArithmetic&) = delete;

 private:
  unsigned saved_;
};
#else
// Elsewhere the default mode stays (ARM cores handle subnormals at full speed or nearly).
struct FlushSubnormals {};
struct IeeeArithmetic {};
inline void flushSubnormalsOnThisThread() {}
#endif

}  // namespace sayre
