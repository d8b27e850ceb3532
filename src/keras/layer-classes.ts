/**
 * The built-in layer classes by Keras class name, and `deserializeLayer` over them: what reads the `layer` of a
 * Bidirectional or TimeDistributed config (and, for the model loaders, any layer entry). The table is built when
 * called, so classes registered with `registerLayerClass` count from then on.
 */
import { Activation } from '../layers/activation.js';
import { Bidirectional } from '../layers/bidirectional.js';
import { Concatenate } from '../layers/concatenate.js';
import { Dense } from '../layers/dense.js';
import { Dot } from '../layers/dot.js';
import { Dropout } from '../layers/dropout.js';
import { Embedding } from '../layers/embedding.js';
import { GRU } from '../layers/gru.js';
import { GRUCell } from '../layers/gru-cell.js';
import type { Layer } from '../layers/layer.js';
import { Masking } from '../layers/masking.js';
import { AdditiveAttention, Attention } from '../layers/attention.js';
import { Conv1D } from '../layers/convolution.js';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from '../layers/pooling.js';
import { GaussianDropout, GaussianNoise, SpatialDropout1D } from '../layers/noise.js';
import { BatchNormalization, LayerNormalization } from '../layers/normalization.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from '../layers/merge.js';
import { Flatten, Permute, RepeatVector, Reshape } from '../layers/reshaping.js';
import { RNN } from '../layers/rnn.js';
import { TimeDistributed } from '../layers/time-distributed.js';
import { customLayerClasses } from './custom-objects.js';
import { deserializeLayerWith, type LayerClassTable } from './layer-serialization.js';

/** Keras class name → the class's `fromConfig`: the built-in layers, then registered and in-scope custom classes. */
export function layerClasses(): LayerClassTable {
  return { ...builtinLayerClasses(), ...customLayerClasses() };
}

/** The built-in layer classes only. */
export function builtinLayerClasses(): LayerClassTable {
  return {
    Activation: (c) => Activation.fromConfig(c),
    AdditiveAttention: (c) => AdditiveAttention.fromConfig(c),
    Add: (c) => Add.fromConfig(c),
    Attention: (c) => Attention.fromConfig(c),
    AveragePooling1D: (c) => AveragePooling1D.fromConfig(c),
    Average: (c) => Average.fromConfig(c),
    BatchNormalization: (c) => BatchNormalization.fromConfig(c),
    Bidirectional: (c) => Bidirectional.fromConfig(c),
    Concatenate: (c) => Concatenate.fromConfig(c),
    Conv1D: (c) => Conv1D.fromConfig(c),
    Dense: (c) => Dense.fromConfig(c),
    Dot: (c) => Dot.fromConfig(c),
    Dropout: (c) => Dropout.fromConfig(c),
    Embedding: (c) => Embedding.fromConfig(c),
    Flatten: (c) => Flatten.fromConfig(c),
    GaussianDropout: (c) => GaussianDropout.fromConfig(c),
    GaussianNoise: (c) => GaussianNoise.fromConfig(c),
    GlobalAveragePooling1D: (c) => GlobalAveragePooling1D.fromConfig(c),
    GlobalMaxPooling1D: (c) => GlobalMaxPooling1D.fromConfig(c),
    GRU: (c) => GRU.fromConfig(c),
    GRUCell: (c) => GRUCell.fromConfig(c),
    LayerNormalization: (c) => LayerNormalization.fromConfig(c),
    Masking: (c) => Masking.fromConfig(c),
    Maximum: (c) => Maximum.fromConfig(c),
    MaxPooling1D: (c) => MaxPooling1D.fromConfig(c),
    Minimum: (c) => Minimum.fromConfig(c),
    Multiply: (c) => Multiply.fromConfig(c),
    Permute: (c) => Permute.fromConfig(c),
    RepeatVector: (c) => RepeatVector.fromConfig(c),
    Reshape: (c) => Reshape.fromConfig(c),
    RNN: (c) => RNN.fromConfig(c),
    SpatialDropout1D: (c) => SpatialDropout1D.fromConfig(c),
    Subtract: (c) => Subtract.fromConfig(c),
    TimeDistributed: (c) => TimeDistributed.fromConfig(c),
  };
}

/** The Keras class names `deserializeLayer` knows. */
export function knownLayerClasses(): string[] {
  return Object.keys(layerClasses());
}

/**
 * A built-in layer from its serialized form (Keras 3, or Keras 2's `{ class_name, config }`), built from
 * `build_config` when there is one. Throws `UnknownNameError` for a class this library does not have.
 */
export function deserializeLayer(json: unknown, argument = 'layer', context = 'deserializeLayer'): Layer {
  return deserializeLayerWith(json, layerClasses(), argument, context);
}
