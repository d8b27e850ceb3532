/**
 * Long runs do not grow memory: a stateful GRU streamed one step at a time through `apply`, the same GRU driven
 * by `step()`, and repeated `fit` calls, on the WASM and native backends. Each run warms up for a tenth of its
 * iterations, is measured (test/helpers/memory.ts), runs the rest and is measured again: the JS heap and
 * typed-array storage may move by noise only, what the kernels hold not at all. A control leaks one output
 * tensor and one WASM block per step and must be caught. This is the scaled-down `npm run bench:memory`
 * (a million steps, a thousand fits).
 */
import { describe, expect, it } from 'vitest';
import { loadedKernels } from '../../src/backend/wasm/instance.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { setRandomSeed } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { useBackend } from '../helpers/backends.js';
import { measureMemory, memoryGrowth, overLimits, type MemorySample } from '../helpers/memory.js';
import { seededValues } from '../helpers/random.js';

const STEPS = 20_000;
const FITS = 100;
const [INPUTS, UNITS] = [32, 128];
const MiB = 2 ** 20;
/**
 * A leak of one [1,128] output per step adds ~10 MiB of arrayBuffers and ~3 MiB of heap over 20,000 steps; one
 * [4,8] tensor per batch of the fits, ~180 kB of arrayBuffers over 90 fits. Typed-array storage stays flat to
 * the byte when nothing leaks; the heap moves by up to ~0.6 MiB as the JIT compiles more code (measured).
 */
const LIMITS: MemorySample = {
  heapUsed: 2 * MiB,
  arrayBuffers: 64 * 1024,
  wasmMemory: 0,
  wasmLive: 0,
  nativeHeld: 0,
};

/** Runs `iteration` `count` times and returns what grew past LIMITS from the end of the warm-up to the end. */
async function growthOver(count: number, iteration: (i: number) => void | Promise<void>): Promise<string[]> {
  const warmup = Math.ceil(count / 10);
  for (let i = 0; i < warmup; i++) await iteration(i);
  const before = await measureMemory();
  for (let i = warmup; i < count; i++) await iteration(i);
  return overLimits(memoryGrowth(before, await measureMemory()), LIMITS);
}

/** A fresh [1,(1,)INPUTS] input per step, as a sensor stream makes them. */
function inputs(shape: number[]): (i: number) => Tensor {
  const pool = seededValues(7, 64 * INPUTS);
  return (i) => tensor(pool.slice((i % 64) * INPUTS, (i % 64) * INPUTS + INPUTS), shape);
}

function streamApply(keep?: (output: Tensor) => void): (i: number) => void {
  setRandomSeed(15);
  const layer = new GRU({ units: UNITS, stateful: true });
  const x = inputs([1, 1, INPUTS]);
  return (i) => {
    const output = layer.apply(x(i)) as Tensor;
    keep?.(output);
  };
}

describe.each(['wasm', 'native'])('%s backend', (name) => {
  useBackend(name);

  it(`streams ${STEPS} one-step apply calls through a stateful GRU without growing`, async () => {
    expect(await growthOver(STEPS, streamApply())).toEqual([]);
  });

  it(`streams ${STEPS} step() calls without growing`, async () => {
    setRandomSeed(15);
    const layer = new GRU({ units: UNITS });
    const x = inputs([1, INPUTS]);
    let states = layer.getInitialState(1);
    let output: Tensor | null = null;
    const grown = await growthOver(STEPS, (i) => {
      [output, states] = layer.step(x(i), states);
    });
    expect(grown).toEqual([]);
    expect(Number.isFinite(output!.values[0])).toBe(true);
  });

  it(`runs ${FITS} fit calls without growing`, async () => {
    setRandomSeed(21);
    const [N, T] = [64, 10];
    const x = tensor(seededValues(21, N * T), [N, T, 1]);
    const y = tensor(
      Array.from({ length: N }, (_, n) => 0.5 * x.values[n * T + T - 1]!),
      [N, 1],
    );
    const model = new Sequential([input({ shape: [T, 1] }), new GRU({ units: 8 }), new Dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const losses: number[] = [];
    const grown = await growthOver(FITS, async () => {
      const history = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      losses.push(history.history.loss![0]!);
    });
    expect(grown).toEqual([]);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]!); // it trained
  });
});

describe('the measure', () => {
  useBackend('wasm');

  it('catches a leak of one output tensor and one 64-byte WASM block per step', async () => {
    const kept: Tensor[] = [];
    const blocks: number[] = [];
    const step = streamApply((output) => kept.push(output));
    const grown = await growthOver(5_000, (i) => {
      step(i);
      blocks.push(loadedKernels()!.exports.alloc(64));
    });
    for (const ptr of blocks) loadedKernels()!.exports.free(ptr);
    expect(grown.map((g) => g.split(' ')[0])).toEqual(expect.arrayContaining(['arrayBuffers', 'wasmLive']));
    expect(kept).toHaveLength(5_000);
  });
});
