/**
 * Helpers for layer tests: typed-error assertions, and the layer configs found in the Keras model fixtures
 * (with Keras's file-level `shared_object_id` removed: it is not part of `get_config()`).
 */
import { expect } from 'vitest';
import { loadFixture } from './fixtures.js';

export function expectError(fn: () => unknown, type: new (...args: never[]) => Error, ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  for (const f of fragments) expect((caught as Error).message).toContain(f);
}

export function stripShared(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripShared);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'shared_object_id').map(([k, v]) => [k, stripShared(v)]));
  }
  return value;
}

/** The top-level layer entries `{ class_name, config, build_config, ... }` of class `className` in a model fixture. */
export function fixtureLayerEntries(fixture: string, className: string): Record<string, unknown>[] {
  const { config } = loadFixture<{ config: { config: { layers: Record<string, unknown>[] } } }>(fixture);
  return config.config.layers.filter((l) => l.class_name === className).map((l) => stripShared(l) as Record<string, unknown>);
}

/** The `config` of the first layer of class `className` in a model fixture. */
export function fixtureLayerConfig(fixture: string, className: string): Record<string, unknown> {
  const entry = fixtureLayerEntries(fixture, className)[0];
  if (entry === undefined) throw new Error(`no ${className} layer in ${fixture}`);
  return entry.config as Record<string, unknown>;
}
