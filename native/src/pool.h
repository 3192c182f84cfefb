// A small fork-join pool for the addon's own kernels (OpenBLAS keeps its own threads).
#pragma once
#include <functional>

namespace sayre {

// Threads the pool may use (the calling thread included); starts workers as needed.
void setPoolThreads(int n);
int poolThreads();

// Runs fn(c) for every chunk c in [0, chunks), on the calling thread and the workers:
// each thread claims the next unclaimed chunk until none is left, so a worker that is
// slow to wake (a busy machine) delays nothing. Returns when all chunks have finished.
void parallelFor(int chunks, const std::function<void(int)>& fn);

}  // namespace sayre
