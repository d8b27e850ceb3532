/** `model.toOnnx()` is the exporter's entry on the model API. */
import { describe, expect, it } from 'vitest';
import { Dense, GRU, Sequential, exportOnnx, input } from '../../src/index.js';

describe('Model.toOnnx', () => {
  it('gives the bytes exportOnnx gives', () => {
    const model = new Sequential([
      input({ shape: [5, 3] }),
      new GRU({
        units: 4,
        kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } },
        recurrentInitializer: { class_name: 'Orthogonal', config: { seed: 2 } },
      }),
      new Dense({ units: 1, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 3 } } }),
    ]);
    const bytes = model.toOnnx();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBeGreaterThan(100);
    expect(Array.from(bytes)).toEqual(Array.from(exportOnnx(model)));
  });
});
