/**
 * Runs a block of tests on each backend: `describe.each(BACKENDS)('%s backend', (name) => { useBackend(name); … })`.
 * The backend is selected before the block's tests and the previous one restored after them. 'wasm-threads' is
 * the WASM backend on 3 threads, splitting even the smallest calls between them (src/backend/wasm/split.ts);
 * 'native-threads' is the native backend likewise (src/backend/native/split.ts). Where the native addon is not
 * built (`npm run build:native`) the 'native' blocks' tests are reported as skipped: run, they would only repeat
 * the WASM runs (the native backend delegates to it) and pass without testing the addon.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { nativeAvailable } from '../../src/backend/native/index.js';
import { nativeSplitTuning } from '../../src/backend/native/split.js';
import { selectedBackend, setBackend } from '../../src/backend/registry.js';
import { requestedThreads } from '../../src/backend/thread-count.js';
import { setThreads } from '../../src/backend/threads.js';
import { splitTuning } from '../../src/backend/wasm/split.js';

export const BACKENDS: readonly string[] = ['reference', 'wasm', 'wasm-threads', 'native', 'native-threads'];

/** Why a backend's tests cannot run here, or null when they can. */
export function backendMissing(name: string): string | null {
  return name.startsWith('native') && !nativeAvailable() ? 'native addon not built (npm run build:native)' : null;
}

export function useBackend(name: string): void {
  const missing = backendMissing(name);
  if (missing !== null) {
    beforeEach((context) => context.skip(missing));
    return;
  }
  let previous = '';
  let threads = 1;
  let minFlops = 0;
  let nativeMinFlops = 0;
  beforeAll(async () => {
    previous = selectedBackend().name;
    threads = requestedThreads();
    minFlops = splitTuning.minFlopsPerThread;
    nativeMinFlops = nativeSplitTuning.minFlopsPerThread;
    if (!name.endsWith('-threads')) return setBackend(name);
    setBackend(name.replace('-threads', ''));
    splitTuning.minFlopsPerThread = 0;
    nativeSplitTuning.minFlopsPerThread = 0;
    await setThreads(3); // the workers, ready before the first test
  });
  afterAll(() => {
    setBackend(previous);
    void setThreads(threads);
    splitTuning.minFlopsPerThread = minFlops;
    nativeSplitTuning.minFlopsPerThread = nativeMinFlops;
  });
}
