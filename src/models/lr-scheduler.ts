/**
 * `LearningRateScheduler` (Keras 3's): at the start of every epoch, sets the optimizer's learning rate to
 * `schedule(epoch, currentLearningRate)`, and logs `learning_rate` at the end of the epoch. For a rate that
 * changes at every step, give the optimizer a `LearningRateSchedule` instead.
 */
import { InvalidArgumentError } from '../errors.js';
import { Callback, type Logs } from './callbacks.js';
import { pythonFloatRepr } from './python-format.js';

export interface LearningRateSchedulerOptions {
  /** 1 prints the rate set at each epoch. Default 0. */
  verbose?: 0 | 1;
  print?: (message: string) => void;
}

export class LearningRateScheduler extends Callback {
  readonly schedule: (epoch: number, learningRate: number) => number;
  readonly verbose: 0 | 1;
  private readonly print: (message: string) => void;

  constructor(schedule: (epoch: number, learningRate: number) => number, options: LearningRateSchedulerOptions = {}) {
    super();
    const context = 'LearningRateScheduler constructor';
    if (typeof schedule !== 'function') {
      throw new InvalidArgumentError({
        argument: 'schedule',
        expected: 'a function (epoch, learningRate) => number',
        received: schedule,
        context,
      });
    }
    const verbose = options.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1)
      throw new InvalidArgumentError({ argument: 'verbose', expected: '0 or 1', received: verbose, context });
    this.schedule = schedule;
    this.verbose = verbose;
    this.print = options.print ?? ((m) => console.log(m));
  }

  private optimizer() {
    const optimizer = this.requireModel().optimizer;
    if (optimizer === null) {
      throw new InvalidArgumentError({
        argument: 'model',
        expected: 'a compiled model (with an optimizer)',
        received: 'an uncompiled model',
        context: 'LearningRateScheduler',
      });
    }
    return optimizer;
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.optimizer();
    const rate = this.schedule(epoch, optimizer.learningRate);
    if (typeof rate !== 'number' || !Number.isFinite(rate)) {
      throw new InvalidArgumentError({
        argument: 'schedule',
        expected: 'a function returning a finite number',
        received: rate,
        context: `LearningRateScheduler at epoch ${epoch + 1}`,
      });
    }
    optimizer.learningRate = rate;
    if (this.verbose > 0)
      this.print(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pythonFloatRepr(rate)}.`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs !== undefined) logs.learning_rate = this.optimizer().learningRate;
  }
}
