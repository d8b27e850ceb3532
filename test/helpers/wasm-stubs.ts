/**
 * Engines as browsers make them, in Node: `refuseSyncCompile` makes `new WebAssembly.Module` throw as a
 * browser's main thread does for large modules (asynchronous `WebAssembly.instantiate` still works). Undo with
 * `vi.unstubAllGlobals()`; modules that captured the global must be loaded afresh (`vi.resetModules()`).
 */
import { vi } from 'vitest';

export function refuseSyncCompile(): void {
  const real = WebAssembly;
  vi.stubGlobal('WebAssembly', {
    ...real,
    validate: real.validate,
    instantiate: real.instantiate,
    Module: function refuse(): never {
      throw new RangeError(
        'WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB',
      );
    },
    Instance: real.Instance,
    Memory: real.Memory,
  });
}
