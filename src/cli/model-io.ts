/**
 * A model's inputs and outputs (name, shape batch first, dtype) for both kinds of model: a functional model has
 * symbolic inputs and outputs; a Sequential has one input shape and one output shape once built.
 */
import { Sequential, type Model } from '../index.js';

export interface Port {
  name: string;
  shape: (number | null)[];
  dtype: string;
}

export function modelPorts(model: Model): { inputs: Port[]; outputs: Port[] } {
  if (model instanceof Sequential) {
    let input: Port = { name: 'input', shape: [...model.inputShape], dtype: 'float32' };
    try {
      const declared = model.input;
      input = { name: declared.history.layer.name, shape: [...declared.shape], dtype: declared.dtype };
    } catch {
      // built from a shape, without a declared input(): the shape alone
    }
    const last = model.layers.at(-1);
    return {
      inputs: [input],
      outputs: [{ name: last?.name ?? model.name, shape: [...model.outputShape], dtype: 'float32' }],
    };
  }
  const port = (t: Model['inputs'][number]): Port => ({
    name: t.history.layer.name,
    shape: [...t.shape],
    dtype: t.dtype,
  });
  return { inputs: model.inputs.map(port), outputs: model.outputs.map(port) };
}
