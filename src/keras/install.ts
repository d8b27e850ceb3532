/**
 * Installs the Keras wire format into the layers and models, which reach it only through their registries
 * (src/layers/translators.ts for `getConfig()` / `fromConfig()`, src/models/model-services.ts for the file
 * methods) because this folder imports them. src/index.ts calls `installKerasFormat()` once; calling it again
 * changes nothing. A new layer class with a Keras config adds its line here.
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
import { InputLayer } from '../layers/input-layer.js';
import { Masking } from '../layers/masking.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from '../layers/merge.js';
import { AdditiveAttention, Attention } from '../layers/attention.js';
import { Conv1D } from '../layers/convolution.js';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from '../layers/pooling.js';
import { GaussianDropout, GaussianNoise, SpatialDropout1D } from '../layers/noise.js';
import { BatchNormalization, LayerNormalization } from '../layers/normalization.js';
import { Operation } from '../layers/operation.js';
import { Flatten, Permute, RepeatVector, Reshape } from '../layers/reshaping.js';
import { RNN } from '../layers/rnn.js';
import { TimeDistributed } from '../layers/time-distributed.js';
import { registerTranslator } from '../layers/translators.js';
import { Model, type FunctionalStructure } from '../models/model.js';
import { installModelServices } from '../models/model-services.js';
import { Sequential, type SequentialParts } from '../models/sequential.js';
import { bidirectionalArgsFromKerasConfig, bidirectionalToKerasConfig } from './bidirectional-config.js';
import { denseArgsFromKerasConfig, denseToKerasConfig } from './dense-config.js';
import { dropoutArgsFromKerasConfig, dropoutToKerasConfig } from './dropout-config.js';
import { embeddingArgsFromKerasConfig, embeddingToKerasConfig } from './embedding-config.js';
import {
  gruArgsFromKerasConfig,
  gruCellArgsFromKerasConfig,
  gruCellOptionsToKeras,
  gruToKerasConfig,
} from './gru-config.js';
import { inputLayerToKerasConfig } from './input-layer-config.js';
import { maskingArgsFromKerasConfig, maskingToKerasConfig } from './masking-config.js';
import {
  concatenateArgsFromKerasConfig,
  concatenateToKerasConfig,
  dotArgsFromKerasConfig,
  dotToKerasConfig,
  mergeArgsFromKerasConfig,
  mergeToKerasConfig,
} from './merge-config.js';
import { loadWeights, saveWeights, weightsToBytes } from './model-files.js';
import { modelToTfjs } from './model-exports.js';
import { modelToBytes, saveModel } from './model-save.js';
import { functionalToKerasConfig, sequentialToKerasConfig } from './model-serialization.js';
import {
  additiveAttentionArgsFromKerasConfig,
  additiveAttentionToKerasConfig,
  attentionArgsFromKerasConfig,
  attentionToKerasConfig,
} from './attention-config.js';
import {
  conv1DArgsFromKerasConfig,
  conv1DToKerasConfig,
  globalPooling1DArgsFromKerasConfig,
  globalPooling1DToKerasConfig,
  pooling1DArgsFromKerasConfig,
  pooling1DToKerasConfig,
} from './convolution-config.js';
import {
  gaussianDropoutArgsFromKerasConfig,
  gaussianDropoutToKerasConfig,
  gaussianNoiseArgsFromKerasConfig,
  gaussianNoiseToKerasConfig,
  spatialDropout1DArgsFromKerasConfig,
  spatialDropout1DToKerasConfig,
} from './noise-config.js';
import {
  batchNormalizationArgsFromKerasConfig,
  batchNormalizationToKerasConfig,
  layerNormalizationArgsFromKerasConfig,
  layerNormalizationToKerasConfig,
} from './normalization-config.js';
import { operationToKerasConfig } from './operation-config.js';
import {
  activationArgsFromKerasConfig,
  activationToKerasConfig,
  flattenArgsFromKerasConfig,
  flattenToKerasConfig,
  permuteArgsFromKerasConfig,
  permuteToKerasConfig,
  repeatVectorArgsFromKerasConfig,
  repeatVectorToKerasConfig,
  reshapeArgsFromKerasConfig,
  reshapeToKerasConfig,
} from './reshaping-config.js';
import { rnnArgsFromKerasConfig, rnnToKerasConfig } from './rnn-config.js';
import { timeDistributedArgsFromKerasConfig, timeDistributedToKerasConfig } from './time-distributed-config.js';

/** Registers every built-in class's Keras config translator and the model file services. */
export function installKerasFormat(): void {
  registerTranslator(Dense, { toConfig: denseToKerasConfig, fromConfig: denseArgsFromKerasConfig });
  registerTranslator(Dropout, { toConfig: dropoutToKerasConfig, fromConfig: dropoutArgsFromKerasConfig });
  registerTranslator(Embedding, { toConfig: embeddingToKerasConfig, fromConfig: embeddingArgsFromKerasConfig });
  registerTranslator(Masking, { toConfig: maskingToKerasConfig, fromConfig: maskingArgsFromKerasConfig });
  registerTranslator(GRUCell, {
    toConfig: (cell, base) => ({ ...base, ...gruCellOptionsToKeras(cell) }),
    fromConfig: gruCellArgsFromKerasConfig,
  });
  registerTranslator(RNN, { toConfig: rnnToKerasConfig, fromConfig: rnnArgsFromKerasConfig });
  registerTranslator(GRU, { toConfig: gruToKerasConfig, fromConfig: gruArgsFromKerasConfig });
  registerTranslator(Bidirectional, {
    toConfig: bidirectionalToKerasConfig,
    fromConfig: bidirectionalArgsFromKerasConfig,
  });
  registerTranslator(TimeDistributed, {
    toConfig: timeDistributedToKerasConfig,
    fromConfig: timeDistributedArgsFromKerasConfig,
  });
  // Names spelled out: class names do not survive minification.
  const merges = [
    [Add, 'Add'],
    [Subtract, 'Subtract'],
    [Multiply, 'Multiply'],
    [Average, 'Average'],
    [Maximum, 'Maximum'],
    [Minimum, 'Minimum'],
  ] as const;
  for (const [cls, name] of merges)
    registerTranslator(cls, { toConfig: mergeToKerasConfig, fromConfig: mergeArgsFromKerasConfig(name) });
  registerTranslator(Concatenate, { toConfig: concatenateToKerasConfig, fromConfig: concatenateArgsFromKerasConfig });
  registerTranslator(Dot, { toConfig: dotToKerasConfig, fromConfig: dotArgsFromKerasConfig });
  registerTranslator(Activation, { toConfig: activationToKerasConfig, fromConfig: activationArgsFromKerasConfig });
  registerTranslator(RepeatVector, {
    toConfig: repeatVectorToKerasConfig,
    fromConfig: repeatVectorArgsFromKerasConfig,
  });
  registerTranslator(Flatten, { toConfig: flattenToKerasConfig, fromConfig: flattenArgsFromKerasConfig });
  registerTranslator(Reshape, { toConfig: reshapeToKerasConfig, fromConfig: reshapeArgsFromKerasConfig });
  registerTranslator(Permute, { toConfig: permuteToKerasConfig, fromConfig: permuteArgsFromKerasConfig });
  registerTranslator(LayerNormalization, {
    toConfig: layerNormalizationToKerasConfig,
    fromConfig: layerNormalizationArgsFromKerasConfig,
  });
  registerTranslator(BatchNormalization, {
    toConfig: batchNormalizationToKerasConfig,
    fromConfig: batchNormalizationArgsFromKerasConfig,
  });
  registerTranslator(GaussianNoise, {
    toConfig: gaussianNoiseToKerasConfig,
    fromConfig: gaussianNoiseArgsFromKerasConfig,
  });
  registerTranslator(GaussianDropout, {
    toConfig: gaussianDropoutToKerasConfig,
    fromConfig: gaussianDropoutArgsFromKerasConfig,
  });
  registerTranslator(SpatialDropout1D, {
    toConfig: spatialDropout1DToKerasConfig,
    fromConfig: spatialDropout1DArgsFromKerasConfig,
  });
  registerTranslator(Conv1D, { toConfig: conv1DToKerasConfig, fromConfig: conv1DArgsFromKerasConfig });
  const poolings = [
    [MaxPooling1D, 'MaxPooling1D'],
    [AveragePooling1D, 'AveragePooling1D'],
  ] as const;
  for (const [cls, name] of poolings)
    registerTranslator(cls, { toConfig: pooling1DToKerasConfig, fromConfig: pooling1DArgsFromKerasConfig(name) });
  const globalPoolings = [
    [GlobalAveragePooling1D, 'GlobalAveragePooling1D'],
    [GlobalMaxPooling1D, 'GlobalMaxPooling1D'],
  ] as const;
  for (const [cls, name] of globalPoolings) {
    registerTranslator(cls, {
      toConfig: globalPooling1DToKerasConfig,
      fromConfig: globalPooling1DArgsFromKerasConfig(name),
    });
  }
  registerTranslator(Attention, { toConfig: attentionToKerasConfig, fromConfig: attentionArgsFromKerasConfig });
  registerTranslator(AdditiveAttention, {
    toConfig: additiveAttentionToKerasConfig,
    fromConfig: additiveAttentionArgsFromKerasConfig,
  });
  registerTranslator(InputLayer, { toConfig: (layer) => inputLayerToKerasConfig(layer) });
  registerTranslator(Operation, { toConfig: (op) => operationToKerasConfig(op) });
  registerTranslator<typeof Model, FunctionalStructure>(Model, { toConfig: functionalToKerasConfig });
  registerTranslator<typeof Sequential, SequentialParts>(Sequential, { toConfig: sequentialToKerasConfig });
  installModelServices({ saveModel, modelToBytes, modelToTfjs, saveWeights, weightsToBytes, loadWeights });
}
