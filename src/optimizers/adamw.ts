/**
 * AdamW (Keras 3 `keras.optimizers.AdamW`): Adam with decoupled weight decay, w ← w − w·λ·η applied before each
 * Adam update. Keras implements the decay in the base optimizer (any optimizer given `weightDecay` does it);
 * AdamW only makes it mandatory, with a default λ of 0.004.
 */
import { InvalidArgumentError } from '../errors.js';
import { Adam, type AdamOptions } from './adam.js';

export interface AdamWOptions extends AdamOptions {
  /** Default 0.004; must not be null. */
  weightDecay?: number;
}

export class AdamW extends Adam {
  override readonly className: string = 'AdamW';

  constructor(options: AdamWOptions = {}) {
    if (options !== null && typeof options === 'object' && options.weightDecay === null) {
      throw new InvalidArgumentError({
        argument: 'weightDecay',
        expected: 'a finite number ≥ 0',
        received: null,
        context: 'AdamW constructor',
      });
    }
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 }, 'AdamW');
  }
}
