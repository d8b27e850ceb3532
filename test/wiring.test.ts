/**
 * Layers and models reach the Keras wire format, the Keras files and ONNX only through registries that
 * src/index.ts fills (docs/architecture.md). In a fresh module graph: a layer module imported alone has no
 * translator and says so with a typed error; importing the entry point installs every one.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

beforeEach(() => {
  vi.resetModules();
});

describe('the wiring done by src/index.ts', () => {
  it('a layer or model imported without the entry point names what is missing', async () => {
    const { Dense } = await import('../src/layers/dense.js');
    const { Sequential } = await import('../src/models/sequential.js');
    const { KerasGruError } = await import('../src/errors.js');
    const dense = new Dense({ units: 2 });
    expect(() => dense.getConfig()).toThrow(KerasGruError);
    expect(() => dense.getConfig()).toThrow(
      /Dense.getConfig: the Keras format of Dense is not installed; import the library from its entry point/,
    );
    expect(() => Dense.fromConfig({ units: 2 })).toThrow(
      /Dense.fromConfig: the Keras format of Dense is not installed/,
    );
    const model = new Sequential([dense]);
    expect(() => model.toOnnx()).toThrow(/toOnnx: exportOnnx is not installed/);
    expect(() => model.toBytes()).toThrow(/toBytes: modelToBytes is not installed/);
  });

  it('importing the entry point installs the Keras configs, the file services and the ONNX export', async () => {
    const { Dense } = await import('../src/layers/dense.js');
    const { Sequential } = await import('../src/models/sequential.js');
    const { input } = await import('../src/layers/input-layer.js');
    await import('../src/index.js');
    const dense = new Dense({ units: 2, name: 'wired' });
    expect(dense.getConfig()).toMatchObject({ name: 'wired', units: 2, use_bias: true });
    expect(Dense.fromConfig(dense.getConfig()).units).toBe(2);
    const model = new Sequential([input({ shape: [3] }), dense]);
    expect(model.getConfig()).toMatchObject({ layers: [{ class_name: 'InputLayer' }, { class_name: 'Dense' }] });
    expect((await model.toBytes()).length).toBeGreaterThan(0);
    expect(model.toOnnx().length).toBeGreaterThan(0);
  });
});
