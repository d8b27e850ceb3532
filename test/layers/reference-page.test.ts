/**
 * Every member of the tf.keras.layers.GRU reference page, as keras-gru names it (docs/api.md lists them with
 * these tests). Graph members are checked on symbolic calls; eager-only layers raise the page's errors.
 */
import { describe, expect, it } from 'vitest';
import {
  AttributeError,
  GRU,
  InvalidArgumentError,
  L2,
  NotBuiltError,
  SymbolicTensor,
  Variable,
  input,
  ones,
  sum,
  tensor,
  zeros,
  type Tensor,
} from '../../src/index.js';
import { loadFixture, maxAbsDiff, toTensor } from '../helpers/fixtures.js';

const fx = loadFixture('fwd-seq-state');
const fixtureLayer = (config: Record<string, unknown> = {}): GRU => {
  const layer = GRU.fromConfig({ ...fx.keras_config, ...config });
  layer.build(fx.inputs.x.shape);
  layer.setWeights(fx.weights.map((w) => toTensor(w)));
  return layer;
};

describe('GRU reference page: properties', () => {
  it('activityRegularizer, dtype, name, losses', () => {
    const layer = new GRU({ units: 2, activityRegularizer: 'l2', name: 'g', dtype: 'float32' });
    expect(layer.activityRegularizer).toBeInstanceOf(L2);
    expect(layer.dtype).toBe('float32');
    expect(layer.name).toBe('g');
    layer.apply(ones([2, 3, 1]));
    expect(layer.losses).toHaveLength(1);
  });

  it('weights, variables, trainableWeights/Variables, nonTrainableWeights/Variables', () => {
    const layer = fixtureLayer();
    expect(layer.weights.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel', 'bias']);
    expect(layer.variables).toEqual(layer.weights);
    expect(layer.trainableWeights).toEqual(layer.weights);
    expect(layer.trainableVariables).toEqual(layer.weights);
    expect(layer.nonTrainableWeights).toEqual([]);
    layer.trainable = false;
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.nonTrainableVariables).toEqual(layer.weights);
  });

  it('input, output, inputShape, outputShape, inputMask, outputMask on a symbolic call', () => {
    const layer = new GRU({ units: 3, returnSequences: true });
    const x = input({ shape: [5, 2] });
    const y = layer.apply(x) as SymbolicTensor;
    expect(layer.input).toBe(x);
    expect(layer.output).toBe(y);
    expect(layer.inputShape).toEqual([null, 5, 2]);
    expect(layer.outputShape).toEqual([null, 5, 3]);
    expect(layer.inputMask).toBeNull();
    expect(layer.outputMask).toBeNull();
  });

  it('raise AttributeError with no inbound nodes, as the page says', () => {
    const layer = fixtureLayer();
    for (const get of [
      () => layer.input,
      () => layer.output,
      () => layer.inputShape,
      () => layer.outputShape,
      () => layer.inputMask,
      () => layer.outputMask,
    ]) {
      expect(get).toThrow(AttributeError);
      expect(get).toThrow(/no inbound nodes|no defined/);
    }
  });

  it('graph is the record of symbolic calls; scopeName is the variable prefix; updates hold state assignments', () => {
    const layer = new GRU({ units: 2, name: 'enc', stateful: true });
    expect(layer.graph).toHaveLength(0);
    layer.apply(input({ shape: [3, 1], batchSize: 2 }));
    expect(layer.graph).toHaveLength(1);
    expect(layer.scopeName).toBe('enc');
    const x = ones([2, 3, 1]);
    layer.apply(x);
    expect(layer.updates).toHaveLength(1);
    expect(layer.getUpdatesFor(x)).toHaveLength(1);
    expect(layer.getUpdatesFor(null)).toHaveLength(0);
    const [variable, value] = layer.updates[0] as [Variable, Tensor];
    expect(variable).toBe(layer.states![0]);
    expect(Array.from(value.dataSync())).toEqual(Array.from(layer.states![0]!.dataSync()));
  });
});

describe('GRU reference page: methods', () => {
  it('constructor defaults, apply/call, build, countParams, getWeights/setWeights, getConfig/fromConfig', () => {
    const layer = new GRU({ units: 8 });
    expect(() => layer.countParams()).toThrow(NotBuiltError);
    layer.build([null, 12, 6]);
    expect(layer.countParams()).toBe(fx.count_params);
    layer.setWeights(fx.weights.map((w) => toTensor(w)));
    expect(layer.getWeights().map((w) => w.shape)).toEqual(fx.weights.map((w) => w.shape));
    const viaCall = layer.call(toTensor(fx.inputs.x), {}) as Tensor;
    const viaApply = layer.apply(toTensor(fx.inputs.x)) as Tensor;
    expect(Array.from(viaCall.dataSync())).toEqual(Array.from(viaApply.dataSync()));
    expect(GRU.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
  });

  it("clone (the page's __deepcopy__) copies config and weights, not the connections", () => {
    const layer = fixtureLayer();
    const copy = layer.clone();
    expect(copy).not.toBe(layer);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    const [a] = layer.apply(toTensor(fx.inputs.x)) as Tensor[];
    const [b] = copy.apply(toTensor(fx.inputs.x)) as Tensor[];
    expect(maxAbsDiff(b!, { shape: [...a!.shape], data: Array.from(a!.dataSync()) })).toBe(0);
    copy.setWeights(copy.getWeights().map((w) => zeros([...w.shape])));
    expect(layer.getWeights()[0]!.dataSync()[0]).not.toBe(0);
  });

  it('addLoss / getLossesFor and addUpdate / getUpdatesFor keep track of inputs', () => {
    const layer = new GRU({ units: 2, kernelRegularizer: 'l2' });
    const x = ones([1, 2, 1]);
    layer.apply(x);
    layer.addLoss(() => sum(layer.cell.kernel!), x);
    layer.addLoss(tensor(0.5));
    expect(layer.getLossesFor(x)).toHaveLength(1);
    expect(layer.getLossesFor(null).map((t) => t.dataSync()[0])).toContain(0.5);
    expect(layer.losses).toHaveLength(3);
    let ran = 0;
    layer.addUpdate(() => ran++);
    expect(ran).toBe(1);
    expect(layer.getUpdatesFor(null)).toHaveLength(1);
    expect(() => layer.addUpdate(42 as never)).toThrow(InvalidArgumentError);
  });

  it('addWeight / addVariable create tracked weights with initializer, regularizer and constraint', () => {
    const layer = new GRU({ units: 2 });
    layer.build([null, 3, 1]);
    const w = layer.cell.addWeight('extra', {
      shape: [2],
      initializer: 'ones',
      regularizer: 'l1',
      constraint: 'non_neg',
    });
    const v = layer.cell.addVariable('frozen', { shape: [1], initializer: 'zeros', trainable: false });
    expect(Array.from(w.dataSync())).toEqual([1, 1]);
    expect(layer.weights).toContain(w);
    expect(layer.nonTrainableWeights).toEqual([v]);
    expect(layer.losses).toHaveLength(1);
  });

  it('computeMask follows Keras: the mask goes on with sequences only', () => {
    const mask = tensor([[1, 0]], undefined, 'bool');
    const x = ones([1, 2, 1]);
    expect(new GRU({ units: 1, returnSequences: true }).computeMask(x, mask)).toBe(mask);
    expect(new GRU({ units: 1 }).computeMask(x, mask)).toBeNull();
    expect(new GRU({ units: 1, returnSequences: true, returnState: true }).computeMask(x, mask)).toEqual([mask, null]);
  });

  it('getInitialState(inputs), getConstants(inputs, training), preprocessInput(inputs)', () => {
    const layer = fixtureLayer({ dropout: 0.5, recurrent_dropout: 0.25 });
    const x = toTensor(fx.inputs.x);
    const [h0] = layer.getInitialState(x);
    expect(h0!.shape).toEqual([4, 8]);
    expect(Array.from(h0!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(layer.getConstants(x, false)).toEqual([]);
    expect(layer.getConstants(x, true)).toHaveLength(6); // implementation 1: three input and three recurrent masks
    const projected = layer.preprocessInput(x);
    expect(projected.shape).toEqual([4, 12, 24]);
  });

  it('getInputAt / getOutputAt / get*ShapeAt / get*MaskAt with a bad node index', () => {
    const layer = new GRU({ units: 2 });
    layer.apply(input({ shape: [3, 1] }));
    expect(layer.getInputShapeAt(0)).toEqual([null, 3, 1]);
    expect(layer.getOutputShapeAt(0)).toEqual([null, 2]);
    expect(layer.getInputMaskAt(0)).toBeNull();
    expect(layer.getOutputMaskAt(0)).toBeNull();
    expect(() => layer.getInputAt(5)).toThrow(InvalidArgumentError);
    expect(() => layer.getInputAt(5)).toThrow(/1 inbound node/);
  });

  it('resetStates() and resetStates(values) on a stateful layer; a typed error on a stateless one', () => {
    const layer = fixtureLayer({ stateful: true });
    layer.apply(toTensor(fx.inputs.x));
    layer.resetStates();
    expect(Array.from(layer.states![0]!.dataSync()).every((v) => v === 0)).toBe(true);
    layer.resetStates([ones([4, 8])]);
    expect(Array.from(layer.states![0]!.dataSync()).every((v) => v === 1)).toBe(true);
    expect(() => fixtureLayer().resetStates()).toThrow(InvalidArgumentError);
  });
});
