/**
 * Layer dtypes. Keras 3 serialises a layer's dtype as a `DTypePolicy` object; Keras 2 as a plain string.
 * Both are accepted; mixed-precision policies are refused with a clear error (no float16 here).
 */
import { InvalidArgumentError } from '../errors.js';

export type LayerDType = 'float32' | 'float64';

export type DTypeIdentifier = LayerDType | string | { class_name: string; config: { name: string } } | null | undefined;

export function parseLayerDType(value: DTypeIdentifier, context?: string): LayerDType {
  if (value === null || value === undefined) return 'float32';
  const name = typeof value === 'string' ? value : value?.config?.name;
  if (name === 'float32' || name === 'float64') return name;
  throw new InvalidArgumentError({
    argument: 'dtype',
    expected: "'float32' or 'float64' (a string or a Keras DTypePolicy config)",
    received: value,
    context,
  });
}

/** Keras 3's serialised dtype policy. */
export function serializeDTypePolicy(dtype: LayerDType): Record<string, unknown> {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: dtype }, registered_name: null };
}
