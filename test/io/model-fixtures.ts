/**
 * The whole-model fixtures (`model-*.json` and the files in `models/`) saved by real Keras 3.15.1; see
 * test/fixtures/keras-golden/SOURCE.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { LayerWeights } from '../../src/io/layer-weights.js';
import { FIXTURE_DIR, type FixtureTensor } from '../helpers/fixtures.js';

export const MODEL_NAMES = ['forecaster', 'tagger', 'text_classifier'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface ModelFixture {
  name: string;
  keras: string;
  config: Record<string, unknown>;
  weights: FixtureTensor[];
  weight_paths: string[];
}

export function loadModelFixture(name: ModelName): ModelFixture {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `model-${name}.json`), 'utf8')) as ModelFixture;
}

export function modelFilePath(file: string): string {
  return join(FIXTURE_DIR, 'models', file);
}

export function modelFileBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(modelFilePath(file)));
}

/** Expects the concatenated weights of `layers` to equal the fixture's `get_weights()`, number for number. */
export function expectFixtureWeights(layers: readonly LayerWeights[], fixture: ModelFixture): void {
  const flat = layers.flatMap((layer) => layer.weights);
  expect(flat.map((weight) => weight.shape)).toEqual(fixture.weights.map((weight) => weight.shape));
  flat.forEach((weight, i) => {
    expect(weight.data).toBeInstanceOf(Float32Array);
    // The fixture's numbers are float32 values printed in full: equality here is exact, not within a rounding.
    expect(Array.from(weight.data), fixture.weight_paths[i]).toEqual(fixture.weights[i]!.data);
  });
}

/** Expects each weight name to be the fixture's variable path, less the model-name prefix Sequential models add. */
export function expectFixtureWeightNames(layers: readonly LayerWeights[], fixture: ModelFixture): void {
  const names = layers.flatMap((layer) => layer.weights.map((weight) => weight.name));
  const expected = fixture.weight_paths.map((path) =>
    path.replace(new RegExp(`^${fixture.name.replace(/^model-/, '')}/`), ''),
  );
  expect(names).toEqual(expected);
}
