/** Seeded test data: values drawn uniformly from (−1, 1) by the library's generator, the same on every run. */
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';

/** `n` seeded U(−1, 1) values. */
export function seededValues(seed: number, n: number): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => rng.uniform() * 2 - 1);
}

/** A float32 tensor of `shape` holding seeded U(−1, 1) values. */
export function randomTensor(seed: number, shape: number[]): Tensor {
  return tensor(
    seededValues(
      seed,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  );
}
