/**
 * Adam (Keras 3 `keras.optimizers.Adam`), in Keras's formulation with ε outside the square root. At step
 * t = iterations + 1, with learning rate η:
 *
 *     α ← η·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
 *     m ← m + (g − m)·(1 − β₁)
 *     v ← v + (g² − v)·(1 − β₂)
 *     v̂ ← max(v̂, v)            (amsgrad only; then v̂ replaces v below)
 *     w ← w − m·α / (√v + ε)
 */
import type { LearningRateSchedule } from './schedules.js';
import { checkBoolean, checkNumber } from '../validation.js';
import {
  BASE_OPTION_KEYS,
  checkOptionKeys,
  Optimizer,
  type OptimizerOptions,
  type SlotGroup,
  type UpdateContext,
} from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Default false. */
  amsgrad?: boolean;
}

export const ADAM_OPTION_KEYS: readonly string[] = [...BASE_OPTION_KEYS, 'beta1', 'beta2', 'epsilon', 'amsgrad'];

export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}, className = 'Adam') {
    const context = `${className} constructor`;
    checkOptionKeys(options, ADAM_OPTION_KEYS, context);
    super(options, 0.001, className);
    this.beta1 = checkNumber(options.beta1, 0.9, 'beta1', { min: 0, max: 1, maxExclusive: true }, context);
    this.beta2 = checkNumber(options.beta2, 0.999, 'beta2', { min: 0, max: 1, maxExclusive: true }, context);
    this.epsilon = checkNumber(options.epsilon, 1e-7, 'epsilon', { min: 0 }, context);
    this.amsgrad = checkBoolean(options.amsgrad, false, 'amsgrad', context);
  }

  protected slotGroups(): readonly SlotGroup[] {
    const groups: SlotGroup[] = [{ names: ['momentum', 'velocity'] }];
    if (this.amsgrad) groups.push({ names: ['velocity_hat'] });
    return groups;
  }

  protected updateStep({ variable, grad: g, learningRate, step, round: r, slot, set }: UpdateContext): void {
    const lr = r(learningRate);
    const t = r(step + 1);
    const beta1Power = r(Math.pow(r(this.beta1), t));
    const beta2Power = r(Math.pow(r(this.beta2), t));
    const alpha = r(r(lr * r(Math.sqrt(r(1 - beta2Power)))) / r(1 - beta1Power));
    const oneMinusBeta1 = r(1 - this.beta1);
    const oneMinusBeta2 = r(1 - this.beta2);
    const eps = r(this.epsilon);
    const m = slot('momentum');
    const v = slot('velocity');
    for (let i = 0; i < m.length; i++) {
      m[i] = r(m[i]! + r(r(g[i]! - m[i]!) * oneMinusBeta1));
      v[i] = r(v[i]! + r(r(r(g[i]! * g[i]!) - v[i]!) * oneMinusBeta2));
    }
    set('momentum', m);
    set('velocity', v);
    let denomSource = v;
    if (this.amsgrad) {
      const vHat = slot('velocity_hat');
      for (let i = 0; i < vHat.length; i++) vHat[i] = Math.max(vHat[i]!, v[i]!);
      set('velocity_hat', vHat);
      denomSource = vHat;
    }
    const w = variable.values;
    const out = new Float64Array(w.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = r(w[i]! - r(r(m[i]! * alpha) / r(r(Math.sqrt(denomSource[i]!)) + eps)));
    }
    set('variable', out);
  }

  protected ownConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
