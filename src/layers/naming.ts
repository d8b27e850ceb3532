/** Keras-style automatic layer names: the class name in snake_case, made unique with a counter (`gru`, `gru_1`). */

const counters = new Map<string, number>();

export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export function uniqueLayerName(className: string): string {
  const base = toSnakeCase(className);
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}
