/** Errors of the training loop. */
import { KerasGruError } from '../errors.js';

export interface TrainingErrorDetails {
  /** The epoch (0-based) in which it happened, when inside `fit`. */
  epoch?: number;
  /** The batch (0-based, within the epoch) in which it happened. */
  batch?: number;
  /** The offending loss value. */
  loss?: number;
}

/**
 * Training cannot go on: the loss became NaN or infinite. Thrown before that step's update is applied, so the
 * weights are those of the last finite step. Pass a `TerminateOnNaN` callback to `fit` to stop without error.
 */
export class TrainingError extends KerasGruError {
  readonly epoch: number | undefined;
  readonly batch: number | undefined;
  readonly loss: number | undefined;

  constructor(message: string, details: TrainingErrorDetails = {}) {
    super(message);
    this.epoch = details.epoch;
    this.batch = details.batch;
    this.loss = details.loss;
  }
}
