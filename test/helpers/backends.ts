/**
 * Runs a block of tests on each backend: `describe.each(BACKENDS)('%s backend', (name) => { useBackend(name); … })`.
 * The backend is selected before the block's tests and the previous one restored after them.
 */
import { afterAll, beforeAll } from 'vitest';
import { getBackend, setBackend } from '../../src/backend/registry.js';

export const BACKENDS = ['reference', 'wasm'] as const;

export function useBackend(name: string): void {
  let previous = '';
  beforeAll(() => {
    previous = getBackend().name;
    setBackend(name);
  });
  afterAll(() => setBackend(previous));
}
