/** Errors of the data helpers: a CSV whose rows or values are not what a numeric table needs. */
import { FileFormatError } from '../io/errors.js';

export interface CsvErrorDetails {
  /** The file (a path, a URL, or a label such as `<text>`). */
  file: string;
  /** The line of the file (1-based, the header is line 1) where the bad record starts. */
  line?: number;
  /** The data row (1-based, the header not counted). */
  row?: number;
  /** The column's name (or its 0-based index when the file has no header). */
  column?: string;
}

/**
 * A CSV file cannot be read as a table of numbers: a row with more or fewer fields than the header, a value
 * that is not a number, a column that does not exist. Names the file, the row and line, and the column.
 */
export class CsvError extends FileFormatError {
  readonly line: number | undefined;
  readonly row: number | undefined;
  readonly column: string | undefined;

  constructor(message: string, details: CsvErrorDetails) {
    const at = [
      details.row !== undefined ? `row ${details.row}` : undefined,
      details.line !== undefined ? `line ${details.line}` : undefined,
      details.column !== undefined ? `column '${details.column}'` : undefined,
    ].filter((part) => part !== undefined);
    super(at.length > 0 ? `${at.join(', ')}: ${message}` : message, { file: details.file });
    this.line = details.line;
    this.row = details.row;
    this.column = details.column;
  }
}
