// Workers spin briefly after each task (back-to-back kernels of an LSTM step then wake in
// well under a microsecond), then sleep on the atomic (a futex), so an idle pool costs
// no CPU. The pool is never destroyed: its detached threads end with the process.
#include "pool.h"

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#define SAYRE_PAUSE() _mm_pause()
#else
#define SAYRE_PAUSE() std::this_thread::yield()
#endif

namespace sayre {
namespace {

// About 20-50 us of spinning before sleeping.
constexpr int kSpins = 20000;

struct Pool {
  std::atomic<uint32_t> epoch{0};
  std::atomic<int> remaining{0};
  const std::function<void(int)>* fn = nullptr;
  int parts = 0;
  int workers = 0;
  int active = 1;

  void loop(int id) {
    uint32_t seen = 0;
    for (;;) {
      uint32_t e;
      int spins = 0;
      while ((e = epoch.load(std::memory_order_acquire)) == seen) {
        if (++spins < kSpins) SAYRE_PAUSE();
        else epoch.wait(seen, std::memory_order_acquire);
      }
      seen = e;
      if (id < parts) (*fn)(id);
      if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) remaining.notify_one();
    }
  }
};

Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

void setPoolThreads(int n) {
  Pool& p = pool();
  p.active = n < 1 ? 1 : n;
  while (p.workers < p.active - 1) {
    const int id = ++p.workers;
    std::thread([&p, id] { p.loop(id); }).detach();
  }
}

int poolThreads() { return pool().active; }

void parallelFor(int parts, const std::function<void(int)>& fn) {
  Pool& p = pool();
  if (parts <= 1 || p.workers == 0) {
    for (int t = 0; t < parts; t++) fn(t);
    return;
  }
  p.fn = &fn;
  p.parts = parts;
  p.remaining.store(p.workers, std::memory_order_release);
  p.epoch.fetch_add(1, std::memory_order_acq_rel);
  p.epoch.notify_all();
  fn(0);
  int r, spins = 0;
  while ((r = p.remaining.load(std::memory_order_acquire)) != 0) {
    if (++spins < kSpins) SAYRE_PAUSE();
    else p.remaining.wait(r, std::memory_order_acquire);
  }
}

}  // namespace sayre
