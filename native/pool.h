// Worker threads for the kernels (pool.cc): a call's row ranges run at once, one per thread.
#ifndef KERAS_GRU_POOL_H
#define KERAS_GRU_POOL_H

// The most ranges a call may run at once (the calling thread and the workers).
int kg_pool_max_threads();
// Runs job(ctx, i) for i in [0, n): i = 0 on the calling thread, the others on workers (started on first use);
// returns when all are done. A second caller while the pool is busy (another Node worker thread using the
// addon) runs its ranges one after another on its own thread.
void kg_pool_run(int n, void (*job)(void *, int), void *ctx);

#endif
