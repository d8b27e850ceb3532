/**
 * JSON text as Python's `json.dumps` writes it with its defaults, which is how Keras writes `config.json`,
 * `metadata.json` and the legacy `.h5`'s `model_config`: `", "` and `": "` separators, non-ASCII characters as
 * `\uXXXX`. (Numbers are JavaScript's: a float that Python would print as `1.0` prints as `1`.)
 */
export function pythonJsonDumps(value: unknown): string {
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
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  return JSON.stringify(value) ?? 'null';
}

function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
