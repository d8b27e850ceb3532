/**
 * Where SharedArrayBuffer is missing (a browser page that is not cross-origin isolated), the kernels run on an
 * ordinary memory: the module's shared memory import is made unshared, every call stays on the calling thread,
 * and the numbers are the same as on shared memory.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { sigmoidFn, tanhFn } from '../../src/activations/elementwise.js';
import type { GruSequenceArgs } from '../../src/backend/backend.js';
import { simdWasm } from '../../src/backend/wasm/generated/kernels.js';
import { memoryImport, unshared } from '../../src/backend/wasm/memory-import.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.resetModules();
});

const bytes = (): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(simdWasm), (c) => c.charCodeAt(0));

it('reads the memory import of the kernel binary, and unshares it', () => {
  const limits = memoryImport(bytes())!;
  expect(limits).toMatchObject({ initial: 16, maximum: 65536, shared: true });
  const plain = unshared(bytes(), limits);
  expect(memoryImport(plain)).toMatchObject({ initial: 16, maximum: 65536, shared: false });
  expect(WebAssembly.validate(plain)).toBe(true);
});

it('runs on an ordinary memory without SharedArrayBuffer, on the calling thread, with the same numbers', async () => {
  const [B, T, I, U] = [8, 6, 5, 7];
  const fill = (n: number, k: number): Float32Array =>
    Float32Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.5);
  const args: GruSequenceArgs = {
    batch: B,
    steps: T,
    inputDim: I,
    units: U,
    x: fill(B * T * I, 1),
    kernel: fill(I * 3 * U, 2),
    recurrentKernel: fill(U * 3 * U, 3),
    inputBias: fill(3 * U, 4),
    recurrentBias: fill(3 * U, 5),
    h0: fill(B * U, 6),
    mask: null,
    resetAfter: true,
    goBackwards: false,
    returnSequences: true,
    zeroOutputForMask: false,
    activation: { name: 'tanh', fn: tanhFn.f, df: tanhFn.df },
    recurrentActivation: { name: 'sigmoid', fn: sigmoidFn.f, df: sigmoidFn.df },
    saveForBackward: true,
  };
  const shared = (await import('../../src/backend/wasm/index.js')).wasmBackend.gruSequence(args);
  vi.resetModules();
  vi.stubGlobal('SharedArrayBuffer', undefined);
  vi.stubEnv('KERAS_GRU_NATIVE', 'off'); // setThreads below starts the WASM backend's threads, not the addon's
  const { wasmBackend } = await import('../../src/backend/wasm/index.js');
  const { kernels } = await import('../../src/backend/wasm/instance.js');
  const { setThreads } = await import('../../src/backend/threads.js');
  const { splitTuning } = await import('../../src/backend/wasm/split.js');
  const { wasmState } = await import('../../src/backend/wasm/state.js');
  await expect(setThreads(3)).resolves.toBe(1);
  splitTuning.minFlopsPerThread = 0;
  const got = wasmBackend.gruSequence(args);
  expect(kernels()!.shared).toBe(false);
  expect(got.cache?.backend).toBe('wasm');
  expect(wasmState()!.pool.size).toBe(0);
  expect(Array.from(got.outputs!)).toEqual(Array.from(shared.outputs!));
});
