/**
 * The one piece of global state: which backend runs the kernels. Chosen explicitly with `setBackend`;
 * the reference backend is used until then.
 */
import { UnknownNameError } from '../errors.js';
import type { Backend } from './backend.js';
import { referenceBackend } from './reference/index.js';

const backends = new Map<string, Backend>([[referenceBackend.name, referenceBackend]]);
let current: Backend = referenceBackend;

export function getBackend(): Backend {
  return current;
}

/** Selects a registered backend by name (`'reference'`, ...). */
export function setBackend(name: string): void {
  const backend = backends.get(name);
  if (backend === undefined) {
    throw new UnknownNameError({
      argument: 'name',
      expected: `a registered backend (${[...backends.keys()].join(', ')})`,
      received: name,
      context: 'setBackend',
    });
  }
  current = backend;
}

/** Makes a backend available to `setBackend`. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

export function listBackends(): string[] {
  return [...backends.keys()];
}
