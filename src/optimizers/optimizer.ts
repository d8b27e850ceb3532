/**
 * `Optimizer`: Keras 3's `BaseOptimizer.apply_gradients`, step for step, with the TensorFlow backend's numerics.
 *
 * One `applyGradients` call does what Keras does, in Keras's order:
 *   1. drop pairs whose gradient is null (at least one must remain);
 *   2. divide by `lossScaleFactor` when set;
 *   3. with `gradientAccumulationSteps = n`: on all but every n-th call, add the gradients to per-variable
 *      accumulators and stop here; on the n-th, use (g + accumulated) / n and reset the accumulators;
 *   4. clip: `clipnorm` (each gradient to that L2 norm), else `globalClipnorm` (all gradients together),
 *      else `clipvalue` (elementwise);
 *   5. decoupled weight decay when `weightDecay` is set: w ← w − w·wd·lr (before the update rule, for every
 *      optimizer, not only AdamW);
 *   6. the optimizer's update rule for each variable;
 *   7. with `useEma`, update the moving averages (and overwrite the weights every `emaOverwriteFrequency` steps);
 *   8. `iterations` += 1.
 *
 * Arithmetic is in the variable's dtype: for float32 variables every intermediate result is rounded to float32
 * (`Math.fround`), as TensorFlow rounds after each op; hyperparameters enter as float32 constants, and Python
 * float expressions such as `1 - beta_1` are computed in double first, as Keras writes them. So a float32
 * variable follows Keras's trajectory to the last bit up to TensorFlow's own reductions and `pow`.
 *
 * Slot variables (momentums, velocities, ...) are created the first time a variable is seen, zero-filled (or
 * Adagrad's initial value), with the variable's shape and dtype; `getWeights()` lists them in Keras's order.
 */
import { noGrad } from '../autodiff/tape.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../errors.js';
import { uniqueLayerName } from '../serialization/naming.js';
import { mul } from '../ops/arithmetic.js';
import { allocate, type FloatArray } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { checkBoolean, checkName, checkNumber, checkNumberOrNull } from '../validation.js';
import { castGradient, clipGradients, roundFor, type Round } from './gradients.js';
import type { OptimizerConfig, OptimizerOptions } from './options.js';
import { LearningRateSchedule } from './schedules.js';

export type { Round } from './gradients.js';
export { roundFor } from './gradients.js';
export { BASE_OPTION_KEYS } from './options.js';
export { checkOptionKeys } from '../validation.js';
export type { OptimizerOptions, OptimizerConfig } from './options.js';

/**
 * A group of slot variables, created like one Keras `add_optimizer_variables(vars, names)` call: for each
 * variable in turn, one slot per name (so a group of two names interleaves: m0, v0, m1, v1, ...).
 */
export interface SlotGroup {
  readonly names: readonly string[];
  /** Initial value of every element (Keras's initializer); default 0. */
  readonly initial?: number;
}

/** What an update rule gets for one variable. Arrays are in the variable's layout; write results with `set`. */
export interface UpdateContext {
  readonly variable: Variable;
  /** The processed gradient (clipped etc.), already rounded to the variable's dtype. */
  readonly grad: Float64Array;
  /** The learning rate as the float32 Keras keeps it. */
  readonly learningRate: number;
  /** Keras's `iterations` before this step (update steps, not calls, when accumulating gradients). */
  readonly step: number;
  readonly round: Round;
  /** The current values of the variable's slot `name`. */
  slot(name: string): Float64Array;
  /** Replaces the values of the variable itself or one of its slots. */
  set(target: 'variable' | string, values: Float64Array): void;
}

interface TrackedVariable {
  readonly variable: Variable;
  readonly slots: Map<string, Variable>;
}

export abstract class Optimizer {
  /** Keras's class name, e.g. `Adam`; used in serialized configs. */
  abstract readonly className: string;
  readonly name: string;
  /**
   * Calls of `applyGradients` so far (Keras's `iteration` variable). With gradient accumulation the number of
   * update steps is `Math.floor(iterations / gradientAccumulationSteps)`.
   */
  iterations = 0;
  clipnorm: number | null;
  clipvalue: number | null;
  globalClipnorm: number | null;
  weightDecay: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly lossScaleFactor: number | null;
  readonly gradientAccumulationSteps: number | null;

  private lr: number;
  /** The schedule given as `learningRate`, or null for a fixed (settable) learning rate. */
  readonly learningRateSchedule: LearningRateSchedule | null;
  private readonly tracked: TrackedVariable[] = [];
  private readonly index = new Map<Variable, TrackedVariable>();
  private excludedVariables = new Set<Variable>();
  private excludedNames: RegExp | null = null;

  protected constructor(options: OptimizerOptions, defaultLearningRate: number, className: string) {
    const context = `${className} constructor`;
    this.name = checkName(options.name, () => uniqueLayerName(className), context);
    if (options.learningRate instanceof LearningRateSchedule) {
      this.learningRateSchedule = options.learningRate;
      this.lr = Number.NaN;
    } else {
      this.learningRateSchedule = null;
      this.lr = Math.fround(
        checkNumber(options.learningRate, defaultLearningRate, 'learningRate', { min: 0 }, context),
      );
    }
    this.weightDecay = checkNumberOrNull(options.weightDecay, null, 'weightDecay', { min: 0 }, context);
    this.clipnorm = checkNumberOrNull(options.clipnorm, null, 'clipnorm', { min: 0, minExclusive: true }, context);
    this.clipvalue = checkNumberOrNull(options.clipvalue, null, 'clipvalue', { min: 0, minExclusive: true }, context);
    this.globalClipnorm = checkNumberOrNull(
      options.globalClipnorm,
      null,
      'globalClipnorm',
      { min: 0, minExclusive: true },
      context,
    );
    const clips = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((c) => c !== null).length;
    if (clips > 1) {
      throw new InvalidArgumentError({
        argument: 'clipnorm/clipvalue/globalClipnorm',
        expected: 'at most one of them set',
        received: `clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}`,
        context,
      });
    }
    this.useEma = checkBoolean(options.useEma, false, 'useEma', context);
    this.emaMomentum = checkNumber(options.emaMomentum, 0.99, 'emaMomentum', { min: 0, max: 1 }, context);
    this.emaOverwriteFrequency = checkNumberOrNull(
      options.emaOverwriteFrequency,
      null,
      'emaOverwriteFrequency',
      { min: 1, integer: true },
      context,
    );
    this.lossScaleFactor = checkNumberOrNull(
      options.lossScaleFactor,
      null,
      'lossScaleFactor',
      { min: 0, minExclusive: true },
      context,
    );
    this.gradientAccumulationSteps = checkNumberOrNull(
      options.gradientAccumulationSteps,
      null,
      'gradientAccumulationSteps',
      { min: 2, integer: true },
      context,
    );
  }

  /**
   * The learning rate of the next step, rounded to float32 as Keras stores it in a float32 variable: with a
   * schedule, the schedule's value at `iterations` (Keras's `_get_current_learning_rate`).
   */
  get learningRate(): number {
    return this.learningRateSchedule === null ? this.lr : this.learningRateSchedule.call(this.iterations);
  }

  set learningRate(value: number) {
    const context = `${this.className} '${this.name}'`;
    if (this.learningRateSchedule !== null) {
      throw new InvalidArgumentError({
        argument: 'learningRate',
        expected: `no assignment: this optimizer was created with the schedule ${this.learningRateSchedule.className} as its learning rate (create it with a number to set the learning rate)`,
        received: value,
        context,
      });
    }
    this.lr = Math.fround(checkNumber(value, value, 'learningRate', { min: 0 }, context));
  }

  /** The slot groups this optimizer keeps per variable, in Keras's creation order. */
  protected abstract slotGroups(): readonly SlotGroup[];

  /** The update rule for one variable (Keras's `update_step`). */
  protected abstract updateStep(ctx: UpdateContext): void;

  /** The subclass's own config fields (camelCase), after the base ones. */
  protected abstract ownConfig(): Record<string, unknown>;

  /** Keras's update-step counter: `iterations`, floor-divided by the accumulation steps when accumulating. */
  private get updateIterations(): number {
    return this.gradientAccumulationSteps
      ? Math.floor(this.iterations / this.gradientAccumulationSteps)
      : this.iterations;
  }

  /**
   * Applies one step of gradients to their variables (Keras's `apply_gradients`; see the module comment for the
   * order of operations). Pairs with a null gradient are skipped. Runs under `noGrad`.
   */
  applyGradients(gradsAndVars: readonly (readonly [Tensor | null, Variable])[]): void {
    const context = `${this.className} '${this.name}'.applyGradients`;
    if (!Array.isArray(gradsAndVars)) {
      throw new InvalidArgumentError({
        argument: 'gradsAndVars',
        expected: 'an array of [gradient, variable] pairs',
        received: gradsAndVars,
        context,
      });
    }
    if (gradsAndVars.length === 0) return;
    noGrad(() => {
      const pairs = gradsAndVars.map((pair, i) => this.checkPair(pair, i, context));
      this.build(pairs.map(([, v]) => v));
      const present = pairs.filter((p): p is [Tensor, Variable] => p[0] !== null);
      if (present.length === 0) {
        throw new InvalidArgumentError({
          argument: 'gradsAndVars',
          expected: 'at least one non-null gradient',
          received: 'only null gradients',
          context,
        });
      }
      const variables = present.map(([, v]) => v);
      let grads = present.map(([g, v]) => castGradient(g, roundFor(v.dtype)));
      if (this.lossScaleFactor !== null) {
        grads = grads.map((g, i) => {
          const r = roundFor(variables[i]!.dtype);
          const scale = r(this.lossScaleFactor!);
          return g.map((x) => r(x / scale));
        });
      }
      const steps = this.gradientAccumulationSteps;
      if (steps) {
        if ((this.iterations + 1) % steps === 0) {
          grads = grads.map((g, i) => {
            const v = variables[i]!;
            const r = roundFor(v.dtype);
            const acc = this.slotValues(v, 'gradient_accumulator');
            const n = r(steps);
            return g.map((x, k) => r(r(x + acc[k]!) / n));
          });
          this.step(grads, variables);
          for (const t of this.tracked) {
            const acc = t.slots.get('gradient_accumulator')!;
            acc.assign(new Tensor(allocate(acc.dtype, acc.size) as FloatArray, acc.shape, acc.dtype));
          }
        } else {
          grads.forEach((g, i) => {
            const v = variables[i]!;
            const r = roundFor(v.dtype);
            const acc = this.slotValues(v, 'gradient_accumulator');
            this.writeSlot(
              v,
              'gradient_accumulator',
              g.map((x, k) => r(x + acc[k]!)),
            );
          });
        }
      } else {
        this.step(grads, variables);
      }
      if (this.useEma) this.updateMovingAverages();
      this.iterations++;
    });
  }

  /** Clipping, weight decay and the update rule (Keras's `_update_step_fn` body). */
  private step(grads: Float64Array[], variables: Variable[]): void {
    const clipped = clipGradients(
      grads,
      variables.map((v) => v.dtype),
      this,
    );
    // One learning rate for the whole step, evaluated before `iterations` moves on (as Keras does).
    const learningRate = this.learningRate;
    this.applyWeightDecay(variables, learningRate);
    const step = this.updateIterations;
    clipped.forEach((grad, i) => {
      const variable = variables[i]!;
      const tracked = this.index.get(variable)!;
      const round = roundFor(variable.dtype);
      this.updateStep({
        variable,
        grad,
        learningRate,
        step,
        round,
        slot: (name) => this.slotValues(variable, name),
        set: (target, values) => {
          if (target === 'variable') writeValues(variable, values);
          else writeValues(tracked.slots.get(target)!, values);
        },
      });
    });
  }

  private applyWeightDecay(variables: Variable[], learningRate: number): void {
    if (this.weightDecay === null) return;
    for (const variable of variables) {
      if (!this.usesWeightDecay(variable)) continue;
      const r = roundFor(variable.dtype);
      const wd = r(this.weightDecay);
      const lr = r(learningRate);
      const w = variable.values;
      const out = new Float64Array(w.length);
      for (let i = 0; i < w.length; i++) out[i] = r(w[i]! - r(r(w[i]! * wd) * lr));
      writeValues(variable, out);
    }
  }

  private usesWeightDecay(variable: Variable): boolean {
    if (this.excludedVariables.has(variable)) return false;
    return this.excludedNames === null || !this.excludedNames.test(variable.name);
  }

  /**
   * Exempts variables from weight decay: the given ones, and those whose name contains any of `names`
   * (Keras's `exclude_from_weight_decay(var_list, var_names)`; `names` are regular-expression fragments).
   */
  excludeFromWeightDecay(options: { variables?: readonly Variable[]; names?: readonly string[] }): void {
    this.excludedVariables = new Set(options.variables ?? []);
    const names = options.names ?? [];
    this.excludedNames = names.length > 0 ? new RegExp([...new Set(names)].join('|')) : null;
  }

  private updateMovingAverages(): void {
    const iterations = this.updateIterations;
    for (const { variable, slots } of this.tracked) {
      const r = roundFor(variable.dtype);
      const momentum = r((iterations !== 0 ? 1 : 0) * r(this.emaMomentum));
      const average = slots.get('average')!;
      const a = average.values;
      const w = variable.values;
      const out = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = r(r(momentum * a[i]!) + r(r(1 - momentum) * w[i]!));
      writeValues(average, out);
    }
    if (this.emaOverwriteFrequency !== null && (iterations + 1) % this.emaOverwriteFrequency === 0) {
      this.finalizeVariableValues();
    }
  }

  /** With `useEma`: replaces every tracked variable's values by its moving average (Keras does this after fit). */
  finalizeVariableValues(): void {
    if (!this.useEma) return;
    for (const { variable, slots } of this.tracked) variable.assign(slots.get('average')!);
  }

  /**
   * The loss multiplied by `lossScaleFactor` (unchanged when it is null), differentiably: call it inside the
   * gradient computation, as Keras's `scale_loss`; `applyGradients` divides the gradients back.
   */
  scaleLoss(loss: Tensor): Tensor {
    return this.lossScaleFactor === null ? loss : mul(loss, this.lossScaleFactor);
  }

  /**
   * Creates slot variables for `variables` not seen before (Keras builds on the first `apply_gradients`; later
   * calls may add variables here, their slots are created then).
   */
  build(variables: readonly Variable[]): void {
    const fresh = variables.filter((v, i) => !this.index.has(v) && variables.indexOf(v) === i);
    if (fresh.length === 0) return;
    const groups = this.allSlotGroups();
    for (const variable of fresh) {
      if (variable.dtype !== 'float32' && variable.dtype !== 'float64') {
        throw new DTypeError({
          argument: `variable '${variable.name}'`,
          expected: 'a float32 or float64 variable',
          received: variable.dtype,
          context: `${this.className} '${this.name}'.build`,
        });
      }
      const slots = new Map<string, Variable>();
      for (const group of groups) {
        for (const slotName of group.names) {
          const values = allocate(variable.dtype, variable.size);
          values.fill(roundFor(variable.dtype)(group.initial ?? 0));
          const name = `${variable.name.replace(/\//g, '_')}_${slotName}`;
          slots.set(
            slotName,
            new Variable(new Tensor(values, variable.shape, variable.dtype), { name, trainable: false }),
          );
        }
      }
      const tracked = { variable, slots };
      this.tracked.push(tracked);
      this.index.set(variable, tracked);
    }
  }

  /** Base slot groups (EMA averages, gradient accumulators) then the subclass's, in Keras's order. */
  private allSlotGroups(): SlotGroup[] {
    const groups: SlotGroup[] = [];
    if (this.useEma) groups.push({ names: ['average'] });
    if (this.gradientAccumulationSteps) groups.push({ names: ['gradient_accumulator'] });
    return [...groups, ...this.slotGroups()];
  }

  /**
   * The names of the slots kept per variable, group by group in Keras's creation order (Adam:
   * `[['momentum', 'velocity']]`; with `useEma`, `['average']` comes first). Keras lists the slots group by group,
   * and within a group variable by variable, name by name.
   */
  get slotGroupNames(): string[][] {
    return this.allSlotGroups().map((group) => [...group.names]);
  }

  /** Whether the optimizer has seen (and made slots for) any variable. */
  get built(): boolean {
    return this.tracked.length > 0;
  }

  /** The variables this optimizer updates, in the order it first saw them. */
  get trackedVariables(): Variable[] {
    return this.tracked.map((t) => t.variable);
  }

  /** The slot variables in Keras's order: group by group, variable by variable, name by name. */
  get slotVariables(): Variable[] {
    const out: Variable[] = [];
    for (const group of this.allSlotGroups()) {
      for (const { slots } of this.tracked) for (const name of group.names) out.push(slots.get(name)!);
    }
    return out;
  }

  /** One slot of a tracked variable (e.g. `momentum`), or null. */
  getSlot(variable: Variable, name: string): Variable | null {
    return this.index.get(variable)?.slots.get(name) ?? null;
  }

  /**
   * The optimizer state as Keras's `optimizer.variables` lists it: the iteration count (int32 scalar), the
   * learning rate (float32 scalar; absent with a schedule, which Keras keeps as no variable), then the slot
   * variables in Keras's order. Copies.
   */
  getWeights(): Tensor[] {
    return [
      new Tensor(Int32Array.of(this.iterations), [], 'int32'),
      ...(this.learningRateSchedule === null ? [new Tensor(Float32Array.of(this.lr), [], 'float32')] : []),
      ...this.slotVariables.map((v) => v.read()),
    ];
  }

  /** Restores state from `getWeights()`'s list (the optimizer must be built on the same variables). */
  setWeights(weights: readonly Tensor[]): void {
    const context = `${this.className} '${this.name}'.setWeights`;
    const slots = this.slotVariables;
    // Scalars first: the iteration count, and the learning rate unless it comes from a schedule.
    const scalars = this.learningRateSchedule === null ? 2 : 1;
    if (!Array.isArray(weights) || weights.length !== slots.length + scalars) {
      const what = scalars === 2 ? 'iteration, learning rate' : 'iteration';
      throw new InvalidArgumentError({
        argument: 'weights',
        expected: `${slots.length + scalars} tensors (${what}, ${slots.length} slot variables)`,
        received: Array.isArray(weights) ? `${weights.length} tensors` : weights,
        context,
      });
    }
    weights.forEach((w, i) => {
      const shape = i < scalars ? [] : slots[i - scalars]!.shape;
      if (!(w instanceof Tensor) || (!shapesEqual(w.shape, shape) && !(i < scalars && w.size === 1))) {
        throw new ShapeError({
          argument: `weights[${i}]`,
          expected: `a tensor of shape ${formatShape(shape)}`,
          received: w,
          context,
        });
      }
    });
    this.iterations = Number(weights[0]!.values[0]);
    if (scalars === 2) this.learningRate = Number(weights[1]!.values[0]);
    slots.forEach((v, i) => v.assign(weights[i + scalars]!));
  }

  /** The camelCase config; `new (ctor)(getConfig())` rebuilds an equal optimizer (without its state). */
  getConfig(): Record<string, unknown> {
    const base: OptimizerConfig = {
      name: this.name,
      learningRate: this.learningRateSchedule ?? this.lr,
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      globalClipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      useEma: this.useEma,
      emaMomentum: this.emaMomentum,
      emaOverwriteFrequency: this.emaOverwriteFrequency,
      lossScaleFactor: this.lossScaleFactor,
      gradientAccumulationSteps: this.gradientAccumulationSteps,
    };
    return { ...base, ...this.ownConfig() };
  }

  private slotValues(variable: Variable, name: string): Float64Array {
    return Float64Array.from(this.index.get(variable)!.slots.get(name)!.values);
  }

  private writeSlot(variable: Variable, name: string, values: Float64Array): void {
    writeValues(this.index.get(variable)!.slots.get(name)!, values);
  }

  private checkPair(pair: unknown, i: number, context: string): [Tensor | null, Variable] {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new InvalidArgumentError({
        argument: `gradsAndVars[${i}]`,
        expected: 'a [gradient, variable] pair',
        received: pair,
        context,
      });
    }
    const [grad, variable] = pair as [unknown, unknown];
    if (!(variable instanceof Variable)) {
      throw new InvalidArgumentError({
        argument: `gradsAndVars[${i}][1]`,
        expected: 'a Variable',
        received: variable,
        context,
      });
    }
    if (grad === null || grad === undefined) return [null, variable];
    if (!(grad instanceof Tensor)) {
      throw new InvalidArgumentError({
        argument: `gradsAndVars[${i}][0]`,
        expected: 'a Tensor or null',
        received: grad,
        context,
      });
    }
    if (!shapesEqual(grad.shape, variable.shape)) {
      throw new ShapeError({
        argument: `gradsAndVars[${i}][0]`,
        expected: `a gradient of shape ${formatShape(variable.shape)} (variable '${variable.name}')`,
        received: formatShape(grad.shape),
        context,
      });
    }
    return [grad, variable];
  }
}

/** Replaces a variable's values (stored in its own dtype). */
function writeValues(variable: Variable, values: Float64Array): void {
  variable.assign(new Tensor(values, variable.shape, 'float64'));
}
