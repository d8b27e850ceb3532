/**
 * Adagrad (Keras 3 `keras.optimizers.Adagrad`). The accumulator starts at `initialAccumulatorValue`; with
 * learning rate η:
 *
 *     a ← a + g²
 *     w ← w − η·g / √(a + ε)
 */
import type { LearningRateSchedule } from './schedules.js';
import { checkNumber } from '../validation.js';
import {
  BASE_OPTION_KEYS,
  checkOptionKeys,
  Optimizer,
  type OptimizerOptions,
  type SlotGroup,
  type UpdateContext,
} from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** ≥ 0; default 0.1. */
  initialAccumulatorValue?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  readonly className: string = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    const context = 'Adagrad constructor';
    checkOptionKeys(options, [...BASE_OPTION_KEYS, 'initialAccumulatorValue', 'epsilon'], context);
    super(options, 0.001, 'Adagrad');
    this.initialAccumulatorValue = checkNumber(
      options.initialAccumulatorValue,
      0.1,
      'initialAccumulatorValue',
      { min: 0 },
      context,
    );
    this.epsilon = checkNumber(options.epsilon, 1e-7, 'epsilon', { min: 0 }, context);
  }

  protected slotGroups(): readonly SlotGroup[] {
    return [{ names: ['accumulator'], initial: this.initialAccumulatorValue }];
  }

  protected updateStep({ variable, grad: g, learningRate, round: r, slot, set }: UpdateContext): void {
    const lr = r(learningRate);
    const eps = r(this.epsilon);
    const a = slot('accumulator');
    for (let i = 0; i < a.length; i++) a[i] = r(a[i]! + r(g[i]! * g[i]!));
    set('accumulator', a);
    const w = variable.values;
    const out = new Float64Array(w.length);
    for (let i = 0; i < out.length; i++) out[i] = r(w[i]! - r(r(lr * g[i]!) / r(Math.sqrt(r(a[i]! + eps)))));
    set('variable', out);
  }

  protected ownConfig(): Record<string, unknown> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
