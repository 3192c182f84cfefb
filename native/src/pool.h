// A small fork-join pool for the addon's own kernels (OpenBLAS keeps its own threads).
#pragma once
#include <functional>

namespace sayre {

// Threads the pool may use for the calling thread's work (the calling thread included;
// each thread has its own setting); starts workers as needed.
void setPoolThreads(int n);
int poolThreads();

// Runs fn(c) for every chunk c in [0, chunks), on the calling thread and the workers:
// each thread claims the next unclaimed chunk until none is left, so a worker that is
// slow to wake (a busy machine) delays nothing. Returns when all chunks have finished.
// While the pool serves another thread, the caller runs every chunk itself.
void parallelFor(int chunks, const std::function<void(int)>& fn);

}  // namespace sayre
