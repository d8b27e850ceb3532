/**
 * Python's `str.format` and `repr(float)` for the text Keras callbacks write: checkpoint file names
 * (`'model-{epoch:02d}-{val_loss:.4f}.keras'`) and CSV log values. Supported: `{name}`, `{name:spec}` with
 * spec `[[fill]align][sign][0][width][,][.precision][type]`, types `d f F e E g G % s` (or none), and `{{` `}}`.
 * Integers are Python ints (`{epoch:.2f}` works, as in Python); other numbers are floats (`{loss:d}` is an
 * error, as Python's "Unknown format code 'd' for object of type 'float'").
 */
import { InvalidArgumentError } from '../errors.js';

/** A value to format: a number that is an int or a float in Python, or a string. */
export type PythonValue = { int: number } | number | string;

/** Python's `repr` of a float: the shortest round-trip digits, `1.0` for integral values, `1e-05` style exponents. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exp);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const frac = digits.slice(exponent + 1);
  return `${sign}${intPart}.${frac.length > 0 ? frac : '0'}`;
}

/** The double `v` as m · 2^e with an integer m (exact). */
function decompose(v: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return exponent === 0 ? { m: fraction, e: -1074 } : { m: fraction | (1n << 52n), e: exponent - 1075 };
}

/**
 * `v.toFixed(digits)` rounding an exact tie to even, as Python does (`f'{0.125:.2f}'` is `0.12`; JavaScript's
 * `toFixed` gives `0.13`). `v` ≥ 0. A tie is exact: v · 10^digits has a fractional part of exactly one half.
 */
function toFixedEven(v: number, digits: number): string {
  const text = v.toFixed(digits);
  if (v === 0 || v >= 1e21) return text;
  // v · 2 · 10^digits = m · 5^digits · 2^(e + 1 + digits) must be an odd integer.
  const { m, e } = decompose(v);
  const shift = e + 1 + digits;
  const scaled = m * 5n ** BigInt(digits);
  const odd =
    shift === 0
      ? scaled % 2n === 1n
      : shift < 0 && scaled % (1n << BigInt(-shift)) === 0n && (scaled >> BigInt(-shift)) % 2n === 1n;
  if (!odd) return text;
  // toFixed rounded the tie up; go down when the kept last digit is odd.
  const lastDigit = Number(text[text.length - 1]);
  if (lastDigit % 2 === 0) return text;
  const down = (Number(text.replace('.', '')) - 1).toString().padStart(text.replace('.', '').length, '0');
  return digits === 0 ? down : `${down.slice(0, down.length - digits)}.${down.slice(down.length - digits)}`;
}

interface Spec {
  fill: string;
  align: string | null;
  sign: string;
  zero: boolean;
  width: number;
  comma: boolean;
  precision: number | null;
  type: string;
}

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(0)?(\d+)?(,)?(?:\.(\d+))?([dfFeEgG%s])?$/;

function parseSpec(spec: string, field: string): Spec {
  const m = SPEC.exec(spec);
  if (m === null)
    throw new InvalidArgumentError({
      argument: `format field {${field}}`,
      expected: 'a Python format spec such as 02d or .4f',
      received: spec,
      context: 'format',
    });
  return {
    fill: m[1] ?? (m[4] ? '0' : ' '),
    align: m[2] ?? (m[4] ? '=' : null),
    sign: m[3] ?? '-',
    zero: m[4] !== undefined,
    width: m[5] ? Number(m[5]) : 0,
    comma: m[6] !== undefined,
    precision: m[7] !== undefined ? Number(m[7]) : null,
    type: m[8] ?? '',
  };
}

/** Python's exponent notation: at least two exponent digits. */
function exponential(v: number, precision: number): string {
  return v.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python's `g`: `precision` significant digits, fixed or exponent notation, trailing zeros removed. */
function general(v: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  if (v === 0) return '0';
  const exponent = Number(v.toExponential(p - 1).split('e')[1]);
  const text = exponent >= -4 && exponent < p ? v.toFixed(Math.max(0, p - 1 - exponent)) : exponential(v, p - 1);
  const [mantissa, exp] = text.split('e') as [string, string | undefined];
  const stripped = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exp === undefined ? stripped : `${stripped}e${exp}`;
}

function formatNumber(abs: number, isInt: boolean, spec: Spec, field: string): string {
  if (!Number.isFinite(abs)) return Number.isNaN(abs) ? 'nan' : 'inf';
  switch (spec.type) {
    case 'd':
      if (!isInt)
        throw new InvalidArgumentError({
          argument: `format field {${field}}`,
          expected: "an int for format code 'd'",
          received: 'a float',
          context: 'format',
        });
      return String(abs);
    case 'f':
    case 'F':
      return toFixedEven(abs, spec.precision ?? 6);
    case 'e':
    case 'E': {
      const t = exponential(abs, spec.precision ?? 6);
      return spec.type === 'E' ? t.toUpperCase() : t;
    }
    case 'g':
    case 'G': {
      const t = general(abs, spec.precision ?? 6);
      return spec.type === 'G' ? t.toUpperCase() : t;
    }
    case '%':
      return `${toFixedEven(abs * 100, spec.precision ?? 6)}%`;
    default:
      if (isInt) return String(abs);
      return spec.precision === null ? pythonFloatRepr(abs) : general(abs, spec.precision);
  }
}

function pad(body: string, prefix: string, spec: Spec, numeric: boolean): string {
  const length = body.length + prefix.length;
  if (spec.width <= length) return prefix + body;
  const fill = spec.fill.repeat(spec.width - length);
  const align = spec.align ?? (numeric ? '>' : '<');
  if (align === '=') return prefix + fill + body;
  if (align === '<') return prefix + body + fill;
  if (align === '^') {
    const left = Math.floor((spec.width - length) / 2);
    return spec.fill.repeat(left) + prefix + body + spec.fill.repeat(spec.width - length - left);
  }
  return fill + prefix + body;
}

function formatValue(value: PythonValue, specText: string, field: string): string {
  const spec = parseSpec(specText, field);
  if (typeof value === 'string') {
    if (spec.type !== '' && spec.type !== 's') {
      throw new InvalidArgumentError({
        argument: `format field {${field}}`,
        expected: `a number for format code '${spec.type}'`,
        received: value,
        context: 'format',
      });
    }
    return pad(spec.precision === null ? value : value.slice(0, spec.precision), '', spec, false);
  }
  const isInt = typeof value === 'object';
  const v = isInt ? value.int : value;
  const negative = v < 0 || Object.is(v, -0);
  let body = formatNumber(Math.abs(v), isInt, spec, field);
  if (spec.comma) body = body.replace(/^\d+/, (digits) => digits.replace(/\B(?=(\d{3})+$)/g, ','));
  const prefix = negative ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  return pad(body, prefix, spec, true);
}

/** `template.format(**values)` as Python does it; a field not in `values` is an error naming the available keys. */
export function pythonFormat(template: string, values: Readonly<Record<string, PythonValue>>): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch === '}') {
      if (template[i + 1] === '}') {
        out += '}';
        i++;
        continue;
      }
      throw new InvalidArgumentError({
        argument: 'template',
        expected: "a '}' doubled as '}}' outside fields",
        received: template,
        context: 'format',
      });
    }
    if (ch !== '{') {
      out += ch;
      continue;
    }
    if (template[i + 1] === '{') {
      out += '{';
      i++;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close < 0)
      throw new InvalidArgumentError({
        argument: 'template',
        expected: "every '{' closed by '}'",
        received: template,
        context: 'format',
      });
    const field = template.slice(i + 1, close);
    const colon = field.indexOf(':');
    const name = colon < 0 ? field : field.slice(0, colon);
    const value = values[name];
    if (value === undefined) {
      throw new InvalidArgumentError({
        argument: `format field {${field}}`,
        expected: `one of the names ${Object.keys(values).join(', ')}`,
        received: name,
        context: 'format',
      });
    }
    out += formatValue(value, colon < 0 ? '' : field.slice(colon + 1), name);
    i = close;
  }
  return out;
}
