/**
 * The GRU forward pass against real Keras 3 (every fwd-* and grad-* fixture). Tolerances: 2e-6 absolute on
 * outputs (2e-5 for the 500-step fwd-long), as the fixtures' README states for float32 agreement.
 * Each case runs twice: through the fused kernel, and through the generic loop of differentiable ops (taken
 * when a gradient is recorded), so both paths are held to Keras's numbers; and all of it on every backend
 * (the reference kernels and the WASM SIMD kernels), at the same tolerances.
 */
import { describe, expect, it } from 'vitest';
import { GRU, sum, valueAndGrads, variable, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { fixtureNames, loadFixture, maxAbsDiff, toTensor, type ForwardFixture } from '../helpers/fixtures.js';

const tolerance = (name: string): number => (name === 'fwd-long' ? 2e-5 : 2e-6);

function buildLayer(fx: ForwardFixture): GRU {
  const layer = GRU.fromConfig(fx.keras_config);
  layer.build(fx.inputs.x.shape);
  layer.setWeights(fx.weights.map((w) => toTensor(w)));
  return layer;
}

function callOptions(fx: ForwardFixture) {
  return {
    initialState: fx.inputs.initial_state ? [toTensor(fx.inputs.initial_state)] : undefined,
    mask: fx.inputs.mask ? toTensor(fx.inputs.mask, 'int32') : undefined,
  };
}

const asList = (out: Tensor | Tensor[]): Tensor[] => (Array.isArray(out) ? out : [out]);

const cases = [...fixtureNames('fwd-'), ...fixtureNames('grad-')];

describe.each(BACKENDS)('%s backend', (backend) => {
  useBackend(backend);

  describe.each(cases)('Keras fixture %s', (name) => {
    const fx = loadFixture(name);

    it('matches Keras outputs through the fused kernel', () => {
      const layer = buildLayer(fx);
      const outputs = asList(layer.apply(toTensor(fx.inputs.x), callOptions(fx)));
      expect(outputs.length).toBe(fx.outputs.length);
      outputs.forEach((o, i) => expect(maxAbsDiff(o, fx.outputs[i]!)).toBeLessThan(tolerance(name)));
    });

    it('matches Keras outputs through the generic differentiable loop', () => {
      const layer = buildLayer(fx);
      const x = variable(toTensor(fx.inputs.x));
      let outputs: Tensor[] = [];
      valueAndGrads(() => {
        outputs = asList(layer.apply(x, callOptions(fx)));
        return sum(outputs[0]!);
      }, [x]);
      outputs.forEach((o, i) => expect(maxAbsDiff(o, fx.outputs[i]!)).toBeLessThan(tolerance(name)));
    });

    it('counts the same parameters and emits the same config', () => {
      const layer = buildLayer(fx);
      expect(layer.countParams()).toBe(fx.count_params);
      const config = layer.getConfig();
      expect(config).toEqual(fx.keras_config);
      expect(Object.keys(config)).toEqual(Object.keys(fx.keras_config));
      // Round trip: a layer made from our config emits the same config.
      expect(GRU.fromConfig(config).getConfig()).toEqual(config);
    });

    if (fx.outputs_second_call) {
      it('carries state into a second call and restarts after resetStates()', () => {
        const layer = buildLayer(fx);
        layer.apply(toTensor(fx.inputs.x));
        const second = asList(layer.apply(toTensor(fx.inputs.x_second_call!)));
        second.forEach((o, i) => expect(maxAbsDiff(o, fx.outputs_second_call![i]!)).toBeLessThan(2e-6));
        layer.resetStates();
        const again = asList(layer.apply(toTensor(fx.inputs.x)));
        again.forEach((o, i) => expect(maxAbsDiff(o, fx.outputs_after_reset_states![i]!)).toBeLessThan(2e-6));
      });
    }

    if (fx.losses) {
      it('reports the regularization losses Keras reports', () => {
        const layer = buildLayer(fx);
        layer.apply(toTensor(fx.inputs.x), callOptions(fx));
        const losses = layer.losses.map((l) => l.dataSync()[0]!);
        expect(losses.length).toBe(fx.losses!.length);
        losses.forEach((l, i) =>
          expect(Math.abs(l - fx.losses![i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fx.losses![i]!))),
        );
      });
    }
  });
});
