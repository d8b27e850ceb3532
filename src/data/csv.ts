/**
 * CSV files as tables of numbers: `readCsv` (a path in Node, a URL, bytes or a Blob) and `parseCsv` (text).
 * Parsing (quotes, embedded delimiters and newlines) is papaparse's; this module checks the shape of the table
 * and turns columns into numbers, with a `CsvError` naming the row, the line and the column of anything that
 * does not fit: a row with more or fewer fields than the header, a value that is not a number.
 *
 *     const table = await readCsv('co2.csv');
 *     const co2 = table.column('co2', { missing: 'nan' });   // Float64Array, NaN where the file is empty
 *
 * Values are parsed as decimal numbers only (`12`, `-1.5e-3`, `.5`, `nan`, `inf`): `0x1A`, `1,5` or `12 kg`
 * are errors, not silently converted.
 */
import Papa from 'papaparse';
import { InvalidArgumentError } from '../errors.js';
import { readSource, type ByteSource, type ReadSourceOptions } from '../io/source.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { CsvError } from './errors.js';

export interface CsvOptions {
  /** The field separator. Default `,`. */
  delimiter?: string;
  /** The first record names the columns. Default true; false names them `0`, `1`, ... */
  header?: boolean;
}

export interface ParseCsvOptions extends CsvOptions {
  /** A name for the text in error messages. Default `<text>`. */
  file?: string;
}

export interface ColumnOptions {
  /** An empty field: an error (default), or NaN (fill it yourself, e.g. by interpolation). */
  missing?: 'error' | 'nan';
}

export interface TensorOptions extends ColumnOptions {
  /** Default `float32`. */
  dtype?: 'float32' | 'float64';
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL: Readonly<Record<string, number>> = {
  nan: Number.NaN,
  '+nan': Number.NaN,
  '-nan': Number.NaN,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
};

/** A decimal number (surrounding spaces allowed), `nan` or `inf`; null when the text is not one. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  const special = SPECIAL[t.toLowerCase()];
  return special === undefined ? null : special;
}

/** A parsed CSV file: column names and rows of fields (strings), every row as long as the header. */
export class CsvTable {
  readonly file: string;
  readonly columns: readonly string[];
  private readonly rows: readonly (readonly string[])[];
  /** The file line (1-based) where each row starts. */
  private readonly lines: readonly number[];

  /** @internal Use `parseCsv` or `readCsv`. */
  constructor(
    file: string,
    columns: readonly string[],
    rows: readonly (readonly string[])[],
    lines: readonly number[],
  ) {
    this.file = file;
    this.columns = Object.freeze([...columns]);
    this.rows = rows;
    this.lines = lines;
  }

  /** The number of data rows (the header not counted). */
  get rowCount(): number {
    return this.rows.length;
  }

  /** Whether a column of this name exists. */
  has(column: string): boolean {
    return this.columns.includes(column);
  }

  /** The index of a column given by name or by 0-based index. */
  columnIndex(column: string | number): number {
    if (typeof column === 'number') {
      if (Number.isInteger(column) && column >= 0 && column < this.columns.length) return column;
    } else if (typeof column === 'string') {
      const index = this.columns.indexOf(column);
      if (index >= 0) return index;
    }
    throw new CsvError(
      `no such column: ${JSON.stringify(column)}; the columns are ${this.columns.map((c) => JSON.stringify(c)).join(', ')}`,
      {
        file: this.file,
      },
    );
  }

  /** The fields of one column, as written. */
  strings(column: string | number): string[] {
    const index = this.columnIndex(column);
    return this.rows.map((row) => row[index]!);
  }

  /** One column as numbers; a field that is not a number is a `CsvError` naming its row and line. */
  column(column: string | number, options: ColumnOptions = {}): Float64Array {
    const index = this.columnIndex(column);
    const missing = checkMissing(options.missing);
    const out = new Float64Array(this.rows.length);
    for (let r = 0; r < this.rows.length; r++) out[r] = this.number(r, index, missing);
    return out;
  }

  /** The columns (default: all) as a `[rows, columns]` tensor. */
  toTensor(columns?: readonly (string | number)[], options: TensorOptions = {}): Tensor {
    const indices = (columns ?? this.columns.map((_, i) => i)).map((c) => this.columnIndex(c));
    const missing = checkMissing(options.missing);
    const dtype: DType = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new InvalidArgumentError({
        argument: 'dtype',
        expected: "'float32' or 'float64'",
        received: dtype,
        context: 'CsvTable.toTensor',
      });
    }
    const values =
      dtype === 'float32'
        ? new Float32Array(this.rows.length * indices.length)
        : new Float64Array(this.rows.length * indices.length);
    for (let r = 0; r < this.rows.length; r++) {
      indices.forEach((c, k) => (values[r * indices.length + k] = this.number(r, c, missing)));
    }
    return new Tensor(values, [this.rows.length, indices.length], dtype);
  }

  private number(r: number, c: number, missing: 'error' | 'nan'): number {
    const text = this.rows[r]![c]!;
    if (text.trim() === '') {
      if (missing === 'nan') return Number.NaN;
      throw this.fieldError(r, c, "the field is empty (pass { missing: 'nan' } to read empty fields as NaN)");
    }
    const value = parseDecimal(text);
    if (value === null) throw this.fieldError(r, c, `${JSON.stringify(text)} is not a number`);
    return value;
  }

  private fieldError(r: number, c: number, message: string): CsvError {
    return new CsvError(message, { file: this.file, row: r + 1, line: this.lines[r]!, column: this.columns[c]! });
  }
}

function checkMissing(value: unknown): 'error' | 'nan' {
  if (value === undefined) return 'error';
  if (value !== 'error' && value !== 'nan') {
    throw new InvalidArgumentError({
      argument: 'missing',
      expected: "'error' or 'nan'",
      received: value,
      context: 'CsvTable',
    });
  }
  return value;
}

function checkCsvOptions(options: unknown, context: string): { delimiter: string; header: boolean } {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', expected: 'an options object', received: options, context });
  }
  const { delimiter = ',', header = true } = options as CsvOptions;
  if (typeof delimiter !== 'string' || delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
    throw new InvalidArgumentError({
      argument: 'delimiter',
      expected: 'a non-empty string without quotes or newlines',
      received: delimiter,
      context,
    });
  }
  if (typeof header !== 'boolean')
    throw new InvalidArgumentError({ argument: 'header', expected: 'a boolean', received: header, context });
  return { delimiter, header };
}

/** Parses CSV text into a table (see the module comment). Blank lines are skipped. */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  const context = 'parseCsv';
  if (typeof text !== 'string')
    throw new InvalidArgumentError({ argument: 'text', expected: 'a string', received: text, context });
  const { delimiter, header } = checkCsvOptions(options, context);
  const file = options.file ?? '<text>';
  // One line ending, so that line numbers count every kind; a leading byte-order mark is not data.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const records: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  let counted = 0;
  let failure: CsvError | null = null;
  Papa.parse<string[]>(normalized, {
    delimiter,
    newline: '\n',
    skipEmptyLines: false,
    step: (result, parser) => {
      const start = counted;
      const fields = result.data;
      if (result.errors.length > 0 && failure === null) {
        failure = new CsvError(result.errors[0]!.message.toLowerCase(), { file, line });
        parser.abort();
        return;
      }
      if (!(fields.length === 1 && fields[0]!.trim() === '')) {
        records.push(fields);
        lines.push(line);
      }
      // Advance the line count to where the next record starts.
      const end = result.meta.cursor;
      for (let i = start; i < end; i++) if (normalized.charCodeAt(i) === 10) line++;
      counted = end;
    },
  });
  if (failure !== null) throw failure;
  if (records.length === 0) throw new CsvError('the file has no rows', { file });
  const columns = header ? records[0]!.map((name) => name.trim()) : records[0]!.map((_, i) => String(i));
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate !== undefined)
    throw new CsvError(`the header names the column ${JSON.stringify(duplicate)} twice`, { file, line: 1 });
  const rows = header ? records.slice(1) : records;
  const rowLines = header ? lines.slice(1) : lines;
  rows.forEach((row, r) => {
    if (row.length !== columns.length) {
      const what = header ? 'the header has' : 'the first row has';
      throw new CsvError(`${row.length} field${row.length === 1 ? '' : 's'}, ${what} ${columns.length}`, {
        file,
        row: r + 1,
        line: rowLines[r]!,
      });
    }
  });
  return new CsvTable(file, columns, rows, rowLines);
}

/** Reads a CSV file (a path in Node, a URL, bytes, a Blob) as UTF-8 and parses it (see `parseCsv`). */
export async function readCsv(source: ByteSource, options: CsvOptions & ReadSourceOptions = {}): Promise<CsvTable> {
  const { bytes, name } = await readSource(source, options);
  const { fetch: _fetch, signal: _signal, ...csv } = options;
  return parseCsv(new TextDecoder('utf-8').decode(bytes), { ...csv, file: name });
}
