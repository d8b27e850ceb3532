/**
 * `ProgressCallback`: training progress as data, for a page to render (a bar, a chart) where the Keras-style
 * text bar (ProgbarLogger) has no terminal. It reports after every batch and at every epoch's end.
 */
import { Callback, type Logs } from './callbacks.js';

export interface FitProgress {
  /** 0-based epoch under way. */
  epoch: number;
  /** The `epochs` fit was given. */
  epochs: number;
  /** Batches done in this epoch (1-based once the first has run). */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** The epoch is over (`logs` then hold `val_*` too). */
  epochEnd: boolean;
  /** Running logs of the epoch (loss, metrics). */
  logs: Logs;
}

export class ProgressCallback extends Callback {
  constructor(private readonly report: (progress: FitProgress) => void | Promise<void>) {
    super();
  }

  private progress(epoch: number, batch: number, epochEnd: boolean, logs: Logs = {}): void | Promise<void> {
    const batches = this.params.steps ?? 0;
    return this.report({ epoch, epochs: this.params.epochs ?? 1, batch, batches, epochEnd, logs: { ...logs } });
  }

  private epoch = 0;

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    return this.progress(this.epoch, batch + 1, false, logs);
  }

  override onEpochEnd(epoch: number, logs?: Logs): void | Promise<void> {
    return this.progress(epoch, this.params.steps ?? 0, true, logs);
  }
}
