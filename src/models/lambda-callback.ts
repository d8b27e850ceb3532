/**
 * `LambdaCallback` (Keras 3's): a callback made of functions, e.g.
 * `new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) })`. Keras's
 * `on_train_batch_begin` / `on_train_batch_end` are `onTrainBatchBegin` / `onTrainBatchEnd` (or `onBatchBegin` /
 * `onBatchEnd`); every other hook is accepted under its own name.
 */
import { InvalidArgumentError } from '../errors.js';
import { Callback, toCallback, type CallbackHandlers, type Logs } from './callbacks.js';

export interface LambdaCallbackHandlers extends CallbackHandlers {
  onTrainBatchBegin?: (batch: number, logs?: Logs) => void;
  onTrainBatchEnd?: (batch: number, logs?: Logs) => void;
}

export class LambdaCallback extends Callback {
  constructor(handlers: LambdaCallbackHandlers) {
    super();
    const context = 'LambdaCallback constructor';
    if (handlers === null || typeof handlers !== 'object' || Array.isArray(handlers)) {
      throw new InvalidArgumentError({
        argument: 'handlers',
        expected: 'an object of hook functions',
        received: handlers,
        context,
      });
    }
    const { onTrainBatchBegin, onTrainBatchEnd, ...rest } = handlers;
    for (const [keras, ours] of [
      ['onTrainBatchBegin', 'onBatchBegin'],
      ['onTrainBatchEnd', 'onBatchEnd'],
    ] as const) {
      if (handlers[keras] !== undefined && handlers[ours] !== undefined) {
        throw new InvalidArgumentError({
          argument: `handlers.${keras}`,
          expected: `either ${keras} or ${ours}, not both`,
          received: 'both',
          context,
        });
      }
    }
    const merged: CallbackHandlers = {
      ...rest,
      ...(onTrainBatchBegin !== undefined ? { onBatchBegin: onTrainBatchBegin } : {}),
      ...(onTrainBatchEnd !== undefined ? { onBatchEnd: onTrainBatchEnd } : {}),
    };
    // toCallback checks every hook name and function; its bound hooks become this callback's.
    const checked = toCallback(merged, 'handlers', context) as unknown as Record<string, unknown>;
    for (const key of Object.keys(merged)) (this as unknown as Record<string, unknown>)[key] = checked[key];
  }
}
