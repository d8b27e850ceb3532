/**
 * Helpers for layer tests: the layer configs found in the Keras model fixtures (with Keras's file-level
 * `shared_object_id` removed: it is not part of `get_config()`).
 */
import { loadFixture } from './fixtures.js';

/** Re-exported for the tests that import it from here; it lives in errors.ts. */
export { expectError } from './errors.js';

export function stripShared(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripShared);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'shared_object_id')
        .map(([k, v]) => [k, stripShared(v)]),
    );
  }
  return value;
}

/** The top-level layer entries `{ class_name, config, build_config, ... }` of class `className` in a model fixture. */
export function fixtureLayerEntries(fixture: string, className: string): Record<string, unknown>[] {
  const { config } = loadFixture<{ config: { config: { layers: Record<string, unknown>[] } } }>(fixture);
  return config.config.layers
    .filter((l) => l.class_name === className)
    .map((l) => stripShared(l) as Record<string, unknown>);
}

/** The `config` of the first layer of class `className` in a model fixture. */
export function fixtureLayerConfig(fixture: string, className: string): Record<string, unknown> {
  const entry = fixtureLayerEntries(fixture, className)[0];
  if (entry === undefined) throw new Error(`no ${className} layer in ${fixture}`);
  return entry.config as Record<string, unknown>;
}
