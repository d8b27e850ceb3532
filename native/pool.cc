// The worker threads behind kg_pool_run (pool.h). A worker waits for a new generation of work, spinning for a
// few microseconds first (a GRU step is a few microseconds, and a sleeping thread takes tens to wake), then
// on a condition variable; the caller spins until its workers are done. Workers never keep Node alive (they
// are not libuv handles) and never touch JavaScript values.
#include "pool.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace {

constexpr int MAX_THREADS = 16;
constexpr int SPINS = 20000;

// Never destroyed: at process exit a worker may still wait on them, and destroying a condition variable that
// has waiters blocks the exit forever (glibc).
std::mutex &busy = *new std::mutex;  // one call at a time uses the workers
std::mutex &sleepLock = *new std::mutex;
std::condition_variable &wake = *new std::condition_variable;
std::atomic<unsigned long> generation{0};
std::atomic<int> remaining{0};
void (*currentJob)(void *, int) = nullptr;
void *currentCtx = nullptr;
int currentN = 0;
int started = 0;  // workers running, indices 1..started

void worker(int index) {
  unsigned long seen = 0;
  for (;;) {
    unsigned long g = generation.load(std::memory_order_acquire);
    for (int i = 0; i < SPINS && g == seen; i++) {
#if defined(__x86_64__)
      __builtin_ia32_pause();
#endif
      g = generation.load(std::memory_order_acquire);
    }
    if (g == seen) {
      std::unique_lock<std::mutex> lock(sleepLock);
      wake.wait(lock, [&] { return generation.load(std::memory_order_acquire) != seen; });
      g = generation.load(std::memory_order_acquire);
    }
    seen = g;
    if (index < currentN) {
      currentJob(currentCtx, index);
      remaining.fetch_sub(1, std::memory_order_acq_rel);
    }
  }
}

}  // namespace

int kg_pool_max_threads() { return MAX_THREADS; }

void kg_pool_run(int n, void (*job)(void *, int), void *ctx) {
  std::unique_lock<std::mutex> mine(busy, std::try_to_lock);
  if (n <= 1 || !mine.owns_lock()) {
    for (int i = 0; i < n; i++) job(ctx, i);
    return;
  }
  const int total = n;
  if (n > MAX_THREADS) n = MAX_THREADS;
  try {
    while (started < n - 1) {
      std::thread(worker, started + 1).detach();
      started++;
    }
  } catch (...) {
    n = started + 1;  // no more threads could start: the caller runs the ranges they would have
  }
  currentJob = job;
  currentCtx = ctx;
  currentN = n;
  remaining.store(n - 1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(sleepLock);
    generation.fetch_add(1, std::memory_order_release);
  }
  wake.notify_all();
  job(ctx, 0);
  for (int i = n; i < total; i++) job(ctx, i);
  while (remaining.load(std::memory_order_acquire) > 0) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
  }
}
