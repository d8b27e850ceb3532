/**
 * The memory check's measures and verdict. A sample is the long-run tests' `measureMemory` (test/helpers:
 * three rounds of a full collection and a turn of the event loop, so FinalizationRegistry callbacks, which free
 * the WASM blocks of collected weights, have run, as they do between a real program's events) plus rss. Growth = last sample − first
 * sample, the first taken after the first interval, once caches and the JIT are warm.
 */
import { measureMemory } from '../../test/helpers/memory.js';

export const MiB = 2 ** 20;

/** What a sample records; the judged measures have a limit in LIMITS. */
export interface Sample {
  at: number;
  /** The JS heap. */
  heapUsed: number;
  /** Typed-array storage: tensor values live here, so a leaked tensor shows here more than in heapUsed. */
  arrayBuffers: number;
  /** The WASM kernels' linear memory (it grows and never shrinks). */
  wasmMemory: number;
  /** Bytes allocated in the WASM memory and not freed. */
  wasmLive: number;
  /** The native addon's heap bytes (its kernels' scratch). */
  nativeHeld: number;
  /** Resident set size: reported, not judged (the allocator and the OS decide when pages go back). */
  rss: number;
}

export type Measure = Exclude<keyof Sample, 'at' | 'rss'>;
export const MEASURES: readonly Measure[] = ['heapUsed', 'arrayBuffers', 'wasmMemory', 'wasmLive', 'nativeHeld'];

/**
 * Allowed growth over a check. One leaked [1,128] float32 tensor per step would add 512 B of arrayBuffers and
 * some 200 B of heap per step: ~5 MiB over 10,000 steps, far more over 1,000,000. The kernels' memory may not
 * grow at all once warm: the WASM workspace and the native scratch are sized by the first call.
 */
export const LIMITS: Readonly<Record<Measure, number>> = {
  heapUsed: 1 * MiB,
  arrayBuffers: 1 * MiB,
  wasmMemory: 0,
  wasmLive: 0,
  nativeHeld: 0,
};

/** The long-run tests' measurement (collections included), with rss beside it. */
export async function sample(at: number): Promise<Sample> {
  return { at, ...(await measureMemory()), rss: process.memoryUsage().rss };
}

export type Growth = Readonly<Record<Measure | 'rss', number>>;

export function growth(samples: readonly Sample[]): Growth {
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const g = { rss: last.rss - first.rss } as Record<Measure | 'rss', number>;
  for (const m of MEASURES) g[m] = last[m] - first[m];
  return g;
}

export function withinLimits(g: Growth): boolean {
  return MEASURES.every((m) => g[m] <= LIMITS[m]);
}

export const mib = (b: number): string => `${(b / MiB).toFixed(2)} MiB`;
export const signed = (b: number): string => `${b >= 0 ? '+' : '−'}${mib(Math.abs(b))}`;

const COLUMNS: readonly [keyof Sample, string][] = [
  ['heapUsed', 'heapUsed'],
  ['arrayBuffers', 'arrayBuffers'],
  ['wasmMemory', 'wasm memory'],
  ['wasmLive', 'wasm live'],
  ['nativeHeld', 'native held'],
  ['rss', 'rss'],
];

/** Prints the samples and the growth of each measure; returns the growth and whether it is within the limits. */
export function report(title: string, unit: string, samples: readonly Sample[]): { growth: Growth; ok: boolean } {
  console.log(`\n${title}`);
  console.log([unit.padStart(9), ...COLUMNS.map(([, label]) => label.padStart(12))].join('  '));
  for (const s of samples) {
    console.log([String(s.at).padStart(9), ...COLUMNS.map(([key]) => mib(s[key]).padStart(12))].join('  '));
  }
  const g = growth(samples);
  const ok = withinLimits(g);
  const parts = MEASURES.map((m) => `${m} ${signed(g[m])}${g[m] > LIMITS[m] ? ' (over)' : ''}`);
  console.log(
    `growth from ${unit} ${samples[0]!.at} to ${samples[samples.length - 1]!.at}: ${parts.join(', ')} ` +
      `(rss ${signed(g.rss)}, not judged) → ${ok ? 'OK' : 'GROWS'}`,
  );
  return { growth: g, ok };
}
