/**
 * Errors of reading and writing files. Each names the file (a path, a URL, or a label such as `<bytes>` when
 * the caller gave bytes without a name) and where inside it the problem is.
 */
import { KerasGruError } from '../errors.js';

export interface FileFormatErrorDetails {
  /** The file: a path, a URL, or a label given by the caller (`<bytes>` when none). */
  file: string;
  /** The zip member at fault, e.g. `config.json` (for `.keras` archives). */
  member?: string;
  /** The path inside the member or file at fault: an HDF5 path (`/layers/gru/vars`) or a JSON path. */
  path?: string;
  /** The underlying error (e.g. from the HDF5 library or JSON.parse), if any. */
  cause?: unknown;
}

/** The bytes are not what the format says they must be: not a zip, no `config.json`, not HDF5, a missing group. */
export class FileFormatError extends KerasGruError {
  readonly file: string;
  readonly member: string | undefined;
  readonly path: string | undefined;

  constructor(message: string, details: FileFormatErrorDetails) {
    const where = [details.file, details.member, details.path].filter((part) => part !== undefined).join(': ');
    super(`${where}: ${message}`);
    this.file = details.file;
    this.member = details.member;
    this.path = details.path;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

/** Writing would replace an existing file, and `overwrite: true` was not given. */
export class FileExistsError extends KerasGruError {
  readonly file: string;

  constructor(file: string) {
    super(`${file}: file exists; pass { overwrite: true } to replace it`);
    this.file = file;
  }
}

/** The bytes could not be obtained: a failed fetch, an HTTP error status, a path where there is no file system. */
export class SourceError extends KerasGruError {
  readonly source: string;
  /** The HTTP status, when a fetch answered with an error status. */
  readonly status: number | undefined;

  constructor(message: string, source: string, options: { status?: number; cause?: unknown } = {}) {
    super(`${source}: ${message}`);
    this.source = source;
    this.status = options.status;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

export interface WeightsMismatchDetails extends FileFormatErrorDetails {
  /** The model's layer whose weights do not fit. */
  layer: string;
  /** The weight at fault (`gru_cell/kernel`, or `weights[2]`), when one is. */
  weight?: string;
}

/**
 * A file's weights do not fit the model: a layer without its weights, a different number of weights, a weight of
 * another shape, weights for a layer the model does not have. Names the file, the layer and the weight.
 */
export class WeightsMismatchError extends FileFormatError {
  readonly layer: string;
  readonly weight: string | undefined;

  constructor(message: string, details: WeightsMismatchDetails) {
    const what =
      details.weight === undefined ? `layer '${details.layer}'` : `layer '${details.layer}', weight ${details.weight}`;
    super(`${what}: ${message}`, details);
    this.layer = details.layer;
    this.weight = details.weight;
  }
}

export interface OptimizerStateMismatchDetails extends FileFormatErrorDetails {
  /** The optimizer's name (`adam`). */
  optimizer: string;
  /** The optimizer variable at fault (`iterations`, `gru/gru_cell/kernel (momentum)`), when one is. */
  variable?: string;
}

/**
 * A file's optimizer state (`optimizer/vars` of a `.keras`, `optimizer_weights` of a legacy `.h5`) does not fit
 * the compiled optimizer: another number of variables, or a variable of another shape. Names the file, the
 * optimizer and the variable. Nothing is assigned when this is thrown.
 */
export class OptimizerStateMismatchError extends FileFormatError {
  readonly optimizer: string;
  readonly variable: string | undefined;

  constructor(message: string, details: OptimizerStateMismatchDetails) {
    const what =
      details.variable === undefined
        ? `optimizer '${details.optimizer}'`
        : `optimizer '${details.optimizer}', variable ${details.variable}`;
    super(`${what}: ${message}`, details);
    this.optimizer = details.optimizer;
    this.variable = details.variable;
  }
}

/**
 * The error to throw for a failure while reading `file`: a `KerasGruError` as it is, anything else (a library's
 * bare `Error`, a `RangeError` from a damaged length) as a `FileFormatError` naming the file, the original kept
 * as `cause`. Readers check what they can; this keeps the promise for what they could not foresee.
 */
export function asFileError(cause: unknown, file: string): KerasGruError {
  if (cause instanceof KerasGruError) return cause;
  const what = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new FileFormatError(`cannot read the file, damaged or unsupported (${what.slice(0, 300)})`, { file, cause });
}
