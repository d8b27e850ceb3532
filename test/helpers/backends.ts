/**
 * Runs a block of tests on each backend: `describe.each(BACKENDS)('%s backend', (name) => { useBackend(name); … })`.
 * The backend is selected before the block's tests and the previous one restored after them. 'wasm-threads' is
 * the WASM backend on 3 threads, splitting even the smallest calls between them (src/backend/wasm/split.ts);
 * 'native' and 'native-threads' (likewise, src/backend/native/split.ts) are listed only where the addon is
 * built (`npm run build:native`): without it they would only repeat the WASM runs.
 */
import { afterAll, beforeAll } from 'vitest';
import { selectedBackend, setBackend } from '../../src/backend/registry.js';
import { requestedThreads } from '../../src/backend/thread-count.js';
import { setThreads } from '../../src/backend/threads.js';
import { nativeAvailable } from '../../src/backend/native/index.js';
import { nativeSplitTuning } from '../../src/backend/native/split.js';
import { splitTuning } from '../../src/backend/wasm/split.js';

export const BACKENDS: readonly string[] = [
  'reference',
  'wasm',
  'wasm-threads',
  ...(nativeAvailable() ? ['native', 'native-threads'] : []),
];

export function useBackend(name: string): void {
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
