/** Keras-style automatic layer names: the class name in snake_case, made unique with a counter (`gru`, `gru_1`). */

import { toSnakeCase } from '../serialization/serialize-object.js';

const counters = new Map<string, number>();

export function uniqueLayerName(className: string): string {
  const base = toSnakeCase(className);
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}
