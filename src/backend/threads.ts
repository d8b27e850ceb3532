/**
 * Threads for kernel calls, as users see them: `setThreads(n)` asks for n and resolves once they are ready;
 * `getThreads()` says how many a call gets now. Only the WASM backend uses more than one (worker threads on its
 * shared memory, src/backend/wasm/threads.ts): it splits a call's batch rows between them, so every thread count
 * gives the same numbers, bit for bit.
 */
import { InvalidArgumentError } from '../errors.js';
import { getBackend, selectedBackend } from './registry.js';
import { requestedThreads, requestThreads } from './thread-count.js';

/**
 * Asks kernel calls to use `n` threads (1 = the calling thread only) and starts the worker threads that needs.
 * The promise resolves, to `getThreads()`, once they are ready: `await setThreads(4)` before timing or
 * serving calls. Not awaited, calls use the workers as they become ready (the first ones may run on fewer).
 * Workers never keep a Node process alive; `setThreads(1)` stops using them. Small calls (a single streaming
 * step, a batch of one) always run on the calling thread. Threads need shared memory: in a browser a
 * cross-origin isolated page (COOP/COEP headers), elsewhere Node; without it every call runs on the calling
 * thread and the promise resolves to 1. The promise never rejects; a bad `n` throws at once.
 */
export function setThreads(n: number): Promise<number> {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError({
      argument: 'n',
      expected: 'a positive integer',
      received: n,
      context: 'setThreads',
    });
  }
  requestThreads(n);
  const starting = selectedBackend().startThreads?.(n) ?? Promise.resolve();
  return starting.then(getThreads, getThreads);
}

/**
 * How many threads a kernel call may use now: at most what `setThreads` asked for (default: every core), and
 * only as many as are ready. 1 on a backend without threads, while the WASM kernels are not yet live, and where
 * there is no shared memory (a browser page that is not cross-origin isolated).
 */
export function getThreads(): number {
  return getBackend().threads?.(requestedThreads()) ?? 1;
}
