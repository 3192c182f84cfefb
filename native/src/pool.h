// A small fork-join pool for the addon's own kernels (OpenBLAS keeps its own threads).
#pragma once
#include <functional>

namespace sayre {

// Threads the pool may use (the calling thread included); starts workers as needed.
void setPoolThreads(int n);
int poolThreads();

// Runs fn(t) for t in [0, parts): t = 0 on the calling thread, the others on workers;
// returns when all have finished. parts must not exceed poolThreads().
void parallelFor(int parts, const std::function<void(int)>& fn);

}  // namespace sayre
