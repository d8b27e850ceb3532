/**
 * Done when (issue 14, item 4): models built by hand from the new layers — several inputs merged, an
 * encoder–decoder with return_state feeding initial_state, a RepeatVector decoder — train with `fit` (the loss
 * falls), write Keras's config with getConfig, and come back from their own .keras bytes predicting the same.
 */
import { describe, expect, it } from 'vitest';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { Concatenate } from '../../src/layers/concatenate.js';
import { Dense } from '../../src/layers/dense.js';
import { Dot } from '../../src/layers/dot.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Add, Multiply } from '../../src/layers/merge.js';
import { Activation } from '../../src/layers/activation.js';
import { Flatten, RepeatVector } from '../../src/layers/reshaping.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { TimeDistributed } from '../../src/layers/time-distributed.js';
import { loadModel } from '../../src/keras/load-model.js';
import { Model } from '../../src/models/model.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';

function randomTensor(seed: number, shape: number[]): Tensor {
  const rng = new Random(seed);
  return tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform() * 2 - 1),
    shape,
  );
}
const values = (t: Tensor | Tensor[]): number[] => Array.from((t as Tensor).dataSync());

async function expectTrainsAndRoundTrips(model: Model, inputs: Tensor[], y: Tensor): Promise<void> {
  const x = inputs.length === 1 ? inputs[0]! : inputs;
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const history = await model.fit(x, y, { epochs: 15, batchSize: 4, verbose: 0 });
  const losses = history.history.loss as number[];
  expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
  const again = await loadModel(await model.toBytes());
  expect(again.getConfig()).toEqual(model.getConfig());
  expect(values(again.predict(x) as Tensor)).toEqual(values(model.predict(x) as Tensor));
}

describe('functional models of the merge and reshaping layers, by hand', () => {
  it('two inputs concatenated, added and multiplied', async () => {
    const a = input({ shape: [6, 3], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const ha = new GRU({ units: 4 }).apply(a) as SymbolicTensor;
    const hb = new Dense({ units: 4, activation: 'tanh' }).apply(b);
    const joined = new Concatenate().apply([ha, hb, new Add().apply([ha, hb]), new Multiply().apply([ha, hb])]);
    const model = new Model({ inputs: [a, b], outputs: new Dense({ units: 1 }).apply(joined) });
    const config = model.getConfig();
    const entry = (config.layers as { class_name: string; inbound_nodes: { args: unknown[][] }[] }[]).find(
      (l) => l.class_name === 'Concatenate',
    )!;
    // Called on a list: Keras writes the list as the one positional argument.
    expect(entry.inbound_nodes[0]!.args[0]).toHaveLength(4);
    await expectTrainsAndRoundTrips(
      model,
      [randomTensor(1, [8, 6, 3]), randomTensor(2, [8, 4])],
      randomTensor(3, [8, 1]),
    );
  });

  it('an encoder–decoder: Bidirectional states concatenated into the decoder’s initial state', async () => {
    const src = input({ shape: [5, 3] });
    const tgt = input({ shape: [4, 2] });
    const [, hf, hb] = new Bidirectional({ layer: new GRU({ units: 3, returnState: true }) }).apply(
      src,
    ) as SymbolicTensor[];
    const state = new Concatenate().apply([hf!, hb!]);
    const decoded = new GRU({ units: 6, returnSequences: true }).apply(tgt, { initialState: state }) as SymbolicTensor;
    const model = new Model({
      inputs: [src, tgt],
      outputs: new TimeDistributed({ layer: new Dense({ units: 2 }) }).apply(decoded),
    });
    const gruEntry = (
      model.getConfig().layers as {
        class_name: string;
        build_config?: unknown;
        inbound_nodes: { kwargs: Record<string, unknown> }[];
      }[]
    ).filter((l) => l.class_name === 'GRU')[0]!;
    expect(gruEntry.build_config).toEqual({
      shapes_dict: { sequences_shape: [null, 4, 2], initial_state_shape: [null, 6] },
    });
    expect(Array.isArray(gruEntry.inbound_nodes[0]!.kwargs.initial_state)).toBe(false);
    await expectTrainsAndRoundTrips(
      model,
      [randomTensor(4, [8, 5, 3]), randomTensor(5, [8, 4, 2])],
      randomTensor(6, [8, 4, 2]),
    );
  });

  it('a RepeatVector decoder with Dot attention scores and Activation', async () => {
    const x = input({ shape: [5, 2] });
    const encoded = new GRU({ units: 4, returnSequences: true }).apply(x) as SymbolicTensor;
    const summary = new GRU({ units: 4 }).apply(encoded) as SymbolicTensor;
    const scores = new Activation({ activation: 'softmax' }).apply(new Dot({ axes: [2, 1] }).apply([encoded, summary]));
    const repeated = new RepeatVector({ n: 3 }).apply(summary);
    const decoded = new GRU({ units: 4, returnSequences: true }).apply(repeated) as SymbolicTensor;
    const out = new Concatenate().apply([new Flatten().apply(decoded), scores]);
    const model = new Model({ inputs: x, outputs: new Dense({ units: 2 }).apply(out) });
    await expectTrainsAndRoundTrips(model, [randomTensor(7, [8, 5, 2])], randomTensor(8, [8, 2]));
  });
});
