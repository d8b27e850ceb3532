/**
 * SGD (Keras 3 `keras.optimizers.SGD`). With momentum μ and learning rate η, per element:
 *
 *     m ← μ·m − η·g
 *     w ← w + m                 (nesterov: w ← w + μ·m − η·g)
 *
 * Without momentum (μ = 0, the default) there is no slot and w ← w − η·g.
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

export interface SGDOptions extends OptimizerOptions {
  /** Default 0.01. */
  learningRate?: number | LearningRateSchedule;
  /** In [0, 1]; default 0. */
  momentum?: number;
  /** Default false. */
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly className: string = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    checkOptionKeys(options, [...BASE_OPTION_KEYS, 'momentum', 'nesterov'], 'SGD constructor');
    super(options, 0.01, 'SGD');
    this.momentum = checkNumber(options.momentum, 0, 'momentum', { min: 0, max: 1 }, 'SGD constructor');
    this.nesterov = checkBoolean(options.nesterov, false, 'nesterov', 'SGD constructor');
  }

  protected slotGroups(): readonly SlotGroup[] {
    return this.momentum !== 0 ? [{ names: ['momentum'] }] : [];
  }

  protected updateStep({ variable, grad: g, learningRate, round: r, slot, set }: UpdateContext): void {
    const lr = r(learningRate);
    const w = variable.values;
    const out = new Float64Array(w.length);
    if (this.momentum === 0) {
      for (let i = 0; i < out.length; i++) out[i] = r(w[i]! - r(g[i]! * lr));
      set('variable', out);
      return;
    }
    const mu = r(this.momentum);
    const m = slot('momentum');
    for (let i = 0; i < m.length; i++) m[i] = r(r(m[i]! * mu) - r(g[i]! * lr));
    set('momentum', m);
    for (let i = 0; i < out.length; i++) {
      const step = this.nesterov ? r(r(m[i]! * mu) - r(g[i]! * lr)) : m[i]!;
      out[i] = r(w[i]! + step);
    }
    set('variable', out);
  }

  protected ownConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
