/** Deterministic initializers: Zeros, Ones, Constant, Identity. */
import { ShapeError } from '../errors.js';
import { ConfigReader } from '../serialization/serialize-object.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { fill, Tensor } from '../tensor/tensor.js';
import { checkCall, checkFinite, Initializer } from './initializer.js';

/** All zeros. Config `{}`. */
export class Zeros extends Initializer {
  readonly className: string = 'Zeros';

  call(shape: readonly number[], dtype?: DType): Tensor {
    const c = checkCall(this.className, shape, dtype, false);
    return new Tensor(allocate(c.dtype, sizeOf(c.shape)), c.shape, c.dtype);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig(reader: ConfigReader): Zeros {
    reader.finish();
    return new Zeros();
  }
}

/** All ones. Config `{}`. */
export class Ones extends Initializer {
  readonly className: string = 'Ones';

  call(shape: readonly number[], dtype?: DType): Tensor {
    const c = checkCall(this.className, shape, dtype, false);
    return fill(c.shape, 1, c.dtype);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig(reader: ConfigReader): Ones {
    reader.finish();
    return new Ones();
  }
}

/** Every element equal to `value` (a scalar, default 0). Config `{ value }`. */
export class Constant extends Initializer {
  readonly className: string = 'Constant';
  readonly value: number;

  constructor(options: { value?: number } = {}) {
    super();
    this.value = checkFinite(options.value ?? 0, 'value', 'Constant');
  }

  call(shape: readonly number[], dtype?: DType): Tensor {
    const c = checkCall(this.className, shape, dtype, false);
    return fill(c.shape, this.value, c.dtype);
  }

  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }

  static fromConfig(reader: ConfigReader): Constant {
    const value = reader.number('value', 0);
    reader.finish();
    return new Constant({ value });
  }
}

/** `gain` times the identity matrix (2-D shapes only; rectangular allowed, like `eye(rows, cols)`). */
export class Identity extends Initializer {
  readonly className: string = 'Identity';
  readonly gain: number;

  constructor(options: { gain?: number } = {}) {
    super();
    this.gain = checkFinite(options.gain ?? 1, 'gain', 'Identity');
  }

  call(shape: readonly number[], dtype?: DType): Tensor {
    const c = checkCall(this.className, shape, dtype, false);
    if (c.shape.length !== 2) {
      throw new ShapeError({
        argument: 'shape',
        expected: 'a 2-D shape',
        received: formatShape(c.shape),
        context: 'Identity.call',
      });
    }
    const [rows, cols] = c.shape as [number, number];
    const out = allocate(c.dtype, rows * cols);
    for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = this.gain;
    return new Tensor(out, c.shape, c.dtype);
  }

  getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }

  static fromConfig(reader: ConfigReader): Identity {
    const gain = reader.number('gain', 1);
    reader.finish();
    return new Identity({ gain });
  }
}
