/**
 * Gradients through time against real Keras 3 (the grad-* fixtures, from tf.GradientTape): w.r.t. every
 * weight, the input sequence and the initial state, within 1e-5 relative to the largest reference value.
 * Checked through the fused BPTT kernel and through the generic loop of differentiable ops, on every backend.
 */
import { describe, expect, it } from 'vitest';
import { GRU, add, mul, sum, valueAndGrads, variable, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { fixtureNames, loadFixture, toTensor, type FixtureTensor } from '../helpers/fixtures.js';

function relativeError(actual: Tensor, expected: FixtureTensor): number {
  expect(actual.shape).toEqual(expected.shape);
  const v = actual.dataSync();
  const scale = Math.max(...expected.data.map(Math.abs), 1e-12);
  let worst = 0;
  expected.data.forEach((e, i) => (worst = Math.max(worst, Math.abs(v[i]! - e) / scale)));
  return worst;
}

describe.each(BACKENDS)('%s backend', (backend) => {
  useBackend(backend);

  describe.each(fixtureNames('grad-'))('Keras gradients %s', (name) => {
    const fx = loadFixture(name);
    const grad = fx.grad!;

    for (const path of ['fused', 'generic'] as const) {
      it(`match tf.GradientTape through the ${path} path`, () => {
        const layer = GRU.fromConfig(fx.keras_config);
        if (path === 'generic') layer.fusedKernel = false;
        layer.build(fx.inputs.x.shape);
        layer.setWeights(fx.weights.map((w) => toTensor(w)));
        const x = variable(toTensor(fx.inputs.x));
        const h0 = fx.inputs.initial_state ? variable(toTensor(fx.inputs.initial_state)) : null;
        const mask = fx.inputs.mask ? toTensor(fx.inputs.mask, 'int32') : undefined;
        const watched = [...layer.trainableWeights, x, ...(h0 ? [h0] : [])];
        const { value, grads } = valueAndGrads(() => {
          const out = layer.apply(x, { initialState: h0 ? [h0] : undefined, mask });
          const outs = Array.isArray(out) ? out : [out];
          return outs.map((o, i) => sum(mul(o, toTensor(grad.loss_weights[i]!)))).reduce((a, b) => add(a, b));
        }, watched);
        expect(Math.abs(value.dataSync()[0]! - grad.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(grad.loss)));
        grad.d_weights.forEach((dw, i) => expect(relativeError(grads[i]!, dw)).toBeLessThan(1e-5));
        const nW = grad.d_weights.length;
        expect(relativeError(grads[nW]!, grad.d_x)).toBeLessThan(1e-5);
        if (h0) expect(relativeError(grads[nW + 1]!, grad.d_initial_state!)).toBeLessThan(1e-5);
      });
    }
  });
});
