/**
 * Memory measures for long-run tests: a full garbage collection (vitest does not start Node with --expose-gc,
 * so the flag is set at run time and `gc` taken from a fresh context), then the JS heap, typed-array storage
 * and what the kernels hold (`backendMemory()`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { backendMemory } from '../../src/backend/memory-info.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface MemorySample {
  heapUsed: number;
  arrayBuffers: number;
  wasmMemory: number;
  wasmLive: number;
  nativeHeld: number;
}

export type MemoryMeasure = keyof MemorySample;

const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Collects garbage (letting FinalizationRegistry callbacks run in between), then measures. */
export async function measureMemory(): Promise<MemorySample> {
  // FinalizationRegistry callbacks (they free the WASM blocks of collected weights) run in a task of their own
  // after a collection, not always before a setImmediate: three rounds let them run.
  for (let round = 0; round < 3; round++) {
    gc();
    await turn();
  }
  const m = process.memoryUsage();
  const kernels = backendMemory();
  return {
    heapUsed: m.heapUsed,
    arrayBuffers: m.arrayBuffers,
    wasmMemory: kernels.wasm?.memoryBytes ?? 0,
    wasmLive: kernels.wasm?.liveBytes ?? 0,
    nativeHeld: kernels.native?.heldBytes ?? 0,
  };
}

/** Each measure's change from `before` to `after`. */
export function memoryGrowth(before: MemorySample, after: MemorySample): MemorySample {
  return {
    heapUsed: after.heapUsed - before.heapUsed,
    arrayBuffers: after.arrayBuffers - before.arrayBuffers,
    wasmMemory: after.wasmMemory - before.wasmMemory,
    wasmLive: after.wasmLive - before.wasmLive,
    nativeHeld: after.nativeHeld - before.nativeHeld,
  };
}

/** The measures whose growth passes its limit, as `name +bytes (limit)`: empty when none does. */
export function overLimits(growth: MemorySample, limits: MemorySample): string[] {
  return (Object.keys(limits) as MemoryMeasure[])
    .filter((m) => growth[m] > limits[m])
    .map((m) => `${m} +${growth[m]} B (limit ${limits[m]} B)`);
}
