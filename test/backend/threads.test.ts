/**
 * The WASM kernels on worker threads (`setThreads`): a call's batch rows are split between threads, and every
 * thread count gives the same numbers as one thread, bit for bit, forward and backward, on awkward shapes
 * (batches that do not split evenly, T=1, U=1, masks, goBackwards, both resetAfter conventions); those numbers
 * match the reference backend at the tolerances of kernels.test.ts. Calls too small to split stay on the calling
 * thread; a process that used threads exits by itself; bad thread counts are typed errors.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sigmoidFn, tanhFn } from '../../src/activations/elementwise.js';
import type { GruGradients, GruSequenceArgs, GruSequenceResult } from '../../src/backend/backend.js';
import { referenceBackend } from '../../src/backend/reference/index.js';
import { requestedThreads } from '../../src/backend/thread-count.js';
import { selectedBackend, setBackend } from '../../src/backend/registry.js';
import { getThreads, setThreads } from '../../src/backend/threads.js';
import { wasmBackend } from '../../src/backend/wasm/index.js';
import { splitTuning } from '../../src/backend/wasm/split.js';
import { wasmState } from '../../src/backend/wasm/state.js';
import { InvalidArgumentError, setThreads as publicSetThreads } from '../../src/index.js';
import { Random } from '../../src/random/rng.js';
import { thrown } from '../helpers/errors.js';

interface Case {
  B: number;
  T: number;
  I: number;
  U: number;
  resetAfter: boolean;
  goBackwards?: boolean;
  mask?: boolean;
  zeroOutputForMask?: boolean;
  returnSequences?: boolean;
  /** Threads the call is split between at 2 and at 3 threads (src/backend/wasm/split.ts): at least 4 rows a share
   * once B ≥ 4 (the GEMM multiplies fewer rows another way), any share below. */
  split: [number, number];
}

const cases: Case[] = [
  { B: 1, T: 6, I: 3, U: 5, resetAfter: true, split: [1, 1] },
  { B: 2, T: 1, I: 7, U: 9, resetAfter: true, split: [2, 2] },
  { B: 2, T: 5, I: 3, U: 5, resetAfter: false, mask: true, split: [2, 2] },
  { B: 3, T: 1, I: 2, U: 1, resetAfter: true, split: [2, 3] },
  { B: 3, T: 7, I: 4, U: 6, resetAfter: true, mask: true, goBackwards: true, split: [2, 3] },
  { B: 5, T: 4, I: 3, U: 5, resetAfter: false, mask: true, zeroOutputForMask: true, split: [1, 1] },
  { B: 7, T: 3, I: 5, U: 1, resetAfter: true, returnSequences: false, split: [1, 1] },
  { B: 9, T: 5, I: 3, U: 1, resetAfter: false, mask: true, goBackwards: true, split: [2, 2] },
  { B: 11, T: 1, I: 6, U: 13, resetAfter: false, split: [2, 2] },
  {
    B: 13,
    T: 6,
    I: 33,
    U: 67,
    resetAfter: true,
    mask: true,
    zeroOutputForMask: true,
    goBackwards: true,
    split: [2, 3],
  },
  { B: 13, T: 4, I: 33, U: 67, resetAfter: false, mask: true, returnSequences: false, split: [2, 3] },
  { B: 16, T: 3, I: 300, U: 259, resetAfter: true, split: [2, 3] },
];

const label = (c: Case): string =>
  `B=${c.B} T=${c.T} I=${c.I} U=${c.U} resetAfter=${c.resetAfter}${c.goBackwards ? ' goBackwards' : ''}${c.mask ? ' mask' : ''}` +
  `${c.zeroOutputForMask ? ' zeroOutputForMask' : ''}${c.returnSequences === false ? ' last output' : ''}`;

function fill(rng: Random, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
}

function makeArgs(c: Case, seed: number): GruSequenceArgs {
  const rng = new Random(seed);
  const G = 3 * c.U;
  const wScale = 2 / Math.sqrt(c.I + c.U);
  let mask: Uint8Array | null = null;
  if (c.mask === true) {
    // Row 0 all ones, row 1 starts masked, the rest random holes.
    mask = new Uint8Array(c.B * c.T);
    for (let b = 0; b < c.B; b++)
      for (let t = 0; t < c.T; t++)
        mask[b * c.T + t] = b === 0 ? 1 : b === 1 ? (t < 2 ? 0 : 1) : rng.uniform() < 0.6 ? 1 : 0;
  }
  return {
    batch: c.B,
    steps: c.T,
    inputDim: c.I,
    units: c.U,
    x: fill(rng, c.B * c.T * c.I),
    kernel: fill(rng, c.I * G, wScale),
    recurrentKernel: fill(rng, c.U * G, wScale),
    inputBias: fill(rng, G, 0.3),
    recurrentBias: c.resetAfter ? fill(rng, G, 0.3) : null,
    h0: fill(rng, c.B * c.U, 0.8),
    mask,
    resetAfter: c.resetAfter,
    goBackwards: c.goBackwards ?? false,
    returnSequences: c.returnSequences ?? true,
    zeroOutputForMask: c.zeroOutputForMask ?? false,
    activation: { name: 'tanh', fn: tanhFn.f, df: tanhFn.df },
    recurrentActivation: { name: 'sigmoid', fn: sigmoidFn.f, df: sigmoidFn.df },
    saveForBackward: true,
  };
}

interface Run {
  forward: GruSequenceResult;
  grads: GruGradients;
  /** The most threads a kernel call was split between. */
  threads: number;
}

function run(args: GruSequenceArgs, threads: number): Run {
  void setThreads(threads);
  const spy = vi.spyOn(wasmState()!.pool, 'run');
  try {
    const rng = new Random(99);
    const { batch: B, steps: T, units: U } = args;
    const forward = wasmBackend.gruSequence(args);
    const grads = wasmBackend.gruSequenceBackward({
      forward: args,
      cache: forward.cache!,
      dOutputs: args.returnSequences ? fill(rng, B * T * U) : null,
      dLastOutput: fill(rng, B * U),
      dState: fill(rng, B * U),
    });
    expect(forward.cache?.backend).toBe('wasm');
    return { forward, grads, threads: Math.max(1, ...spy.mock.calls.map(([, params]) => params.length)) };
  } finally {
    spy.mockRestore();
  }
}

/** The float32 bit patterns, so that toEqual compares bits (−0 ≠ 0, NaN = NaN). */
const bits = (a: ArrayLike<number> | null): number[] | null =>
  a === null ? null : Array.from(new Uint32Array(Float32Array.from(a).buffer));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** max |a − b| / max |b|. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-30;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  return maxAbsDiff(a, b) / scale;
}

const threadsBefore = requestedThreads();
const minFlopsBefore = splitTuning.minFlopsPerThread;
const backendBefore = selectedBackend().name;

beforeAll(async () => {
  setBackend('wasm'); // setThreads starts the selected backend's threads; the default is 'native' where built
  splitTuning.minFlopsPerThread = 0; // split even these small calls
  expect(wasmState()?.k.shared).toBe(true);
  await setThreads(3);
});

afterAll(() => {
  void setThreads(threadsBefore);
  splitTuning.minFlopsPerThread = minFlopsBefore;
  setBackend(backendBefore);
});

describe.each(cases.map((c) => [label(c), c] as const))('%s', (_label, c) => {
  const args = makeArgs(c, c.B * 100 + c.T * 10 + c.U);
  let one: Run;

  beforeAll(() => {
    one = run(args, 1);
  });

  it('one thread matches the reference backend (forward 1e-6 absolute, gradients 1e-5 relative)', () => {
    expect(one.threads).toBe(1);
    const ref = referenceBackend.gruSequence(args);
    if (ref.outputs === null) expect(one.forward.outputs).toBeNull();
    else expect(maxAbsDiff(one.forward.outputs!, ref.outputs)).toBeLessThan(1e-6);
    expect(maxAbsDiff(one.forward.lastOutput, ref.lastOutput)).toBeLessThan(1e-6);
    expect(maxAbsDiff(one.forward.state, ref.state)).toBeLessThan(1e-6);
    const rng = new Random(99);
    const want = referenceBackend.gruSequenceBackward({
      forward: args,
      cache: ref.cache!,
      dOutputs: args.returnSequences ? fill(rng, c.B * c.T * c.U) : null,
      dLastOutput: fill(rng, c.B * c.U),
      dState: fill(rng, c.B * c.U),
    });
    for (const key of ['dx', 'dKernel', 'dRecurrentKernel', 'dInputBias', 'dRecurrentBias', 'dh0'] as const) {
      if (want[key] === null) expect(one.grads[key]).toBeNull();
      else expect(relDiff(one.grads[key]!, want[key])).toBeLessThan(1e-5);
    }
  });

  it.each([2, 3])('%i threads give the same bits as one', (threads) => {
    const many = run(args, threads);
    expect(bits(many.forward.outputs)).toEqual(bits(one.forward.outputs));
    expect(bits(many.forward.lastOutput)).toEqual(bits(one.forward.lastOutput));
    expect(bits(many.forward.state)).toEqual(bits(one.forward.state));
    for (const key of ['dx', 'dKernel', 'dRecurrentKernel', 'dInputBias', 'dRecurrentBias', 'dh0'] as const) {
      expect(bits(many.grads[key]), key).toEqual(bits(one.grads[key]));
    }
    expect(many.threads).toBe(c.split[threads - 2]);
  });
});

it('workers see the memory the calling thread grew (no call falls back to the reference kernels)', () => {
  const fallback = vi.spyOn(referenceBackend, 'gruSequenceBackward');
  try {
    const memory = wasmState()!.k.exports.memory;
    const before = memory.buffer.byteLength;
    const c: Case = { B: 12, T: 400, I: 96, U: 64, resetAfter: true, split: [2, 3] };
    const args = makeArgs(c, 5); // some 25 MB of workspace and cache: beyond what the cases above needed
    const one = run(args, 1);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    const many = run(args, 3);
    expect(many.threads).toBe(3);
    expect(bits(many.forward.outputs)).toEqual(bits(one.forward.outputs));
    expect(bits(many.grads.dRecurrentKernel)).toEqual(bits(one.grads.dRecurrentKernel));
    expect(fallback).not.toHaveBeenCalled();
  } finally {
    fallback.mockRestore();
  }
});

describe('when calls stay on the calling thread', () => {
  it('one thread, a batch of one, and (at the default threshold) small work never reach the workers', () => {
    const spy = vi.spyOn(wasmState()!.pool, 'run');
    try {
      void setThreads(1);
      wasmBackend.gruSequence(makeArgs(cases[cases.length - 1]!, 1));
      void setThreads(3);
      wasmBackend.gruSequence(makeArgs(cases[0]!, 1)); // B = 1
      splitTuning.minFlopsPerThread = minFlopsBefore;
      wasmBackend.gruSequence(
        makeArgs(
          cases.find((c) => c.B === 11)!,
          1,
        ),
      ); // T = 1: some 20 kFLOP
      expect(spy).not.toHaveBeenCalled();
    } finally {
      splitTuning.minFlopsPerThread = 0;
      spy.mockRestore();
    }
  });
});

describe('setThreads', () => {
  it('is exported from the package entry; getThreads reports what calls get: at most the count asked, as many as are ready', async () => {
    expect(publicSetThreads).toBe(setThreads);
    await expect(setThreads(2)).resolves.toBe(2);
    expect(getThreads()).toBe(2);
    await expect(setThreads(3)).resolves.toBe(3);
    expect(getThreads()).toBe(3);
    expect(requestedThreads()).toBe(3);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2'])(
    'refuses %s with an InvalidArgumentError naming n',
    (n) => {
      const error = thrown(() => setThreads(n as number), InvalidArgumentError);
      expect(error.argument).toBe('n');
      expect(error.message).toContain('setThreads');
    },
  );
});

it('a process that used worker threads exits by itself', () => {
  const script = fileURLToPath(new URL('./fixtures/threads-exit.ts', import.meta.url));
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain('threads used: 2');
  expect(Date.now() - started).toBeLessThan(30_000);
}, 60_000);
