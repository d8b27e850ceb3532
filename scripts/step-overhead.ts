/**
 * Where the time of one streaming step (workload P: stateful GRU, B1 I32 U128) goes, layer by layer: the public
 * `apply`, the layer's `call`, the differentiable op, the bare backend kernel. Min of 5 runs of 5,000 calls.
 * Run with `npm run build:wasm && npx tsx scripts/step-overhead.ts`.
 */
import { GRU, tensor, gruSequence, getBackend } from '../src/index.js';
const I = 32,
  U = 128;
const layer = new GRU({ units: U, stateful: true });
const x = tensor(
  Array.from({ length: I }, (_, i) => Math.sin(i)),
  [1, 1, I],
);
layer.apply(x);
const time = (label: string, fn: () => void, n = 5000) => {
  for (let i = 0; i < 1000; i++) fn();
  const ts: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    ts.push(((performance.now() - t0) / n) * 1000);
  }
  console.log(label.padEnd(30), Math.min(...ts).toFixed(2), 'µs');
};
time('apply (stateful)', () => layer.apply(x));
time('call (stateful)', () => layer.call(x, {}));
const cell = layer.cell;
const h0 = tensor(new Float32Array(U), [1, U]);
const act = { name: 'tanh', fn: cell.activation.scalar!.f, df: cell.activation.scalar!.df };
const ract = { name: 'sigmoid', fn: cell.recurrentActivation.scalar!.f, df: cell.recurrentActivation.scalar!.df };
time('gruSequence op', () =>
  gruSequence(x, cell.kernel!, cell.recurrentKernel!, cell.bias, h0, {
    resetAfter: true,
    goBackwards: false,
    returnSequences: false,
    zeroOutputForMask: false,
    activation: act,
    recurrentActivation: ract,
    mask: null,
  }),
);
const b = getBackend();
const { inputBias, recurrentBias } = cell.splitBias();
time('backend.gruSequence', () =>
  b.gruSequence({
    batch: 1,
    steps: 1,
    inputDim: I,
    units: U,
    x: x.values as Float32Array,
    kernel: cell.kernel!.values as Float32Array,
    recurrentKernel: cell.recurrentKernel!.values as Float32Array,
    inputBias: inputBias!.values as Float32Array,
    recurrentBias: recurrentBias!.values as Float32Array,
    h0: h0.values as Float32Array,
    mask: null,
    resetAfter: true,
    goBackwards: false,
    returnSequences: false,
    zeroOutputForMask: false,
    activation: act,
    recurrentActivation: ract,
  }),
);
time('splitBias', () => cell.splitBias());
time('dropoutMasks', () => cell.dropoutMasks(1, false));
