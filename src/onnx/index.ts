/**
 * ONNX export: `exportOnnx(model)` writes a GRU model as an ONNX ModelProto (opset 14) for onnxruntime and
 * other ONNX runtimes.
 */
export { exportOnnx, ONNX_OPSET } from './export.js';
export type { ExportOnnxOptions } from './export.js';
export { OnnxExportError, UnsupportedLayerError, UnsupportedActivationError, UnsupportedMaskError } from './errors.js';
export type { OnnxExportErrorDetails } from './errors.js';
