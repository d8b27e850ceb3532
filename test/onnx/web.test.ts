/**
 * Exported graphs run in onnxruntime-web too (its WebAssembly CPU backend, here under Node), and src/onnx
 * bundles for the browser: no Node import, the protobuf runtime included.
 */
import { build } from 'esbuild';
import * as ortWeb from 'onnxruntime-web';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AdditiveAttention } from '../../src/layers/attention.js';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { Conv1D } from '../../src/layers/convolution.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Masking } from '../../src/layers/masking.js';
import { BatchNormalization, LayerNormalization } from '../../src/layers/normalization.js';
import { AveragePooling1D, GlobalMaxPooling1D } from '../../src/layers/pooling.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { add } from '../../src/ops/arithmetic.js';
import { exportOnnx } from '../../src/onnx/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { maskSteps, randomizeWeights, randomTensor } from './ort.js';

describe('exportOnnx with onnxruntime-web and in a browser bundle', () => {
  it('a masked Bidirectional → backwards GRU → softmax model matches keras-gru in onnxruntime-web', async () => {
    const model = new Sequential([
      input({ shape: [null, 3], name: 'x' }),
      new Masking(),
      new Bidirectional({ layer: new GRU({ units: 4, returnSequences: true }) }),
      new GRU({ units: 3, goBackwards: true, resetAfter: false, recurrentActivation: 'hard_sigmoid' }),
      new Dense({ units: 4, name: 'y' }),
    ]);
    randomizeWeights(model, 5);
    const x = maskSteps(randomTensor([3, 6, 3], 6), [
      [0, 5],
      [1, 0],
      [2, 2],
    ]);
    const ours = (model.predict(x) as Tensor).dataSync();
    ortWeb.env.wasm.numThreads = 1;
    const session = await ortWeb.InferenceSession.create(exportOnnx(model));
    const out = await session.run({ x: new ortWeb.Tensor('float32', Float32Array.from(x.dataSync()), [3, 6, 3]) });
    const y = out.y!.data as Float32Array;
    expect(out.y!.dims).toEqual([3, 4]);
    for (let i = 0; i < ours.length; i++) expect(Math.abs(y[i]! - ours[i]!)).toBeLessThan(1e-5);
    await session.release();
  });

  it('a Conv1D → BatchNormalization → LayerNormalization → GRU → causal Attention → pooling model matches too', async () => {
    const x = input({ shape: [null, 3], name: 'x' });
    const conv = new Conv1D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(x);
    const bn = new BatchNormalization();
    const normed = new LayerNormalization().apply(bn.apply(conv));
    const h = new GRU({ units: 4, returnSequences: true }).apply(normed) as SymbolicTensor;
    const attended = new AdditiveAttention().apply([h, h], { useCausalMask: true });
    const pooled = new AveragePooling1D({ padding: 'same' }).apply(attended);
    const y = new Dense({ units: 2, name: 'y' }).apply(new GlobalMaxPooling1D().apply(pooled));
    const model = new Model({ inputs: x, outputs: y });
    randomizeWeights(model, 7);
    // A variance must be positive: U(−0.8, 0.8) moved into [0.2, 1.8].
    bn.movingVariance!.assign(add(bn.movingVariance!, 1));
    const data = randomTensor([2, 9, 3], 8);
    const ours = (model.predict(data) as Tensor).dataSync();
    ortWeb.env.wasm.numThreads = 1;
    const session = await ortWeb.InferenceSession.create(exportOnnx(model));
    const out = await session.run({ x: new ortWeb.Tensor('float32', Float32Array.from(data.dataSync()), [2, 9, 3]) });
    const result = out.y!.data as Float32Array;
    expect(out.y!.dims).toEqual([2, 2]);
    for (let i = 0; i < ours.length; i++) expect(Math.abs(result[i]! - ours[i]!)).toBeLessThan(1e-5);
    await session.release();
  });

  it('src/onnx bundles for the browser without Node imports', async () => {
    const entry = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'onnx', 'index.ts');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      metafile: true,
      minify: true,
    });
    const text = result.outputFiles[0]!.text;
    expect(text).not.toMatch(/from\s*["']node:/);
    expect(text).not.toMatch(/require\(["']node:/);
    expect(Object.keys(result.metafile!.inputs).some((p) => p.includes('@bufbuild/protobuf'))).toBe(true);
  });
});
