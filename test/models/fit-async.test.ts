/** fit's asynchronous driver against fitSync: the same bits; AbortSignal and async callbacks between batches. */
import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { tensor } from '../../src/tensor/tensor.js';
import { seededValues } from '../helpers/random.js';

function model(): Sequential {
  const m = new Sequential([
    input({ shape: [4, 2] }),
    new GRU({ units: 3, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } } }),
    new Dense({ units: 1, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 2 } } }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}
const x = tensor(seededValues(3, 24 * 8), [24, 4, 2]);
const y = tensor(seededValues(4, 24), [24, 1]);
const bits = (m: Sequential): number[] =>
  m.getWeights().flatMap((w) => [...new Uint32Array(Float32Array.from(w.dataSync()).buffer)]);

describe('fit (async) and fitSync', () => {
  it('give the same History and weights bit for bit', async () => {
    const a = model();
    const b = model();
    b.setWeights(a.getWeights()); // the recurrent kernel's initializer is unseeded
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 5, seed: 9, verbose: 0, validationSplit: 0.25 });
    const hb = b.fitSync(x, y, { epochs: 3, batchSize: 5, seed: 9, verbose: 0, validationSplit: 0.25 });
    expect(ha.history).toEqual(hb.history);
    expect(bits(a)).toEqual(bits(b));
  });

  it('awaits async callbacks in order before the next batch', async () => {
    const events: string[] = [];
    await model().fit(x, y, {
      epochs: 1,
      batchSize: 12,
      verbose: 0,
      callbacks: [
        {
          onBatchEnd: async (batch) => {
            await new Promise((r) => setTimeout(r, 5));
            events.push(`slow ${batch}`);
          },
        },
        {
          onBatchEnd: (batch) => void events.push(`fast ${batch}`),
          onBatchBegin: (batch) => void events.push(`begin ${batch}`),
        },
      ],
    });
    expect(events).toEqual(['begin 0', 'slow 0', 'fast 0', 'begin 1', 'slow 1', 'fast 1']);
  });

  it('an aborted signal stops between batches; fit resolves with the epochs completed', async () => {
    const controller = new AbortController();
    let batches = 0;
    const history = await model().fit(x, y, {
      epochs: 5,
      batchSize: 4,
      verbose: 0,
      signal: controller.signal,
      callbacks: [
        {
          onBatchEnd: (_b) => {
            if (++batches === 8) controller.abort();
          },
        },
      ],
    });
    expect(batches).toBe(8); // 6 batches an epoch: epoch 0 whole, 2 batches of epoch 1
    expect(history.epoch).toEqual([0]);
  });
});

describe('ProgressCallback', () => {
  it('reports epoch, batch and logs a page can render', async () => {
    const { ProgressCallback } = await import('../../src/models/progress-callback.js');
    const seen: string[] = [];
    await model().fit(x, y, {
      epochs: 2,
      batchSize: 12,
      verbose: 0,
      callbacks: [
        new ProgressCallback(
          (p) =>
            void seen.push(
              `${p.epoch + 1}/${p.epochs} ${p.batch}/${p.batches}${p.epochEnd ? ' end' : ''} ${typeof p.logs.loss}`,
            ),
        ),
      ],
    });
    expect(seen).toEqual([
      '1/2 1/2 number',
      '1/2 2/2 number',
      '1/2 2/2 end number',
      '2/2 1/2 number',
      '2/2 2/2 number',
      '2/2 2/2 end number',
    ]);
  });
});
