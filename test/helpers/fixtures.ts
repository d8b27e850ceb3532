/**
 * Loads the Keras golden fixtures vendored in test/fixtures/keras-golden (made by real Keras 3.15.1 on
 * TensorFlow 2.21, see SOURCE.md there). Every tensor is `{ shape, data }` in row-major order.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor, type Tensor } from '../../src/index.js';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'keras-golden');

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

export interface ForwardFixture {
  name: string;
  kind: 'forward';
  description: string;
  keras_config: Record<string, unknown>;
  weight_paths: string[];
  weights: FixtureTensor[];
  inputs: { x: FixtureTensor; initial_state?: FixtureTensor; mask?: FixtureTensor; x_second_call?: FixtureTensor };
  outputs: FixtureTensor[];
  count_params: number;
  outputs_second_call?: FixtureTensor[];
  outputs_after_reset_states?: FixtureTensor[];
  losses?: number[];
  grad?: {
    loss_weights: FixtureTensor[];
    loss: number;
    d_weights: FixtureTensor[];
    d_x: FixtureTensor;
    d_initial_state?: FixtureTensor;
  };
}

export function loadFixture<T = ForwardFixture>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as T;
}

/** Names (without .json) of the fixtures whose file name starts with `prefix`. */
export function fixtureNames(prefix: string): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function toTensor(t: FixtureTensor, dtype: 'float32' | 'float64' | 'int32' = 'float32'): Tensor {
  return tensor(t.data, t.shape, dtype);
}

/** Largest absolute difference; throws on a shape mismatch. */
export function maxAbsDiff(actual: Tensor, expected: FixtureTensor): number {
  if (actual.shape.join(',') !== expected.shape.join(',')) {
    throw new Error(`shape [${actual.shape.join(', ')}] differs from the fixture's [${expected.shape.join(', ')}]`);
  }
  let worst = 0;
  const v = actual.dataSync();
  for (let i = 0; i < expected.data.length; i++) {
    const d = Math.abs(v[i]! - expected.data[i]!);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
