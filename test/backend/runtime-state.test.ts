/**
 * What the runtime reports is what calls get: `getBackend()` names the backend calls run on now, `getThreads()`
 * the threads a call may use now, `setThreads(n)` resolves once they are ready, `ready()` once the kernels and
 * the workers asked for are live. Each case loads the backend modules afresh (no kernels, no workers yet), in
 * the situations a browser page meets: kernels compiled asynchronously, no SharedArrayBuffer.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { refuseSyncCompile } from '../helpers/wasm-stubs.js';

type Registry = typeof import('../../src/backend/registry.js');
type Threads = typeof import('../../src/backend/threads.js');

/** The runtime as a page (or a Node without the native addon) meets it: the addon is not loaded. */
async function fresh(): Promise<Registry & Threads & { pool: () => { size: number } | undefined }> {
  vi.resetModules();
  vi.stubEnv('KERAS_GRU_NATIVE', 'off');
  const registry = await import('../../src/backend/registry.js');
  const threads = await import('../../src/backend/threads.js');
  const { wasmState } = await import('../../src/backend/wasm/state.js');
  return { ...registry, ...threads, pool: () => wasmState()?.pool };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.resetModules();
});

it('in Node: wasm at once; workers are counted once ready, and setThreads resolves when they are', async () => {
  const rt = await fresh();
  expect(rt.getBackend().name).toBe('wasm');
  expect(rt.pool()?.size).toBe(0);
  expect(rt.getThreads()).toBe(1); // no worker started yet, whatever the core count
  const started = rt.setThreads(2);
  expect(started).toBeInstanceOf(Promise);
  expect(rt.getThreads()).toBeLessThanOrEqual(2);
  await expect(started).resolves.toBe(2);
  expect(rt.getThreads()).toBe(2);
  await expect(rt.setThreads(1)).resolves.toBe(1);
  expect(rt.getThreads()).toBe(1);
  expect(rt.pool()?.size).toBe(1); // the worker stays, unused
});

it('ready() waits for the workers setThreads started without being awaited', async () => {
  const rt = await fresh();
  void rt.setThreads(3);
  await expect(rt.ready()).resolves.toBe(true);
  expect(rt.getThreads()).toBe(3);
});

it('where compiles are asynchronous: reference until ready() resolves, then wasm; threads wait for the kernels', async () => {
  refuseSyncCompile();
  const rt = await fresh();
  expect(rt.selectedBackend().name).toBe('wasm');
  expect(rt.getBackend().name).toBe('reference');
  expect(rt.getThreads()).toBe(1);
  const threads = rt.setThreads(2);
  expect(rt.getBackend().name).toBe('reference');
  await expect(rt.ready()).resolves.toBe(true);
  expect(rt.getBackend().name).toBe('wasm');
  await expect(threads).resolves.toBe(2);
});

it('without SharedArrayBuffer (a page that is not cross-origin isolated): one thread, honestly', async () => {
  vi.stubGlobal('SharedArrayBuffer', undefined);
  const rt = await fresh();
  expect(rt.getBackend().name).toBe('wasm');
  await expect(rt.setThreads(4)).resolves.toBe(1);
  expect(rt.getThreads()).toBe(1);
  await expect(rt.ready()).resolves.toBe(true);
  expect(rt.pool()?.size).toBe(0);
});

it('without WebAssembly SIMD: the reference backend, named as such, and ready() resolves false', async () => {
  const real = WebAssembly;
  vi.stubGlobal('WebAssembly', { ...real, validate: () => false });
  const rt = await fresh();
  expect(rt.getBackend().name).toBe('reference');
  rt.setBackend('wasm');
  expect(rt.getBackend().name).toBe('reference');
  await expect(rt.ready()).resolves.toBe(false);
  await expect(rt.setThreads(2)).resolves.toBe(1);
});

it('the reference backend runs one thread whatever was asked', async () => {
  const rt = await fresh();
  rt.setBackend('reference');
  await expect(rt.setThreads(2)).resolves.toBe(1);
  expect(rt.getThreads()).toBe(1);
  await expect(rt.ready()).resolves.toBe(true);
});
