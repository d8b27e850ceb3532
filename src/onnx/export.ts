/**
 * `exportOnnx(model)`: a Sequential or functional model of GRU layers and the layers around them as an ONNX
 * `ModelProto` (IR 8, opset 14), ready for onnxruntime (`InferenceSession.create(bytes)`, Node or web).
 *
 * The graph computes what `model.predict` computes (inference: dropout is the identity), in float32, for any
 * batch size and — unless the model fixes it — any number of time steps. Inputs and outputs keep Keras's
 * layouts (batch first: [B,T,I] in, [B,U] or [B,T,U] out) and are named after the model's input and output
 * layers unless `inputNames`/`outputNames` say otherwise. A GRU-only model is Transpose → GRU → Squeeze.
 *
 * Exported: InputLayer; Embedding (int32 or int64 ids, maskZero); Masking; Dropout; Dense (the activations in
 * activations.ts, softmax included); GRU, and any RNN whose cell is a GRUCell (both resetAfter modes,
 * goBackwards, returnSequences, returnState, useBias false, initial states fed as model inputs, the
 * activations the ONNX GRU operator has: sigmoid, tanh, hard_sigmoid of Keras 3 and of Keras 2, relu, linear,
 * leaky_relu, elu, softsign, softplus); Bidirectional(GRU) in every merge mode, with states; TimeDistributed
 * around Dense or Dropout; the merge layers (merge.ts, Dot in dot.ts); Activation, RepeatVector, Flatten,
 * Reshape, Permute (reshaping.ts); SpatialDropout1D, GaussianNoise, GaussianDropout (the identity);
 * BatchNormalization, LayerNormalization (normalization.ts); Conv1D and the 1-D pooling layers
 * (convolution.ts); Attention and AdditiveAttention with their inputs' masks and useCausalMask (attention.ts);
 * nested Sequential and functional models; shared layers (weights stored once).
 *
 * Masks (from Embedding(maskZero), Masking, or a model input passed as `mask`) are reproduced exactly for
 * any mask: right- or left-padded, with holes, fully masked rows, with or without zeroOutputForMask, forwards
 * or backwards (see recurrent.ts: the kept steps are moved to the front and the ONNX GRU runs with
 * sequence_lens; the outputs at masked steps are read back as Keras defines them).
 *
 * Refused, with an `OnnxExportError` naming the layer and the reason: layer classes not listed above
 * (`UnsupportedLayerError`), stateful GRUs, float64 layers, layers called with `training: true`,
 * TimeDistributed around other layers, attention called with returnAttentionScores; GRU activations
 * outside the ONNX GRU list and Dense (or Conv1D, Activation) activations without a translation, including
 * parameterized and custom ones (`UnsupportedActivationError`); a mask passed explicitly that is not a [B,T]
 * model input or layer output, or passed explicitly to an attention layer (`UnsupportedMaskError`).
 *
 * Not checked by the graph: token ids must lie in [0, inputDim) — onnxruntime rejects ids ≥ inputDim, but
 * ONNX's Gather reads a negative id −k as row inputDim − k where keras-gru throws.
 */
import { InputLayer } from '../layers/input-layer.js';
import { Embedding } from '../layers/embedding.js';
import type { Layer, Shape } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { buildGraph } from '../models/graph.js';
import { Model } from '../models/model.js';
import type { ExportOnnxOptions } from '../models/model-services.js';
import { Sequential } from '../models/sequential.js';
import type { DType } from '../tensor/dtype.js';
import { GraphBuilder } from './builder.js';
import { OnnxExportError, UnsupportedLayerError, UnsupportedMaskError } from './errors.js';
import { describeLayer } from './common.js';
import { emitLayer, type OnnxTensor } from './layers.js';
import { graphProto, serializeModel, valueInfo, type OnnxDType } from './proto.js';

/** The ONNX operator set the graph uses. */
export const ONNX_OPSET = 14;

/** The options of `exportOnnx` and `model.toOnnx`, declared with the method (src/models/model-services.ts). */
export type { ExportOnnxOptions };

const PRODUCER = 'keras-gru';

const PRODUCER_VERSION = '0.1.0';

function checkNames(names: readonly string[] | undefined, count: number, argument: string): string[] | null {
  if (names === undefined) return null;
  if (
    !Array.isArray(names) ||
    names.length !== count ||
    !names.every((n) => typeof n === 'string' && n.length > 0) ||
    new Set(names).size !== names.length
  ) {
    throw new OnnxExportError({
      layer: null,
      reason: `${argument} must be ${count} distinct non-empty strings, one per model ${argument.startsWith('input') ? 'input' : 'output'}`,
    });
  }
  return [...names];
}

function onnxDType(dtype: DType, integerInputs: 'int32' | 'int64', what: string): OnnxDType {
  if (dtype === 'float32') return 'float32';
  if (dtype === 'int32') return integerInputs;
  if (dtype === 'bool') return 'bool';
  throw new OnnxExportError({
    layer: null,
    reason: `${what} has dtype ${dtype}; the exported graph takes float32, int32/int64 or bool inputs`,
  });
}

/**
 * Graph dims: the batch axis and unknown sizes become named dimensions; so do the middle axes of a model
 * built from data (`fixed` false: it checks only the rank and the last axis). Runtimes take equal names for
 * equal sizes, so only the batch is shared: another unknown size is named after its value (`x_time`) unless
 * the model has one input, where `time` reads better.
 */
function dims(shape: Shape, fixed: boolean, owner: string | null): (number | string)[] {
  const free = (i: number): boolean => i === 0 || shape[i] === null || (!fixed && i < shape.length - 1);
  const prefix = owner === null ? '' : `${owner}_`;
  return shape.map((d, i) => (!free(i) ? d! : i === 0 ? 'batch' : `${prefix}${i === 1 ? 'time' : `dim_${i}`}`));
}

interface Translation {
  /** What the model's inputs are bound to. */
  inputs: readonly OnnxTensor[];
}

/** The outputs of a nested or top-level model called on `inputs`; `mask` is what a Sequential's first layer receives. */
function emitModel(g: GraphBuilder, model: Model, t: Translation, mask: string | null): OnnxTensor[] {
  if (model instanceof Sequential) {
    let x: OnnxTensor = { ...t.inputs[0]!, mask };
    for (const layer of model.layers) x = emitCall(g, layer, [x], undefined, null, {})[0]!;
    return [x];
  }
  let symbolicInputs: SymbolicTensor[];
  let symbolicOutputs: SymbolicTensor[];
  try {
    symbolicInputs = model.inputs;
    symbolicOutputs = model.outputs;
  } catch {
    throw new UnsupportedLayerError({
      layer: describeLayer(model),
      reason: 'the model has no graph (make it with new Model({ inputs, outputs }) or as a Sequential)',
    });
  }
  const graph = buildGraph(symbolicInputs, symbolicOutputs, describeLayer(model));
  const values = new Map<SymbolicTensor, OnnxTensor>();
  // A nested functional model sees the masks its inputs carry (Keras 3 sets them on its inputs).
  graph.inputs.forEach((sym, i) => values.set(sym, t.inputs[i]!));
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((s) => values.get(s)!);
    const explicit = node.callArgs.mask;
    let explicitMask: string | null | undefined;
    if (Array.isArray(explicit)) {
      throw new UnsupportedMaskError({
        layer: describeLayer(node.layer),
        reason: 'it is given one mask per input (a list); only a single [batch, timesteps] mask is exported',
      });
    }
    if (explicit !== null) {
      const v = values.get(explicit as SymbolicTensor);
      if (v === undefined || v.shape.length !== 2) {
        throw new UnsupportedMaskError({
          layer: describeLayer(node.layer),
          reason: `the mask passed to it ('${(explicit as SymbolicTensor).name}') is not a [batch, timesteps] model input or layer output; pass masks as model inputs, or let Embedding(maskZero) or Masking make them`,
        });
      }
      explicitMask =
        v.dtype === 'bool'
          ? v.name
          : g.op('Not', [g.op('Equal', [v.name, g.constant(v.dtype, [], [0])])], {}, `${node.layer.name}_mask`);
    }
    if (node.callArgs.training === true) {
      throw new UnsupportedLayerError({
        layer: describeLayer(node.layer),
        reason: 'it is called with training: true; the exported graph is the inference graph',
      });
    }
    const states = node.callArgs.initialState?.map((s) => values.get(s)!) ?? null;
    const outputs = emitCall(g, node.layer, inputs, explicitMask, states, node.callArgs.layerOptions ?? {});
    node.outputs.forEach((sym, i) => values.set(sym, outputs[i]!));
  }
  return graph.outputs.map((o) => values.get(o)!);
}

function emitCall(
  g: GraphBuilder,
  layer: Layer,
  inputs: OnnxTensor[],
  explicitMask: string | null | undefined,
  initialState: readonly OnnxTensor[] | null,
  options: Readonly<Record<string, unknown>>,
): OnnxTensor[] {
  if (layer instanceof Model) {
    // A nested Sequential hands the mask it receives to its first layer; a functional model reads its inputs'
    // masks. Either way its outputs carry the masks its last layers made, as in keras-gru and Keras 3.
    const mask = explicitMask !== undefined ? explicitMask : (inputs[0]?.mask ?? null);
    return emitModel(g, layer, { inputs }, mask);
  }
  if (layer instanceof InputLayer) return inputs;
  const mask = explicitMask !== undefined ? explicitMask : (inputs[0]?.mask ?? null);
  return emitLayer(g, layer, { inputs, mask, initialState, explicitMask: explicitMask !== undefined, options });
}

/** The model's inputs as graph inputs: name, dtype, shape. */
function modelInputs(
  model: Model,
  integerInputs: 'int32' | 'int64',
): { name: string; dtype: OnnxDType; shape: Shape; fixed: boolean }[] {
  if (model instanceof Sequential) {
    if (model.layers.length === 0)
      throw new OnnxExportError({ layer: describeLayer(model), reason: 'the model has no layers' });
    let declared: SymbolicTensor | null = null;
    try {
      declared = model.input;
    } catch {
      declared = null;
    }
    if (declared !== null)
      return [
        {
          name: declared.name,
          dtype: onnxDType(declared.dtype, integerInputs, `input '${declared.name}'`),
          shape: [...declared.shape],
          fixed: true,
        },
      ];
    let shape: Shape;
    try {
      shape = model.inputShape;
    } catch {
      throw new OnnxExportError({
        layer: describeLayer(model),
        reason: 'the model is not built yet (declare input({ shape }) first, or call it once)',
      });
    }
    // Built from data: only the feature axis is fixed (as the model itself checks); ids feed an Embedding.
    const dtype: OnnxDType = model.layers[0] instanceof Embedding ? integerInputs : 'float32';
    return [{ name: 'input', dtype, shape, fixed: false }];
  }
  let inputs: SymbolicTensor[];
  try {
    inputs = model.inputs;
  } catch {
    throw new OnnxExportError({
      layer: describeLayer(model),
      reason: 'the model has no graph (make it with new Model({ inputs, outputs }) or as a Sequential)',
    });
  }
  return inputs.map((s) => ({
    name: s.name,
    dtype: onnxDType(s.dtype, integerInputs, `input '${s.name}'`),
    shape: [...s.shape],
    fixed: true,
  }));
}

function outputNamesOf(model: Model): string[] {
  if (model instanceof Sequential) return [model.layers[model.layers.length - 1]!.name];
  return model.outputs.map((o) => o.name);
}

/** Makes names unique by suffixing repeats. */
function distinct(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k === 0 ? n : `${n}_${k}`;
  });
}

/**
 * The model as a serialized ONNX `ModelProto`. Throws an `OnnxExportError` (`UnsupportedLayerError`,
 * `UnsupportedActivationError`, `UnsupportedMaskError`) when the model has a part the graph cannot express.
 */
export function exportOnnx(model: Model, options: ExportOnnxOptions = {}): Uint8Array {
  if (!(model instanceof Model))
    throw new OnnxExportError({ layer: null, reason: 'exportOnnx takes a Model (Sequential or functional)' });
  const integerInputs = options.integerInputs ?? 'int32';
  if (integerInputs !== 'int32' && integerInputs !== 'int64') {
    throw new OnnxExportError({
      layer: null,
      reason: `integerInputs must be 'int32' or 'int64', received ${String(integerInputs)}`,
    });
  }
  const declared = modelInputs(model, integerInputs);
  const inputNames =
    checkNames(options.inputNames, declared.length, 'inputNames') ?? distinct(declared.map((d) => d.name));
  const defaultOutputs = distinct(outputNamesOf(model).map((n) => (inputNames.includes(n) ? `${n}_output` : n)));
  const outputNames = checkNames(options.outputNames, defaultOutputs.length, 'outputNames') ?? defaultOutputs;
  const clash = outputNames.find((n) => inputNames.includes(n));
  if (clash !== undefined)
    throw new OnnxExportError({ layer: null, reason: `'${clash}' names both an input and an output` });

  const g = new GraphBuilder();
  const inputs: OnnxTensor[] = declared.map((d, i) => ({
    name: g.reserve(inputNames[i]!),
    dtype: d.dtype,
    shape: d.shape,
    mask: null,
  }));
  outputNames.forEach((n) => g.reserve(n));
  const outputs = emitModel(g, model, { inputs }, null);
  // Each output gets its own node, so an output can also be an input or another output.
  outputs.forEach((o, i) => g.opInto('Identity', [o.name], [outputNames[i]!]));

  const graph = graphProto({
    name: options.graphName ?? model.name,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: declared.map((d, i) =>
      valueInfo(inputNames[i]!, d.dtype, dims(d.shape, d.fixed, declared.length === 1 ? null : inputNames[i]!)),
    ),
    outputs: outputs.map((o, i) =>
      valueInfo(
        outputNames[i]!,
        o.dtype,
        dims(
          o.shape,
          declared.every((d) => d.fixed),
          declared.length === 1 ? null : outputNames[i]!,
        ),
      ),
    ),
  });
  return serializeModel({
    graph,
    opsetVersion: ONNX_OPSET,
    producerName: PRODUCER,
    producerVersion: PRODUCER_VERSION,
    ...(options.docString !== undefined ? { docString: options.docString } : {}),
  });
}
