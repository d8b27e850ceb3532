/**
 * `model.summary()`: Keras 3's table, drawn as its `rich` table is drawn for a sequential-like model —
 * columns `Layer (type)`, `Output Shape`, `Param #` at 45% / 80% / 100% of the line (88 characters, or the
 * terminal width − 4 when narrower), heavy header box, a rule between rows, then the parameter totals:
 *
 *     Model: "sequential"
 *     ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
 *     ┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
 *     ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
 *     │ gru (GRU)                            │ (None, 32)                  │           3,552 │
 *     ...
 *      Total params: 3,585 (14.00 KB)
 */
import { InvalidArgumentError } from '../errors.js';
import type { Layer, Shape } from '../layers/layer.js';
import type { DType } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';

/** What the summary needs to know about one row. */
export interface SummaryRow {
  layer: Layer;
  /** Output shape(s), batch first; null when unknown (unbuilt). */
  outputShape: Shape | Shape[] | null;
}

export interface SummaryModel {
  readonly name: string;
  readonly trainableWeights: readonly { shape: readonly number[]; dtype: DType }[];
  readonly nonTrainableWeights: readonly { shape: readonly number[]; dtype: DType }[];
  /** The optimizer's variables (Keras counts them once it is built), else null. */
  readonly optimizerVariables: readonly { shape: readonly number[]; dtype: DType; name?: string }[] | null;
}

export interface SummaryOptions {
  /** Total width of the table. Default: 88, or the terminal width − 4 when smaller. */
  lineLength?: number;
  /** Column positions as fractions of the line (or absolute columns when > 1). Default [0.45, 0.8, 1]. */
  positions?: readonly number[];
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

function formatShapeKeras(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

function formatOutputShape(shape: Shape | Shape[] | null): string {
  if (shape === null) return '?';
  if (shape.length > 0 && Array.isArray(shape[0])) return `[${(shape as Shape[]).map(formatShapeKeras).join(', ')}]`;
  return formatShapeKeras(shape as Shape);
}

export function readableMemorySize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

const count = (ws: readonly { shape: readonly number[] }[]): number => ws.reduce((n, w) => n + sizeOf(w.shape), 0);
// Keras's iteration counter is an int64 variable.
const bytesOf = (ws: readonly { shape: readonly number[]; dtype: DType; name?: string }[]): number =>
  ws.reduce((n, w) => n + sizeOf(w.shape) * (w.name === 'iterations' ? 8 : BYTES[w.dtype]), 0);

/** Python's round() on a non-negative value: ties to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** rich's `ratio_reduce`: takes `total` off `values`, spread evenly. */
function ratioReduce(total: number, values: number[]): number[] {
  let remaining = total;
  let ratio = values.length;
  return values.map((v) => {
    const taken = Math.min(v, roundHalfEven(remaining / ratio));
    remaining -= taken;
    ratio -= 1;
    return v - taken;
  });
}

/** Greedy word wrap to `width`; words longer than the width are cut. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    while (word.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

function terminalColumns(): number {
  const stdout = (globalThis as { process?: { stdout?: { isTTY?: boolean; columns?: number } } }).process?.stdout;
  return stdout?.isTTY && typeof stdout.columns === 'number' ? stdout.columns : 80;
}

/** The summary as lines of text. */
export function summaryLines(model: SummaryModel, rows: readonly SummaryRow[], options: SummaryOptions = {}): string[] {
  const context = `Model '${model.name}'.summary`;
  const lineLength = options.lineLength ?? Math.min(88, terminalColumns() - 4);
  if (!Number.isInteger(lineLength) || lineLength <= 0) {
    throw new InvalidArgumentError({
      argument: 'lineLength',
      expected: 'a positive integer',
      received: lineLength,
      context,
    });
  }
  const positions = options.positions ?? [0.45, 0.8, 1.0];
  if (positions.length !== 3) {
    throw new InvalidArgumentError({
      argument: 'positions',
      expected: 'three column positions',
      received: positions,
      context,
    });
  }
  const requested: number[] = [];
  let current = 0;
  for (const p of positions) {
    const end = p <= 1 ? Math.floor(p * lineLength) : p;
    const width = end - current;
    if (width < 4) {
      throw new InvalidArgumentError({
        argument: 'lineLength',
        expected: 'enough width for the summary columns',
        received: lineLength,
        context,
      });
    }
    requested.push(width);
    current += width;
  }
  // Each cell has one space of padding on both sides; the table (with its 4 borders) fits lineLength.
  let widths = requested.map((w) => w + 2);
  const available = lineLength - 4;
  const total = widths.reduce((a, b) => a + b, 0);
  if (total > available) widths = ratioReduce(total - available, widths);
  const inner = widths.map((w) => w - 2);
  const aligns: ('left' | 'right')[] = ['left', 'left', 'right'];

  const rule = (l: string, h: string, m: string, r: string): string => l + widths.map((w) => h.repeat(w)).join(m) + r;
  const cells = (texts: string[], v: string): string[] => {
    const wrapped = texts.map((t, i) => wrap(t, inner[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let row = 0; row < height; row++) {
      const parts = wrapped.map((w, i) => {
        const text = w[row] ?? '';
        return ` ${aligns[i] === 'right' ? text.padStart(inner[i]!) : text.padEnd(inner[i]!)} `;
      });
      out.push(v + parts.join(v) + v);
    }
    return out;
  };

  const lines: string[] = [`Model: "${model.name}"`];
  lines.push(rule('┏', '━', '┳', '┓'));
  lines.push(...cells(['Layer (type)', 'Output Shape', 'Param #'], '┃'));
  lines.push(rule('┡', '━', '╇', '┩'));
  rows.forEach((row, i) => {
    if (i > 0) lines.push(rule('├', '─', '┼', '┤'));
    const { layer } = row;
    const params = layer.built ? layer.countParams().toLocaleString('en-US') : '0 (unbuilt)';
    lines.push(...cells([`${layer.name} (${layer.className})`, formatOutputShape(row.outputShape), params], '│'));
  });
  lines.push(rule('└', '─', '┴', '┘'));

  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  const optimizer = model.optimizerVariables;
  const optimizerCount = optimizer === null ? 0 : count(optimizer);
  const trainableBytes = bytesOf(model.trainableWeights);
  const nonTrainableBytes = bytesOf(model.nonTrainableWeights);
  const optimizerBytes = optimizer === null ? 0 : bytesOf(optimizer);
  const fmt = (n: number, bytes: number): string => `${n.toLocaleString('en-US')} (${readableMemorySize(bytes)})`;
  lines.push(
    ` Total params: ${fmt(trainable + nonTrainable + optimizerCount, trainableBytes + nonTrainableBytes + optimizerBytes)}`,
  );
  lines.push(` Trainable params: ${fmt(trainable, trainableBytes)}`);
  lines.push(` Non-trainable params: ${fmt(nonTrainable, nonTrainableBytes)}`);
  if (optimizer !== null) lines.push(` Optimizer params: ${fmt(optimizerCount, optimizerBytes)}`);
  return lines;
}
