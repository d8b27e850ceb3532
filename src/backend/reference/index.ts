/** The plain TypeScript backend: the definition of every kernel, and the fallback where WASM is absent. */
import type { Backend } from '../backend.js';
import { gruSequence, gruSequenceBackward } from './gru.js';
import { matMul } from './matmul.js';

export const referenceBackend: Backend = {
  name: 'reference',
  matMul,
  gruSequence,
  gruSequenceBackward,
};
