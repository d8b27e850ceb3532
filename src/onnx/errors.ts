/**
 * Why a model cannot be exported to ONNX. Every refusal is an `OnnxExportError` (a `KerasGruError`) naming the
 * layer at fault; the subclass says what kind of thing ONNX (or this exporter) cannot express.
 */
import { KerasGruError } from '../errors.js';

export interface OnnxExportErrorDetails {
  /** The layer at fault, as `GRU 'gru_1'`; null when the model as a whole is at fault. */
  layer: string | null;
  /** Why, in words. */
  reason: string;
}

/** Base class of the exporter's refusals. */
export class OnnxExportError extends KerasGruError {
  readonly layer: string | null;
  readonly reason: string;

  constructor(details: OnnxExportErrorDetails) {
    super(`exportOnnx: ${details.layer === null ? '' : `${details.layer}: `}${details.reason}`);
    this.layer = details.layer;
    this.reason = details.reason;
  }
}

/** A layer class, or a setting of a layer (stateful, float64, ...), that the exporter does not translate. */
export class UnsupportedLayerError extends OnnxExportError {}

/** An activation that has no ONNX form here (for a GRU: none among the ONNX GRU operator's activations). */
export class UnsupportedActivationError extends OnnxExportError {
  /** The activation's Keras name. */
  readonly activation: string;

  constructor(details: OnnxExportErrorDetails & { activation: string }) {
    super(details);
    this.activation = details.activation;
  }
}

/** A mask the exported graph cannot reproduce (e.g. a mask passed explicitly that is not a graph tensor). */
export class UnsupportedMaskError extends OnnxExportError {}
