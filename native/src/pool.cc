// Workers spin briefly after each task (back-to-back kernels of an LSTM step then start
// at once), then sleep on an atomic (a futex), so an idle pool costs no CPU. Chunks are
// claimed by compare-exchange on one word holding (task, chunk count, next chunk), so a
// claim can only succeed for the task it was meant for. The pool is never destroyed:
// its detached threads end with the process.
//
// Several JavaScript threads (the server's recogniser and stream threads) may call in at
// once: the pool serves one caller at a time, and a caller that finds it busy runs its
// chunks itself rather than wait (or, as before, corrupt the task under way and hang).
// The thread count is the calling thread's own setting.
#include "pool.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include "subnormals.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define SAYRE_PAUSE() _mm_pause()
#else
#define SAYRE_PAUSE() std::this_thread::yield()
#endif

namespace sayre {
namespace {

// A few microseconds of spinning before sleeping.
constexpr int kSpins = 2000;

struct Pool {
  std::atomic<uint32_t> announce{0};  // latest task; workers sleep on it
  std::atomic<uint64_t> claim{0};     // task << 32 | chunks << 16 | next chunk
  std::atomic<int> finished{0};
  const std::function<void(int)>* fn = nullptr;
  uint32_t task = 0;
  int workers = 0;
  std::mutex busy;     // held by the caller the pool serves
  std::mutex growing;  // guards starting workers

  // Claims and runs chunks of task t until none is left.
  void runClaims(uint32_t t) {
    for (;;) {
      uint64_t s = claim.load(std::memory_order_acquire);
      if (static_cast<uint32_t>(s >> 32) != t) return;
      const int chunks = static_cast<int>((s >> 16) & 0xffff), next = static_cast<int>(s & 0xffff);
      if (next >= chunks) return;
      if (!claim.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) continue;
      (*fn)(next);  // fn cannot change until this chunk is reported finished
      if (finished.fetch_add(1, std::memory_order_acq_rel) + 1 == chunks) finished.notify_one();
    }
  }

  void loop() {
    uint32_t seen = 0;
    for (;;) {
      uint32_t t;
      int spins = 0;
      while ((t = announce.load(std::memory_order_acquire)) == seen) {
        if (++spins < kSpins) SAYRE_PAUSE();
        else announce.wait(seen, std::memory_order_acquire);
      }
      seen = t;
      runClaims(t);
    }
  }
};

Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

// This thread's setting: each JavaScript thread sets its own.
thread_local int active = 1;

}  // namespace

void setPoolThreads(int n) {
  Pool& p = pool();
  active = n < 1 ? 1 : n;
  std::lock_guard<std::mutex> lock(p.growing);
  while (p.workers < active - 1) {
    p.workers++;
    std::thread([&p] {
      flushSubnormalsOnThisThread();
      p.loop();
    }).detach();
  }
}

int poolThreads() { return active; }

void parallelFor(int chunks, const std::function<void(int)>& fn) {
  Pool& p = pool();
  std::unique_lock<std::mutex> serving(p.busy, std::defer_lock);
  if (chunks <= 1 || active == 1 || chunks >= (1 << 16) || !serving.try_lock()) {
    for (int c = 0; c < chunks; c++) fn(c);
    return;
  }
  const uint32_t t = ++p.task;
  p.fn = &fn;
  p.finished.store(0, std::memory_order_relaxed);
  p.claim.store(static_cast<uint64_t>(t) << 32 | static_cast<uint64_t>(chunks) << 16, std::memory_order_release);
  p.announce.store(t, std::memory_order_release);
  p.announce.notify_all();
  p.runClaims(t);
  int done, spins = 0;
  while ((done = p.finished.load(std::memory_order_acquire)) != chunks) {
    if (++spins < kSpins) SAYRE_PAUSE();
    else p.finished.wait(done, std::memory_order_acquire);
  }
}

}  // namespace sayre
