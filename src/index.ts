/**
 * keras-gru: Keras's GRU layer for JavaScript. The public surface, by area, and the wiring at the end: layers and
 * models reach the folders above them (src/keras, src/onnx) only through registries those folders fill, so this
 * entry point fills them (docs/architecture.md).
 */
import { installKerasFormat } from './keras/install.js';
import { installModelServices } from './models/model-services.js';
import { exportOnnx } from './onnx/export.js';

export * from './errors.js';
export type { DType, TypedArray, FloatArray } from './tensor/dtype.js';
export { Tensor, tensor, zeros, ones, fill, scalar, isTensor } from './tensor/tensor.js';
export type { NestedArray, TensorLike } from './tensor/tensor.js';
export { Variable, variable, isVariable } from './tensor/variable.js';
export type { VariableOptions } from './tensor/variable.js';
export { valueAndGrads, noGrad } from './autodiff/tape.js';
export type { ValueAndGrads } from './autodiff/tape.js';
export * from './ops/index.js';
export { getBackend, setBackend, listBackends, registerBackend, ready } from './backend/registry.js';
export type { Backend } from './backend/backend.js';
export { backendMemory } from './backend/memory-info.js';
export type { BackendMemory } from './backend/memory-info.js';
export { setRandomSeed } from './random/rng.js';
export { Layer } from './layers/layer.js';
export type {
  LayerArgs,
  AddWeightOptions,
  LayerWeight,
  CallOptions,
  LayerInput,
  LayerUpdate,
  Shape,
  SingleOutputApply,
} from './layers/layer.js';
export { Node } from './layers/node.js';
export type { NodeCallArgs } from './layers/node.js';
export type { SymbolicHistory } from './layers/symbolic-tensor.js';
export { attachMask, maskOf } from './layers/mask.js';
export { RNN } from './layers/rnn.js';
export type { RNNOptions, RNNCallOptions } from './layers/rnn.js';
export { GRUCell } from './layers/gru-cell.js';
export type { GRUCellArgs, GRUCellOptions } from './layers/gru-cell.js';
export { GRU, Bidirectional } from './layers/constructors.js';
export type { GRUArgs } from './layers/gru.js';
export { gruSequence } from './ops/gru.js';
export {
  getActivation,
  serializeActivation,
  listActivations,
  isActivation,
  activations,
  hardSigmoidKeras2,
  reluActivation,
  leakyReluActivation,
  eluActivation,
  celuActivation,
  geluActivation,
  hardShrinkActivation,
  softShrinkActivation,
  squareplusActivation,
  thresholdActivation,
  softmaxActivation,
  logSoftmaxActivation,
  sparsemaxActivation,
  gluActivation,
  softmax,
  logSoftmax,
  sparsemax,
  glu,
  erf,
  erfc,
} from './activations/index.js';
export type {
  Activation,
  ActivationIdentifier,
  ActivationName,
  GetActivationOptions,
  ReluOptions,
} from './activations/index.js';
export {
  Initializer,
  Zeros,
  Ones,
  Constant,
  Identity,
  RandomNormal,
  TruncatedNormal,
  RandomUniform,
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  LecunNormal,
  LecunUniform,
  HeNormal,
  HeUniform,
  Orthogonal,
  computeFans,
  getInitializer,
  serializeInitializer,
  listInitializers,
} from './initializers/index.js';
export type {
  InitializerIdentifier,
  InitializerName,
  InitializerFunction,
  RandomNormalOptions,
  RandomUniformOptions,
  VarianceScalingOptions,
  FixedVarianceOptions,
  OrthogonalOptions,
  FanMode,
  VarianceDistribution,
} from './initializers/index.js';
export {
  Regularizer,
  L1,
  L2,
  L1L2,
  OrthogonalRegularizer,
  getRegularizer,
  serializeRegularizer,
  listRegularizers,
} from './regularizers/index.js';
export type {
  RegularizerIdentifier,
  RegularizerName,
  RegularizerFunction,
  OrthogonalMode,
} from './regularizers/index.js';
export {
  Constraint,
  MaxNorm,
  MinMaxNorm,
  NonNeg,
  UnitNorm,
  getConstraint,
  serializeConstraint,
  listConstraints,
} from './constraints/index.js';
export type { ConstraintIdentifier, ConstraintName, ConstraintFunction, ConstraintAxis } from './constraints/index.js';
export { Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, getOptimizer, listOptimizers } from './optimizers/index.js';
export type { OptimizerName } from './optimizers/index.js';
export type {
  OptimizerOptions,
  OptimizerConfig,
  SGDOptions,
  AdamOptions,
  AdamWOptions,
  RMSpropOptions,
  AdagradOptions,
} from './optimizers/index.js';
export { optimizerFromKeras, optimizerToKeras } from './optimizers/optimizer-config.js';
export { lossFromKeras, lossToKeras, metricFromKeras, metricToKeras } from './keras/loss-config.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export { getLoss, listLosses, attachLogits } from './losses/index.js';
export type { LossName } from './losses/index.js';
export type { Loss, Reduction } from './losses/index.js';
export { getMetric, listMetrics } from './metrics/index.js';
export type { MetricName } from './metrics/index.js';
export type { Metric } from './metrics/index.js';
export { Dense } from './layers/dense.js';
export type { DenseArgs } from './layers/dense.js';
export { Dropout } from './layers/dropout.js';
export type { DropoutArgs } from './layers/dropout.js';
export { input, InputLayer, SymbolicTensor, isSymbolicTensor } from './layers/input-layer.js';
export type { InputOptions } from './layers/input-layer.js';
export { Model } from './models/model.js';
export type {
  CompileArgs,
  ModelArgs,
  FunctionalArgs,
  ModelOutput,
  OptimizerIdentifier,
  LossIdentifier,
  MetricIdentifier,
} from './models/model.js';
export { Sequential } from './models/sequential.js';
export type { SequentialEntry } from './models/sequential.js';
export type { EvaluateOptions, PredictOptions } from './models/training.js';
export type { FitOptions } from './models/fit-loop.js';
export { Callback, CallbackList, History, TerminateOnNaN } from './models/callbacks.js';
export type { Logs, CallbackParams, CallbackHandlers, TerminateOnNaNOptions } from './models/callbacks.js';
export { EarlyStopping, ReduceLROnPlateau } from './models/monitor-callbacks.js';
export type { EarlyStoppingOptions, ReduceLROnPlateauOptions, MonitorMode } from './models/monitor-callbacks.js';
export { Progbar, ProgbarLogger } from './models/progress.js';
export { ProgressCallback } from './models/progress-callback.js';
export type { FitProgress } from './models/progress-callback.js';
export type { ProgressOutput, ProgbarOptions, ProgbarLoggerOptions } from './models/progress.js';
export type { SummaryOptions } from './models/summary.js';
export { TrainingError } from './models/errors.js';
export type { TrainingErrorDetails } from './models/errors.js';
export { Embedding } from './layers/embedding.js';
export type { EmbeddingArgs } from './layers/embedding.js';
export { Masking } from './layers/masking.js';
export type { MaskingArgs } from './layers/masking.js';

export type { BidirectionalArgs, MergeMode } from './layers/bidirectional.js';
export { TimeDistributed } from './layers/time-distributed.js';
export type { TimeDistributedArgs } from './layers/time-distributed.js';
export { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum } from './layers/merge.js';
export type { MergeArgs } from './layers/merge.js';
export { Concatenate } from './layers/concatenate.js';
export type { ConcatenateArgs } from './layers/concatenate.js';
export { Dot } from './layers/dot.js';
export type { DotArgs } from './layers/dot.js';
// `Activation` is already the type of activation functions; Keras's layer of that name is exported as ActivationLayer.
export { Activation as ActivationLayer } from './layers/activation.js';
export type { ActivationArgs } from './layers/activation.js';
export { RepeatVector, Flatten, Reshape, Permute } from './layers/reshaping.js';
export type { RepeatVectorArgs, FlattenArgs, DataFormat, ReshapeArgs, PermuteArgs } from './layers/reshaping.js';
export { LayerNormalization, BatchNormalization } from './layers/normalization.js';
export type { NormalizationArgs, LayerNormalizationArgs, BatchNormalizationArgs } from './layers/normalization.js';
export { GaussianNoise, GaussianDropout, SpatialDropout1D } from './layers/noise.js';
export type { GaussianNoiseArgs, GaussianDropoutArgs, SpatialDropout1DArgs } from './layers/noise.js';
export { Conv1D } from './layers/convolution.js';
export type { Conv1DArgs } from './layers/convolution.js';
export { MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D } from './layers/pooling.js';
export type { Pooling1DArgs, GlobalPooling1DArgs } from './layers/pooling.js';
export type { Padding } from './layers/windows.js';
export { Attention, AdditiveAttention } from './layers/attention.js';
export type {
  AttentionApply,
  AttentionArgs,
  AttentionCallOptions,
  AdditiveAttentionArgs,
  BaseAttentionArgs,
  ScoreMode,
} from './layers/attention.js';
export { isRNNCell, assertRNNCell, stateSizes } from './layers/rnn-cell.js';
export type { RNNCell } from './layers/rnn-cell.js';
export { serializeLayer } from './keras/layer-serialization.js';
export type { KerasLayerJSON } from './keras/layer-serialization.js';
export { deserializeLayer, knownLayerClasses } from './keras/layer-classes.js';
export type { RNNArgs } from './layers/rnn.js';
export {
  exportOnnx,
  ONNX_OPSET,
  OnnxExportError,
  UnsupportedLayerError,
  UnsupportedActivationError,
  UnsupportedMaskError,
} from './onnx/index.js';
export type { ExportOnnxOptions, OnnxExportErrorDetails } from './onnx/index.js';
export { loadModel } from './keras/load-model.js';
export type { LoadModelOptions } from './keras/load-model.js';
export type { ModelFileInfo, SaveOptions, LoadWeightsOptions, TfjsFiles } from './models/model-services.js';
export { TfjsExportError } from './keras/tfjs-config.js';
export {
  modelFromKerasConfig,
  serializeModel,
  kerasSemantics,
  KERAS2_HARD_SIGMOID_NAME,
} from './keras/model-config.js';
export type { ModelFromConfigOptions, KerasModelJSON } from './keras/model-config.js';
export { registerLayerClass, unregisterLayerClass, registeredLayerClasses } from './keras/custom-objects.js';
export type { LayerClass, CustomObject, CustomObjects } from './keras/custom-objects.js';
export { UnknownLayerError, LambdaLayerError, LayerConfigError } from './keras/errors.js';
export { FileFormatError, FileExistsError, SourceError, WeightsMismatchError } from './io/errors.js';
export type { FileFormatErrorDetails, WeightsMismatchDetails } from './io/errors.js';
export { OptimizerStateMismatchError } from './io/errors.js';
export type { OptimizerStateMismatchDetails } from './io/errors.js';
export {
  Operation,
  NotEqual,
  Equal,
  Greater,
  GreaterEqual,
  Less,
  LessEqual,
  LogicalAnd,
  LogicalOr,
  LogicalNot,
  Any,
  All,
  Cast,
  ExpandDims,
  Squeeze,
  AddOperation,
  SubtractOperation,
  MultiplyOperation,
} from './layers/operations.js';
export type { Operand, OperandConstant, OperandSlot, ReductionArgs } from './layers/operations.js';
export { setThreads, getThreads } from './backend/threads.js';
export * from './data/index.js';
export {
  LearningRateSchedule,
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  isLearningRateSchedule,
} from './optimizers/index.js';
export type {
  ExponentialDecayOptions,
  PiecewiseConstantDecayOptions,
  PolynomialDecayOptions,
  InverseTimeDecayOptions,
  CosineDecayOptions,
} from './optimizers/index.js';
export { scheduleFromKeras, scheduleToKeras } from './optimizers/schedule-config.js';
export { PythonFloat } from './io/python-json.js';
export { ModelCheckpoint, CSVLogger } from './models/file-callbacks.js';
export type { ModelCheckpointOptions, CSVLoggerOptions } from './models/file-callbacks.js';
export type { FileSink } from './models/file-sink.js';
export { LearningRateScheduler } from './models/lr-scheduler.js';
export type { LearningRateSchedulerOptions } from './models/lr-scheduler.js';
export { LambdaCallback } from './models/lambda-callback.js';
export type { LambdaCallbackHandlers } from './models/lambda-callback.js';
export { MonitorCallback } from './models/monitor-callbacks.js';
export { pythonFormat, pythonFloatRepr } from './models/python-format.js';
export type { PythonValue } from './models/python-format.js';
export { lineChart, plotHistory, forecastPlot, PALETTE } from './plot/index.js';
export type {
  ChartOptions,
  Series,
  Marker,
  HistoryLike,
  PlotHistoryOptions,
  ForecastPlotOptions,
} from './plot/index.js';

// The wiring: every translator and model service, installed once whenever the public API is imported.
installKerasFormat();
installModelServices({ exportOnnx });

// Types that appear in the signatures above, so users (and the API reference) can name them.
export type { LayerDType, DTypeIdentifier } from './layers/dtype-policy.js';
export type { DataArg, DataInput } from './models/data.js';
export type { TfjsShards } from './io/tfjs.js';
export type { KerasFileKind } from './io/load.js';
export type { ByteSource, ReadSourceOptions } from './io/source.js';
export type { UnknownLayerDetails } from './keras/errors.js';
export type { GruSequenceOptions, GruSequenceOutputs } from './ops/gru.js';
export type { KerasObjectJSON } from './serialization/serialize-object.js';
