/**
 * Runs a block of tests on each backend: `describe.each(BACKENDS)('%s backend', (name) => { useBackend(name); … })`.
 * The backend is selected before the block's tests and the previous one restored after them. 'wasm-threads' is
 * the WASM backend on 3 threads, splitting even the smallest calls between them (src/backend/wasm/split.ts).
 */
import { afterAll, beforeAll } from 'vitest';
import { selectedBackend, setBackend } from '../../src/backend/registry.js';
import { requestedThreads } from '../../src/backend/thread-count.js';
import { setThreads } from '../../src/backend/threads.js';
import { splitTuning } from '../../src/backend/wasm/split.js';

export const BACKENDS = ['reference', 'wasm', 'wasm-threads'] as const;

export function useBackend(name: string): void {
  let previous = '';
  let threads = 1;
  let minFlops = 0;
  beforeAll(async () => {
    previous = selectedBackend().name;
    threads = requestedThreads();
    minFlops = splitTuning.minFlopsPerThread;
    if (name !== 'wasm-threads') return setBackend(name);
    setBackend('wasm');
    splitTuning.minFlopsPerThread = 0;
    await setThreads(3); // the workers, ready before the first test
  });
  afterAll(() => {
    setBackend(previous);
    void setThreads(threads);
    splitTuning.minFlopsPerThread = minFlops;
  });
}
