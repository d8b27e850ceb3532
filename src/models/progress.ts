/**
 * Keras's progress output for fit/evaluate/predict.
 *
 * verbose 1 on a terminal: one bar per epoch, rewritten in place with `\r` as batches finish, with the ETA
 * while running and the elapsed time at the end:
 *
 *     Epoch 1/10
 *     12/40 ━━━━━━━━━━━━━━━━━━━━ 1s 25ms/step - loss: 0.1234 - mae: 0.2000
 *
 * verbose 1 when the output is not a terminal (a log file, CI): only the finished bar, one line per epoch.
 * verbose 2: one plain line per epoch, `40/40 - 1s - 25ms/step - loss: 0.1234`.
 * Values print as Keras prints them: 4 decimals, or 4-digit scientific notation when |v| ≤ 1e-3.
 */
import { Callback, type CallbackParams, type Logs } from './callbacks.js';

/** Where progress goes: `process.stdout` in Node, the console elsewhere. */
export interface ProgressOutput {
  write(text: string): void;
  /** A terminal: the bar is redrawn in place. */
  readonly isTTY: boolean;
  /** Use ANSI colours (terminal only). Default: unless the NO_COLOR environment variable is set. */
  readonly color?: boolean;
}

interface NodeStdout {
  write(text: string): boolean;
  isTTY?: boolean;
}

/** The standard output of this runtime. */
export function defaultOutput(): ProgressOutput {
  const proc = (globalThis as { process?: { stdout?: NodeStdout; env?: Record<string, string | undefined> } }).process;
  const stdout = proc?.stdout;
  if (stdout && typeof stdout.write === 'function') {
    return {
      write: (t) => void stdout.write(t),
      isTTY: stdout.isTTY === true,
      color: proc?.env?.NO_COLOR === undefined,
    };
  }
  // No stream (browsers): whole lines to the console.
  let pending = '';
  return {
    write: (t) => {
      pending += t;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) console.log(line);
    },
    isTTY: false,
  };
}

/** Seconds, monotonic when the runtime has `performance`. */
function defaultClock(): number {
  return typeof performance !== 'undefined' ? performance.now() / 1000 : Date.now() / 1000;
}

/** Python's `f"{v:.4f}"` / `f"{v:.4e}"` as Keras's progress bar uses them. */
export function formatLogValue(v: number, absolute = true): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if ((absolute ? Math.abs(v) : v) > 1e-3) return v.toFixed(4);
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Keras's `_format_time`: ` 25ms/step`, ` 1s/step`, ` 300us/step`. */
export function formatTimePerUnit(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${seconds.toFixed(0)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${(seconds * 1000).toFixed(0)}ms/${unit}`;
  return ` ${(seconds * 1e6).toFixed(0)}us/${unit}`;
}

function formatEta(eta: number): string {
  const pad = (n: number): string => String(Math.floor(n)).padStart(2, '0');
  if (eta > 3600) return `${Math.floor(eta / 3600)}:${pad((eta % 3600) / 60)}:${pad(eta % 60)}`;
  if (eta > 60) return `${Math.floor(eta / 60)}:${pad(eta % 60)}`;
  return `${Math.floor(eta)}s`;
}

export interface ProgbarOptions {
  verbose?: 0 | 1 | 2;
  /** Bar width in characters. Default 20. */
  width?: number;
  /** Minimum seconds between redraws (the last one always draws). Default 0.05. */
  interval?: number;
  unitName?: string;
  output?: ProgressOutput;
  /** Seconds; injectable for tests. */
  now?: () => number;
}

/** One progress bar over `target` steps (Keras's `Progbar`); values are displayed as given. */
export class Progbar {
  target: number | null;
  private readonly verbose: 0 | 1 | 2;
  private readonly width: number;
  private readonly interval: number;
  private readonly unitName: string;
  private readonly output: ProgressOutput;
  private readonly now: () => number;
  private readonly values = new Map<string, number>();
  private readonly start: number;
  private lastUpdate = 0;
  private timeAfterFirstStep: number | null = null;
  private prevWidth = 0;

  constructor(target: number | null, options: ProgbarOptions = {}) {
    this.target = target;
    this.verbose = options.verbose ?? 1;
    this.width = options.width ?? 20;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    this.output = options.output ?? defaultOutput();
    this.now = options.now ?? defaultClock;
    this.start = this.now();
  }

  /** Shows step `current` (1-based) with `values`; `finalize` ends the line. */
  update(current: number, values: Logs = {}, finalize = this.target !== null && current >= this.target): void {
    for (const [k, v] of Object.entries(values)) this.values.set(k, v);
    const now = this.now();
    const timePerUnit = this.estimateStepDuration(current, now);
    if (this.verbose === 1) {
      const dynamic = this.output.isTTY;
      if (!dynamic && !finalize) return;
      if (dynamic && now - this.lastUpdate < this.interval && !finalize) return;
      this.lastUpdate = now;
      const color = dynamic && this.output.color !== false;
      const style = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
      let bar: string;
      let visible: number;
      if (this.target !== null && this.target > 0) {
        const digits = String(this.target).length;
        const count = `${String(current).padStart(digits)}/${this.target}`;
        const filled = Math.floor((this.width * current) / this.target);
        const done = Math.min(filled, this.width);
        bar = `${style('1', count)} ${done > 0 ? style('32', '━'.repeat(done)) : ''}${style('37', '━'.repeat(this.width - done))}`;
        visible = count.length + 1 + this.width;
      } else {
        bar = `${String(current).padStart(7)}/Unknown`;
        visible = bar.length;
      }
      const time =
        this.target !== null && this.target > 0 && !finalize
          ? formatEta(timePerUnit * (this.target - current))
          : `${(now - this.start).toFixed(0)}s`;
      let info = ` ${style('1', time)}${formatTimePerUnit(timePerUnit, this.unitName)}`;
      let infoVisible = 1 + time.length + formatTimePerUnit(timePerUnit, this.unitName).length;
      for (const [k, v] of this.values) {
        const part = ` - ${k}: ${formatLogValue(v)}`;
        info += part;
        infoVisible += part.length;
      }
      const totalWidth = visible + infoVisible;
      let message = dynamic ? `\r${bar}${info}` : `${bar}${info}`;
      if (dynamic && this.prevWidth > totalWidth) message += ' '.repeat(this.prevWidth - totalWidth);
      if (finalize) message += '\n';
      this.output.write(message);
      this.prevWidth = totalWidth;
    } else if (this.verbose === 2 && finalize && this.target !== null && this.target > 0) {
      const digits = String(this.target).length;
      let info = `${String(current).padStart(digits)}/${this.target} - ${(now - this.start).toFixed(0)}s -${formatTimePerUnit(timePerUnit, this.unitName)}`;
      for (const [k, v] of this.values) info += ` - ${k}: ${formatLogValue(v, false)}`;
      this.output.write(`${info}\n`);
    }
  }

  /** Seconds per step, leaving out the (unrepresentative) first step once there are more. */
  private estimateStepDuration(current: number, now: number): number {
    if (!current) return 0;
    const perUnit =
      this.timeAfterFirstStep !== null && current > 1
        ? (now - this.timeAfterFirstStep) / (current - 1)
        : (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return perUnit;
  }
}

export interface ProgbarLoggerOptions {
  output?: ProgressOutput;
  now?: () => number;
}

/**
 * The callback `fit` adds when `verbose` is not 0 (Keras's `ProgbarLogger`): prints `Epoch i/n` and a bar per
 * epoch; validation inside fit is silent. Pass your own instance in `callbacks` to choose the output.
 */
export class ProgbarLogger extends Callback {
  private progbar: Progbar | null = null;
  private target: number | null = null;
  private verbose: 0 | 1 | 2 = 1;
  private epochs = 1;
  private seen = 0;
  private calledInFit = false;
  private readonly output: ProgressOutput | undefined;
  private readonly now: (() => number) | undefined;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    this.output = options.output;
    this.now = options.now;
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    this.verbose = params.verbose ?? 1;
    this.epochs = params.epochs ?? 1;
    this.target = params.steps ?? null;
  }

  private out(): ProgressOutput {
    return this.output ?? defaultOutput();
  }

  private reset(): void {
    this.seen = 0;
    this.progbar = null;
  }

  private bar(): Progbar {
    this.progbar ??= new Progbar(this.target, {
      verbose: this.verbose,
      output: this.out(),
      now: this.now,
      unitName: 'step',
    });
    return this.progbar;
  }

  private updateBar(batch: number, logs?: Logs): void {
    const bar = this.bar();
    this.seen = batch + 1;
    if (this.verbose === 1) bar.update(this.seen, logs ?? {}, false);
  }

  private finalize(logs?: Logs): void {
    const bar = this.bar();
    if (this.target === null) {
      this.target = this.seen;
      bar.target = this.seen;
    }
    bar.update(this.target, logs ?? {}, true);
  }

  override onTrainBegin(): void {
    this.calledInFit = true;
  }

  override onEpochBegin(epoch: number): void {
    this.reset();
    this.bar();
    if (this.verbose && this.epochs > 1) this.out().write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onBatchEnd(batch: number, logs?: Logs): void {
    this.updateBar(batch, logs);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finalize(logs);
  }

  override onTestBegin(): void {
    if (this.calledInFit) return;
    this.reset();
    this.bar();
  }

  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.calledInFit) this.updateBar(batch, logs);
  }

  override onTestEnd(logs?: Logs): void {
    if (!this.calledInFit) this.finalize(logs);
  }

  override onPredictBegin(): void {
    this.reset();
    this.bar();
  }

  override onPredictBatchEnd(batch: number): void {
    this.updateBar(batch);
  }

  override onPredictEnd(): void {
    this.finalize();
  }
}
