/**
 * `backendMemory()` reports what the kernels hold outside the JS heap: exactly the WASM blocks allocated and not
 * freed, the WASM memory's size, and the native addon's scratch; reading it loads nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backendMemory } from '../../src/backend/memory-info.js';
import { nativeAvailable, nativeBackend } from '../../src/backend/native/index.js';
import { kernels } from '../../src/backend/wasm/instance.js';
import { wasmState } from '../../src/backend/wasm/state.js';

afterEach(() => {
  vi.resetModules();
});

it('reports null for kernels nothing has loaded yet, and loads none', async () => {
  vi.resetModules();
  const fresh = await import('../../src/backend/memory-info.js');
  const { loadedKernels } = await import('../../src/backend/wasm/instance.js');
  const { loadedNativeAddon } = await import('../../src/backend/native/addon.js');
  expect(fresh.backendMemory()).toEqual({ wasm: null, native: null });
  expect(loadedKernels()).toBeNull();
  expect(loadedNativeAddon()).toBeNull();
});

describe('WASM', () => {
  it('counts every block allocated and not freed, to the byte', () => {
    const k = kernels()!;
    wasmState(); // the workspace's parameter block
    const before = backendMemory().wasm!;
    const a = k.exports.alloc(1000);
    const b = k.exports.alloc(24);
    expect(backendMemory().wasm).toMatchObject({
      liveBytes: before.liveBytes + 1024,
      liveBlocks: before.liveBlocks + 2,
    });
    k.exports.free(a);
    k.exports.free(b);
    expect(backendMemory().wasm).toMatchObject({ liveBytes: before.liveBytes, liveBlocks: before.liveBlocks });
  });

  it("accounts for the workspace, the packed weights and the forward caches, within the memory's size", () => {
    const s = wasmState()!;
    const w = backendMemory().wasm!;
    expect(w.liveBytes).toBeGreaterThanOrEqual(s.ws.capacityBytes + s.weights.bytes + s.caches.bytes);
    expect(w.liveBytes).toBeLessThanOrEqual(w.memoryBytes);
    expect(w.memoryBytes).toBe(s.k.exports.memory.buffer.byteLength);
  });
});

describe.skipIf(!nativeAvailable())('native', () => {
  it('reports the scratch its kernels keep: it grows to fit a larger call, then stays', () => {
    const matMul = (m: number, k: number, n: number): void =>
      nativeBackend.matMul({
        a: new Float32Array(m * k).fill(1),
        b: new Float32Array(k * n).fill(1),
        out: new Float32Array(m * n),
        m,
        k,
        n,
        transposeA: false,
        transposeB: false,
      });
    matMul(4, 8, 16);
    const small = backendMemory().native!.heldBytes;
    expect(small).toBeGreaterThan(0);
    matMul(4, 512, 512); // B packed into scratch: 512×512 floats at least
    const large = backendMemory().native!.heldBytes;
    expect(large).toBeGreaterThanOrEqual(Math.max(small, 512 * 512 * 4));
    for (let i = 0; i < 20; i++) matMul(4, 8, 16);
    expect(backendMemory().native!.heldBytes).toBe(large);
  });
});
