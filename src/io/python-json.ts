/**
 * A number that Python holds as a float: written `1.0`, not `1`, where it is integral. Keras reads some config
 * values by their Python type (a schedule's `initial_learning_rate` of `0` would make its tensors integers), so
 * writers wrap such values; `JSON.stringify` still sees the plain number.
 */
export class PythonFloat {
  constructor(readonly value: number) {}

  toJSON(): number {
    return this.value;
  }

  /** The text Python's `json.dumps` gives for this float. */
  toPythonJson(): string {
    return Number.isInteger(this.value) && Math.abs(this.value) < 1e16
      ? this.value.toFixed(1)
      : pythonJsonDumps(this.value);
  }
}

/**
 * JSON text as Python's `json.dumps` writes it with its defaults, which is how Keras writes `config.json`,
 * `metadata.json` and the legacy `.h5`'s `model_config`: `", "` and `": "` separators, non-ASCII characters as
 * `\uXXXX`. (Numbers are JavaScript's: a float that Python would print as `1.0` prints as `1`, unless it is
 * given as a `PythonFloat`.)
 */
export function pythonJsonDumps(value: unknown): string {
  if (value instanceof PythonFloat) return value.toPythonJson();
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item ?? null)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === 'function') return pythonJsonDumps(toJSON.call(value));
    const items = Object.entries(value)
      .filter(([, item]) => item !== undefined && typeof item !== 'function')
      .map(([key, item]) => `${asciiJson(key)}: ${pythonJsonDumps(item)}`);
    return `{${items.join(', ')}}`;
  }
  if (typeof value === 'string') return asciiJson(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  return JSON.stringify(value) ?? 'null';
}

function asciiJson(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
