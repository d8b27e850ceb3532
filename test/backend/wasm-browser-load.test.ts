/**
 * Loading where synchronous compiles are refused (as on a browser's main thread, for modules over 4 KB): the
 * backend delegates to the reference kernels until the asynchronous compile (started by the first refusal, or
 * by `ready()`) completes, then runs on WASM.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { sigmoidFn, tanhFn } from '../../src/activations/elementwise.js';
import type { GruSequenceArgs } from '../../src/backend/backend.js';
import { refuseSyncCompile } from '../helpers/wasm-stubs.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

it('delegates while the module compiles asynchronously, then uses it', async () => {
  refuseSyncCompile();
  vi.resetModules();
  const instance = await import('../../src/backend/wasm/instance.js');
  const { wasmBackend } = await import('../../src/backend/wasm/index.js');
  const args: GruSequenceArgs = {
    batch: 1,
    steps: 2,
    inputDim: 2,
    units: 3,
    x: new Float32Array([0.1, 0.2, 0.3, 0.4]),
    kernel: new Float32Array(18).fill(0.1),
    recurrentKernel: new Float32Array(27).fill(-0.1),
    inputBias: null,
    recurrentBias: null,
    h0: new Float32Array(3),
    mask: null,
    resetAfter: true,
    goBackwards: false,
    returnSequences: false,
    zeroOutputForMask: false,
    activation: { name: 'tanh', fn: tanhFn.f, df: tanhFn.df },
    recurrentActivation: { name: 'sigmoid', fn: sigmoidFn.f, df: sigmoidFn.df },
    saveForBackward: true,
  };
  expect(instance.kernels()).toBeNull();
  expect(wasmBackend.gruSequence(args).cache?.backend).toBe('reference');
  await expect(instance.ready()).resolves.toBe(true);
  expect(instance.kernels()).not.toBeNull();
  expect(wasmBackend.gruSequence(args).cache?.backend).toBe('wasm');
});
