/**
 * Quick start: a Keras GRU in TypeScript.
 *  1. Build a GRU with Keras 3's defaults and run it on a batch of sine waves.
 *  2. Rebuild a layer that real Keras 3 configured and weighted (a vendored golden fixture), run the same
 *     input, and show that the numbers agree with what Keras printed.
 * Run with `npm start`.
 */
import { readFileSync } from 'node:fs';
import { GRU, tensor, type Tensor } from '../src/index.js';

// 1. A fresh layer: 8 units over sequences of 20 steps with 2 features.
const batch = 3;
const steps = 20;
const values: number[] = [];
for (let b = 0; b < batch; b++) {
  for (let t = 0; t < steps; t++) values.push(Math.sin(0.3 * t + b), Math.cos(0.3 * t + b));
}
const x = tensor(values, [batch, steps, 2]);
const gru = new GRU({
  units: 8,
  returnSequences: true,
  returnState: true,
  kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 42 } },
});
const [sequence, state] = gru.apply(x) as Tensor[];
console.log(`GRU '${gru.name}': input [${x.shape}] -> sequence [${sequence!.shape}], state [${state!.shape}]`);
console.log(
  `  ${gru.countParams()} parameters; recurrentActivation=${gru.recurrentActivation.name}, resetAfter=${gru.resetAfter}`,
);

// 2. A layer exactly as Keras 3 built it: its get_config(), its weights, its input and its output.
const fixture = JSON.parse(
  readFileSync(new URL('../test/fixtures/keras-golden/fwd-seq-state.json', import.meta.url), 'utf8'),
) as {
  keras_config: Record<string, unknown>;
  weights: { shape: number[]; data: number[] }[];
  inputs: { x: { shape: number[]; data: number[] } };
  outputs: { shape: number[]; data: number[] }[];
};
const fromKeras = GRU.fromConfig(fixture.keras_config);
fromKeras.build(fixture.inputs.x.shape);
fromKeras.setWeights(fixture.weights.map((w) => tensor(w.data, w.shape)));
const outputs = fromKeras.apply(tensor(fixture.inputs.x.data, fixture.inputs.x.shape)) as Tensor[];
let worst = 0;
outputs.forEach((o, i) => {
  const ours = o.dataSync();
  fixture.outputs[i]!.data.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - ours[k]!))));
});
console.log(
  `Keras 3 layer '${fromKeras.name}' rebuilt from its config: largest difference from Keras's outputs ${worst.toExponential(2)}`,
);
