/**
 * RMSprop (Keras 3 `keras.optimizers.RMSprop`), with ε inside the square root. With decay ρ, learning rate η:
 *
 *     v ← ρ·v + (1 − ρ)·g²
 *     ḡ ← ρ·ḡ + (1 − ρ)·g       (centered only)
 *     Δ ← η·g / √(v − ḡ² + ε)    (centered)   or   η·g / √(v + ε)
 *     m ← μ·m + Δ; w ← w − m     (momentum μ > 0)   or   w ← w − Δ
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

export interface RMSpropOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** Discount of the running mean of g², in [0, 1]; default 0.9. */
  rho?: number;
  /** ≥ 0; default 0 (no momentum slot). */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Normalise by the estimated variance instead of the second moment; default false. */
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  readonly className: string = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    const context = 'RMSprop constructor';
    checkOptionKeys(options, [...BASE_OPTION_KEYS, 'rho', 'momentum', 'epsilon', 'centered'], context);
    super(options, 0.001, 'RMSprop');
    this.rho = checkNumber(options.rho, 0.9, 'rho', { min: 0, max: 1 }, context);
    this.momentum = checkNumber(options.momentum, 0, 'momentum', { min: 0 }, context);
    this.epsilon = checkNumber(options.epsilon, 1e-7, 'epsilon', { min: 0 }, context);
    this.centered = checkBoolean(options.centered, false, 'centered', context);
  }

  protected slotGroups(): readonly SlotGroup[] {
    const groups: SlotGroup[] = [{ names: ['velocity'] }];
    if (this.momentum > 0) groups.push({ names: ['momentum'] });
    if (this.centered) groups.push({ names: ['average_gradient'] });
    return groups;
  }

  protected updateStep({ variable, grad: g, learningRate, round: r, slot, set }: UpdateContext): void {
    const lr = r(learningRate);
    const rho = r(this.rho);
    const oneMinusRho = r(1 - this.rho);
    const eps = r(this.epsilon);
    const v = slot('velocity');
    for (let i = 0; i < v.length; i++) v[i] = r(r(rho * v[i]!) + r(oneMinusRho * r(g[i]! * g[i]!)));
    set('velocity', v);
    const denom = new Float64Array(v.length);
    if (this.centered) {
      const avg = slot('average_gradient');
      for (let i = 0; i < avg.length; i++) {
        avg[i] = r(r(rho * avg[i]!) + r(oneMinusRho * g[i]!));
        denom[i] = r(r(v[i]! - r(avg[i]! * avg[i]!)) + eps);
      }
      set('average_gradient', avg);
    } else {
      for (let i = 0; i < v.length; i++) denom[i] = r(v[i]! + eps);
    }
    const increment = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) increment[i] = r(r(lr * g[i]!) / r(Math.sqrt(denom[i]!)));
    const w = variable.values;
    const out = new Float64Array(w.length);
    if (this.momentum > 0) {
      const mu = r(this.momentum);
      const m = slot('momentum');
      for (let i = 0; i < m.length; i++) m[i] = r(r(mu * m[i]!) + increment[i]!);
      set('momentum', m);
      for (let i = 0; i < out.length; i++) out[i] = r(w[i]! - m[i]!);
    } else {
      for (let i = 0; i < out.length; i++) out[i] = r(w[i]! - increment[i]!);
    }
    set('variable', out);
  }

  protected ownConfig(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
