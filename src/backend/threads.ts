/**
 * How many threads the kernels may use: explicit global state, like the backend choice. The default is every
 * core (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers), settled on first use.
 * Only the WASM backend uses more than one (worker threads on shared memory, src/backend/wasm/threads.ts); it
 * splits a call's batch rows between them, so every thread count gives the same numbers, bit for bit.
 */
import { InvalidArgumentError } from '../errors.js';

let chosen: number | null = null;
let cores: number | null = null;

/**
 * Sets how many threads a kernel call may use (1 = the calling thread only). Worker threads start on the first
 * call that uses them and never keep a Node process alive; `setThreads(1)` stops using them. Small calls (a
 * single streaming step, a batch of one) always run on the calling thread. Threads need shared memory: in a
 * browser, a cross-origin isolated page; elsewhere every call runs on the calling thread.
 */
export function setThreads(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError({ argument: 'n', expected: 'a positive integer', received: n, context: 'setThreads' });
  }
  chosen = n;
}

/** The thread count set by `setThreads`, or the number of cores. */
export function getThreads(): number {
  return chosen ?? (cores ??= countCores());
}

interface Globals {
  navigator?: { hardwareConcurrency?: number };
  process?: { getBuiltinModule?: (name: string) => unknown };
}

function countCores(): number {
  const g = globalThis as Globals;
  const hc = g.navigator?.hardwareConcurrency;
  if (typeof hc === 'number' && hc >= 1) return hc;
  // Node 20 has no `navigator`; `getBuiltinModule` (Node ≥ 20.16) reaches `node:os` without an import.
  const os = g.process?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  const n = os?.availableParallelism?.();
  return typeof n === 'number' && n >= 1 ? n : 1;
}
