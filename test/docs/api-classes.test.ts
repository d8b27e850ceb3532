/**
 * Done when: docs/api.md lists exactly the layer classes the loaders know (so adding a class without
 * documenting it fails here), and an unknown class's UnknownLayerError lists every one of them with the
 * customObjects hint — the list comes from the same table, so it grows by itself.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UnknownLayerError } from '../../src/keras/errors.js';
import { builtinLayerClasses } from '../../src/keras/layer-classes.js';
import { modelFromKerasConfig } from '../../src/keras/model-config.js';
import { thrown } from '../helpers/errors.js';

const API = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'api.md'), 'utf8');

function documentedClasses(): string[] {
  const table = /<!-- keras-layer-classes:start -->([\s\S]*?)<!-- keras-layer-classes:end -->/.exec(API)![1]!;
  return [...table.matchAll(/^\| `([A-Za-z0-9]+)` *\|/gm)].map((m) => m[1]!);
}

describe('docs/api.md: supported Keras classes', () => {
  it('lists every built-in layer class, and nothing else', () => {
    expect([...documentedClasses()].sort()).toEqual(Object.keys(builtinLayerClasses()).sort());
  });

  it('an unknown class names every known class and the customObjects hint', () => {
    const config = {
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'ConvLSTM3D', config: { name: 'c' } }] },
    };
    const error = thrown(() => modelFromKerasConfig(config), UnknownLayerError);
    for (const name of Object.keys(builtinLayerClasses())) expect(error.message).toContain(name);
    expect(error.message).toContain('customObjects: { ConvLSTM3D: cls }');
    expect(error.message).toContain("registerLayerClass('ConvLSTM3D', cls)");
  });
});
