/**
 * Test oracle: Keras 3's optimizer formulas (keras/src/optimizers/*.py, base_optimizer.py) written out again as
 * plain loops over number arrays, one state object per variable, independently of src/optimizers. `r` rounds
 * after each operation: identity for float64, Math.fround to mimic a float32 backend.
 */
export type Round = (x: number) => number;
export const f64: Round = (x) => x;

export interface RefVar {
  w: number[];
  slots: Record<string, number[]>;
}

export interface RefConfig {
  kind: 'sgd' | 'adam' | 'rmsprop' | 'adagrad';
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
  rho?: number;
  centered?: boolean;
  initialAccumulatorValue?: number;
  weightDecay?: number | null;
  clipnorm?: number | null;
  clipvalue?: number | null;
  globalClipnorm?: number | null;
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

export function refInit(config: RefConfig, w: number[]): RefVar {
  const n = w.length;
  const slots: Record<string, number[]> = {};
  if (config.kind === 'sgd' && (config.momentum ?? 0) !== 0) slots['momentum'] = zeros(n);
  if (config.kind === 'adam') {
    slots['momentum'] = zeros(n);
    slots['velocity'] = zeros(n);
    if (config.amsgrad) slots['velocity_hat'] = zeros(n);
  }
  if (config.kind === 'rmsprop') {
    slots['velocity'] = zeros(n);
    if ((config.momentum ?? 0) > 0) slots['momentum'] = zeros(n);
    if (config.centered) slots['average_gradient'] = zeros(n);
  }
  if (config.kind === 'adagrad')
    slots['accumulator'] = new Array<number>(n).fill(config.initialAccumulatorValue ?? 0.1);
  return { w: [...w], slots };
}

/** Keras's `_clip_gradients` over the list of gradients. */
export function refClip(config: RefConfig, grads: number[][], r: Round = f64): number[][] {
  if (config.clipnorm != null) {
    const c = r(config.clipnorm);
    return grads.map((g) => {
      const l2 = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
      return g.map((x) => r(r(x * c) / Math.max(r(l2), c)));
    });
  }
  if (config.globalClipnorm != null) {
    const norm = r(Math.sqrt(grads.reduce((s, g) => s + g.reduce((t, x) => t + x * x, 0), 0)));
    const c = config.globalClipnorm;
    const scale = r(r(c) * Math.min(r(1 / norm), r(1 / c)));
    return grads.map((g) => g.map((x) => r(x * scale)));
  }
  if (config.clipvalue != null) {
    const c = r(config.clipvalue);
    return grads.map((g) => g.map((x) => Math.min(c, Math.max(-c, x))));
  }
  return grads;
}

/** One Keras update step (weight decay then `update_step`) of one variable at Keras iteration `iteration`. */
export function refStep(config: RefConfig, v: RefVar, g: number[], iteration: number, r: Round = f64): void {
  const lr = Math.fround(config.lr);
  const n = v.w.length;
  if (config.weightDecay != null) {
    for (let i = 0; i < n; i++) v.w[i] = r(v.w[i]! - r(r(v.w[i]! * r(config.weightDecay)) * lr));
  }
  const s = v.slots;
  switch (config.kind) {
    case 'sgd': {
      const mu = config.momentum ?? 0;
      for (let i = 0; i < n; i++) {
        if (mu === 0) {
          v.w[i] = r(v.w[i]! - r(g[i]! * lr));
          continue;
        }
        s['momentum']![i] = r(r(s['momentum']![i]! * r(mu)) - r(g[i]! * lr));
        if (config.nesterov) v.w[i] = r(v.w[i]! + r(r(s['momentum']![i]! * r(mu)) - r(g[i]! * lr)));
        else v.w[i] = r(v.w[i]! + s['momentum']![i]!);
      }
      return;
    }
    case 'adam': {
      const b1 = config.beta1 ?? 0.9;
      const b2 = config.beta2 ?? 0.999;
      const eps = config.epsilon ?? 1e-7;
      const t = iteration + 1;
      const b1p = r(r(b1) ** t);
      const b2p = r(r(b2) ** t);
      const alpha = r(r(lr * r(Math.sqrt(r(1 - b2p)))) / r(1 - b1p));
      for (let i = 0; i < n; i++) {
        const m = (s['momentum']![i] = r(s['momentum']![i]! + r(r(g[i]! - s['momentum']![i]!) * r(1 - b1))));
        let vel = (s['velocity']![i] = r(s['velocity']![i]! + r(r(r(g[i]! * g[i]!) - s['velocity']![i]!) * r(1 - b2))));
        if (config.amsgrad) vel = s['velocity_hat']![i] = Math.max(s['velocity_hat']![i]!, vel);
        v.w[i] = r(v.w[i]! - r(r(m * alpha) / r(r(Math.sqrt(vel)) + r(eps))));
      }
      return;
    }
    case 'rmsprop': {
      const rho = config.rho ?? 0.9;
      const mu = config.momentum ?? 0;
      const eps = config.epsilon ?? 1e-7;
      for (let i = 0; i < n; i++) {
        const vel = (s['velocity']![i] = r(r(r(rho) * s['velocity']![i]!) + r(r(1 - rho) * r(g[i]! * g[i]!))));
        let denom: number;
        if (config.centered) {
          const avg = (s['average_gradient']![i] = r(r(r(rho) * s['average_gradient']![i]!) + r(r(1 - rho) * g[i]!)));
          denom = r(r(vel - r(avg * avg)) + r(eps));
        } else denom = r(vel + r(eps));
        const inc = r(r(lr * g[i]!) / r(Math.sqrt(denom)));
        if (mu > 0) {
          s['momentum']![i] = r(r(r(mu) * s['momentum']![i]!) + inc);
          v.w[i] = r(v.w[i]! - s['momentum']![i]!);
        } else v.w[i] = r(v.w[i]! - inc);
      }
      return;
    }
    case 'adagrad': {
      const eps = config.epsilon ?? 1e-7;
      for (let i = 0; i < n; i++) {
        const acc = (s['accumulator']![i] = r(s['accumulator']![i]! + r(g[i]! * g[i]!)));
        v.w[i] = r(v.w[i]! - r(r(lr * g[i]!) / r(Math.sqrt(r(acc + r(eps))))));
      }
      return;
    }
  }
}
