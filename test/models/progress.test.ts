/**
 * Progress output: Keras's bar on a terminal (rewritten in place, ETA while running, throttled), one line per
 * epoch elsewhere, verbose 2's plain line, Keras's number formats, and what fit prints.
 */
import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/layers/dense.js';
import { input } from '../../src/layers/input-layer.js';
import {
  Progbar,
  ProgbarLogger,
  formatLogValue,
  formatTimePerUnit,
  type ProgressOutput,
} from '../../src/models/progress.js';
import { Sequential } from '../../src/models/sequential.js';
import { tensor } from '../../src/tensor/tensor.js';

function recorder(isTTY: boolean, color = false): ProgressOutput & { writes: string[] } {
  const writes: string[] = [];
  return { writes, isTTY, color, write: (t: string) => void writes.push(t) };
}

function clock(times: number[]): () => number {
  let i = 0;
  return () => times[Math.min(i++, times.length - 1)]!;
}

const BAR = '━'.repeat(20);

describe('Progbar', () => {
  it('redraws one line in place on a terminal, with the ETA, then the elapsed time', () => {
    const out = recorder(true);
    const bar = new Progbar(4, { output: out, now: clock([0, 1, 1.5, 1.52, 2.6]) });
    bar.update(1, { loss: 0.5 });
    bar.update(2, { loss: 0.25 });
    bar.update(3, { loss: 0.2 }); // within 0.05 s of the last draw: skipped
    bar.update(4, { loss: 0.1 }, true);
    expect(out.writes).toEqual([
      `\r1/4 ${BAR} 3s 1s/step - loss: 0.5000`,
      `\r2/4 ${BAR} 1s 500ms/step - loss: 0.2500`,
      `\r4/4 ${BAR} 3s 533ms/step - loss: 0.1000\n`,
    ]);
  });

  it('pads over a longer previous line', () => {
    const out = recorder(true);
    const bar = new Progbar(2, { output: out, now: clock([0, 1, 2]) });
    bar.update(1, { loss: 12345.5 });
    bar.update(2, { loss: 0.5 }, true);
    expect(out.writes[1]).toBe(`\r2/2 ${BAR} 2s 1s/step - loss: 0.5000    \n`);
  });

  it('colours the bar like Keras on a colour terminal', () => {
    const out = recorder(true, true);
    new Progbar(4, { output: out, now: clock([0, 1]) }).update(2, {});
    expect(out.writes[0]).toBe(
      `\r\x1b[1m2/4\x1b[0m \x1b[32m${'━'.repeat(10)}\x1b[0m\x1b[37m${'━'.repeat(10)}\x1b[0m \x1b[1m1s\x1b[0m 500ms/step`,
    );
  });

  it('writes only the finished line when the output is not a terminal', () => {
    const out = recorder(false);
    const bar = new Progbar(10, { output: out, now: clock([0, 1, 2, 3.4]) });
    bar.update(1, { loss: 1 });
    bar.update(5, { loss: 0.5 });
    bar.update(10, { loss: 0.25, mae: 0.0001234 }, true);
    expect(out.writes).toEqual([`10/10 ${BAR} 3s 267ms/step - loss: 0.2500 - mae: 1.2340e-04\n`]);
  });

  it('writes one plain line with verbose 2', () => {
    const out = recorder(true);
    const bar = new Progbar(12, { verbose: 2, output: out, now: clock([0, 0.5, 1.4]) });
    bar.update(1, { loss: 1 });
    bar.update(12, { loss: 0.25 }, true);
    expect(out.writes).toEqual(['12/12 - 1s - 82ms/step - loss: 0.2500\n']);
  });

  it('formats values and durations as Keras does', () => {
    expect(formatLogValue(0.5)).toBe('0.5000');
    expect(formatLogValue(12345.678)).toBe('12345.6780');
    expect(formatLogValue(0.0001234)).toBe('1.2340e-04');
    expect(formatLogValue(-0.0001)).toBe('-1.0000e-04');
    expect(formatLogValue(0)).toBe('0.0000e+00');
    expect(formatLogValue(Number.NaN)).toBe('nan');
    expect(formatLogValue(Infinity)).toBe('inf');
    expect(formatLogValue(-0.5, false)).toBe('-5.0000e-01');
    expect(formatTimePerUnit(2.2, 'step')).toBe(' 2s/step');
    expect(formatTimePerUnit(0.025, 'step')).toBe(' 25ms/step');
    expect(formatTimePerUnit(0.0003, 'step')).toBe(' 300us/step');
    expect(formatTimePerUnit(0, 'step')).toBe(' 0s/step');
  });
});

describe('fit progress', () => {
  const model = (): Sequential => {
    const m = new Sequential([input({ shape: [2] }), new Dense({ units: 1 })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    return m;
  };
  const x = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
    [9, 10],
  ]);
  const y = tensor([[1], [2], [3], [4], [5]]);

  it('prints Epoch i/n and one line per epoch (not a terminal), with the validation loss', async () => {
    const out = recorder(false);
    await model().fit(x, y, {
      epochs: 2,
      batchSize: 2,
      validationSplit: 0.2,
      callbacks: [new ProgbarLogger({ output: out })],
    });
    const text = out.writes.join('');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^2\/2 ━{20} \d+s \d+(us|ms|s)\/step - loss: \S+ - val_loss: \S+$/);
    expect(lines[2]).toBe('Epoch 2/2');
    expect(lines[3]).toMatch(/^2\/2 ━{20} /);
    expect(lines[4]).toBe('');
  });

  it('prints nothing with verbose 0, and the plain line with verbose 2', async () => {
    const silent = recorder(false);
    await model().fit(x, y, { verbose: 0, callbacks: [new ProgbarLogger({ output: silent })] });
    expect(silent.writes.join('')).toBe('');
    const plain = recorder(true);
    await model().fit(x, y, { verbose: 2, batchSize: 5, callbacks: [new ProgbarLogger({ output: plain })] });
    expect(plain.writes.join('')).toMatch(/^1\/1 - \d+s - \d+(us|ms|s)\/step - loss: \S+\n$/);
  });

  it('shows a bar for evaluate and predict with verbose 1', () => {
    const out = recorder(false);
    const m = model();
    m.evaluate(x, y, { verbose: 1, batchSize: 2, callbacks: [new ProgbarLogger({ output: out })] });
    m.predict(x, { verbose: 1, batchSize: 2, callbacks: [new ProgbarLogger({ output: out })] });
    const lines = out.writes.join('').split('\n');
    expect(lines[0]).toMatch(/^3\/3 ━{20} \d+s \S+\/step - loss: \S+$/);
    expect(lines[1]).toMatch(/^3\/3 ━{20} \d+s \S+\/step$/);
  });
});
