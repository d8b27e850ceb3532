/**
 * SVG text without a DOM: escaping and element writing, so charts render the same in Node and browsers.
 */

/** Escapes text for XML character data and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

export type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${escapeXml(typeof value === 'number' ? round(value) : value)}"`;
  }
  return out;
}

/** A coordinate with at most 2 decimals: enough for a picture, and it keeps files small. */
export function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** `<name attrs/>`, or `<name attrs>children</name>`; children are already SVG text. */
export function element(name: string, attrs: Attributes, children?: string): string {
  return children === undefined
    ? `<${name}${attributes(attrs)}/>`
    : `<${name}${attributes(attrs)}>${children}</${name}>`;
}

/** A `<text>` element whose content is escaped. */
export function text(content: string, attrs: Attributes): string {
  return element('text', attrs, escapeXml(content));
}
