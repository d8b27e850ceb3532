/**
 * How many threads the user asked kernel calls to use: `setThreads(n)`, or by default every core
 * (`navigator.hardwareConcurrency` in browsers, `os.availableParallelism()` in Node), settled on first use.
 * Backends read it here; how many threads calls really get is the backend's answer (src/backend/threads.ts).
 */

let chosen: number | null = null;
let cores: number | null = null;

/** The count asked for: the last `setThreads(n)`, else the number of cores. */
export function requestedThreads(): number {
  return chosen ?? (cores ??= countCores());
}

/** Records `n` (already validated) as the count asked for. */
export function requestThreads(n: number): void {
  chosen = n;
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
