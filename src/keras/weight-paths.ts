/**
 * The path Keras gives each weight of a layer, in `get_weights()` order: the layer, the layers it wraps, the
 * RNN cell, the variable — `bidirectional/forward_gru/gru_cell/kernel`, `time_distributed/dense/bias`. The
 * legacy `.h5` writer names datasets by them, and TF.js names its weights by them without the cell
 * (`tfjsWeightName`).
 */
import type { LayerWeights } from '../io/layer-weights.js';
import { Bidirectional } from '../layers/bidirectional.js';
import type { Layer } from '../layers/layer.js';
import { RNN } from '../layers/rnn.js';
import { TimeDistributed } from '../layers/time-distributed.js';
import type { Model } from '../models/model.js';
import { kerasOrderedLayers, kerasOrderedVariables } from './model-files.js';
import { isModelLayer } from './model-serialization.js';

/** The paths below `layer` (without its own name) of its weights, in `kerasOrderedVariables` order. */
function innerPaths(layer: Layer): string[] {
  if (isModelLayer(layer)) return kerasOrderedLayers(layer).flatMap(weightPaths);
  if (layer instanceof Bidirectional) return [...weightPaths(layer.forwardLayer), ...weightPaths(layer.backwardLayer)];
  if (layer instanceof TimeDistributed) return weightPaths(layer.layer);
  const scope = layer instanceof RNN ? `${(layer.cell as { name?: string }).name ?? 'cell'}/` : '';
  return layer.weights.map((v) => `${scope}${v.name}`);
}

/** Each weight's full path, `<layer>/.../<variable>`; plain `<layer>/<variable>` if the layer is of another shape. */
export function weightPaths(layer: Layer): string[] {
  const variables = kerasOrderedVariables(layer);
  const inner = innerPaths(layer);
  const paths = inner.length === variables.length ? inner : variables.map((v) => v.name);
  return paths.map((path) => `${layer.name}/${path}`);
}

/** Each layer's weights (Keras order, float32 copies) named by their full paths, input layers included. */
export function modelLayerWeightsWithPaths(model: Model): LayerWeights[] {
  return kerasOrderedLayers(model).map((layer) => {
    const paths = weightPaths(layer);
    return {
      layerName: layer.name,
      className: layer.className,
      weights: kerasOrderedVariables(layer).map((v, i) => ({
        name: paths[i]!,
        shape: [...v.shape],
        data: Float32Array.from(v.values),
      })),
    };
  });
}
