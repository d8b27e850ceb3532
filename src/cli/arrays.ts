/**
 * The CLI's arrays on disk: reading a model input from `.csv` (rows of numbers, a header line), `.json`
 * (nested arrays) or `.npy`, shaping it for the model, and writing predictions as `.csv`, `.json` or `.npy`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseCsv } from '../data/csv.js';
import { parseNpy, toNpy } from '../data/npy.js';
import { FileFormatError } from '../io/errors.js';
import { tensor, type Tensor } from '../tensor/tensor.js';
import { UsageError } from './errors.js';
import { float32Text, kerasShape } from './format.js';

/** A dense float array and its shape, row-major. */
export interface Array2 {
  data: Float32Array;
  shape: number[];
}

export type ArrayFormat = 'csv' | 'json' | 'npy';

/** The format a file name asks for; `what` names the option in the usage error. */
export function formatOf(path: string, what: string): ArrayFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.json' || ext === '.npy') return ext.slice(1) as ArrayFormat;
  throw new UsageError(`${what} ${path}: expected a .csv, .json or .npy file`);
}

/** Nested arrays of numbers → flat data and shape; ragged or non-number entries name their place. */
function flattenJson(value: unknown, file: string): Array2 {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  if (shape.length === 0) throw new FileFormatError('expected an array (of arrays) of numbers', { file, path: '$' });
  const out: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number')
        throw new FileFormatError(`expected a number, received ${JSON.stringify(v)}`, { file, path });
      out.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new FileFormatError(
        `ragged array: expected ${shape[depth]} entries here like the first, received ${Array.isArray(v) ? v.length : JSON.stringify(v)}`,
        { file, path },
      );
    }
    v.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '$');
  return { data: Float32Array.from(out), shape };
}

/** Reads `.csv` (header line, numbers; [rows, columns]), `.json` or `.npy` into a float array. */
export async function readArray(path: string): Promise<Array2> {
  const format = formatOf(path, '--input');
  const bytes = await readFile(path);
  if (format === 'npy') {
    const t = parseNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
    return { data: Float32Array.from(t.dataSync() as ArrayLike<number>), shape: [...t.shape] };
  }
  const text = bytes.toString('utf8');
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new FileFormatError(`not JSON (${(error as Error).message})`, { file: path });
    }
    return flattenJson(value, path);
  }
  const table = parseCsv(text, { file: path });
  if (table.rowCount === 0) throw new FileFormatError('no data rows', { file: path });
  const t = table.toTensor();
  return { data: t.dataSync() as Float32Array, shape: [...t.shape] };
}

/**
 * The array shaped for a model input of `inputShape` (batch first, null = any): as it is when it fits, or each
 * sample's values read row-major into the input's shape (a CSV row of T·F numbers → [T, F]; one unknown
 * dimension is inferred).
 */
export function fitToInput(array: Array2, inputShape: readonly (number | null)[], file: string): Tensor {
  const sample = inputShape.slice(1);
  const have = array.shape.slice(1);
  const fits = have.length === sample.length && sample.every((d, i) => d === null || d === have[i]);
  if (fits) return tensor(array.data, array.shape);
  const perSample = have.reduce((a, b) => a * b, 1);
  const known = sample.reduce<number>((a, d) => a * (d ?? 1), 1);
  const unknown = sample.filter((d) => d === null).length;
  const want = `samples of shape ${kerasShape(sample)} (${unknown === 0 ? `${known} values` : `a multiple of ${known} values`} each)`;
  if (unknown > 1 || perSample % known !== 0 || (unknown === 0 && perSample !== known)) {
    throw new FileFormatError(
      `an array of shape [${array.shape.join(', ')}] does not fit the model's input ${kerasShape(inputShape)}: expected ${want}`,
      { file },
    );
  }
  const shape = [array.shape[0]!, ...sample.map((d) => d ?? perSample / known)];
  return tensor(array.data, shape);
}

/** Nested arrays of the data (for JSON output). */
function nest(data: ArrayLike<number>, shape: readonly number[], offset = 0): unknown {
  if (shape.length === 0) return Number(float32Text(data[offset]!));
  const stride = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0]! }, (_, i) => nest(data, shape.slice(1), offset + i * stride));
}

/** Predictions as text or bytes: CSV (one row per sample, `output_0`, `output_1`, ... flattened), JSON or `.npy`. */
export function encodeArray(data: Float32Array, shape: readonly number[], format: ArrayFormat): string | Uint8Array {
  if (format === 'npy') return toNpy(tensor(data, [...shape]));
  if (format === 'json') return `${JSON.stringify(nest(data, shape))}\n`;
  const rows = shape[0] ?? 1;
  const width = rows === 0 ? 0 : data.length / rows;
  const lines = [Array.from({ length: width }, (_, i) => `output_${i}`).join(',')];
  for (let r = 0; r < rows; r++)
    lines.push(Array.from(data.subarray(r * width, (r + 1) * width), float32Text).join(','));
  return `${lines.join('\n')}\n`;
}

export async function writeArray(path: string, data: Float32Array, shape: readonly number[]): Promise<void> {
  await writeFile(path, encodeArray(data, shape, formatOf(path, '--output')));
}
