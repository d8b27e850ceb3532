/**
 * A small XML well-formedness check for the SVG tests: balanced, properly nested tags, quoted attributes without
 * raw `<` or `&`, no duplicate attributes, only the five predefined entities or character references, and one
 * root element. Returns the elements (name, attributes, text) in document order for assertions.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** The element's direct text, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);?/g, (all, body: string) => {
    if (!all.endsWith(';')) throw new Error(`${where}: a bare '&'`);
    if (body in ENTITIES) return ENTITIES[body]!;
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (m === null) throw new Error(`${where}: unknown entity &${body};`);
    return String.fromCodePoint(m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : parseInt(m[1]!, 10));
  });
}

export function parseXml(source: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let roots = 0;
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const chunk = source.slice(i, lt < 0 ? source.length : lt);
    if (chunk.includes('>')) throw new Error(`a raw '>' in text at ${i}`);
    if (chunk.trim() !== '') {
      if (stack.length === 0) throw new Error(`text outside the root element at ${i}`);
      stack.at(-1)!.text += decode(chunk, `text at ${i}`);
    }
    if (lt < 0) break;
    const gt = source.indexOf('>', lt);
    if (gt < 0) throw new Error(`an unclosed tag at ${lt}`);
    const tag = source.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('?')) continue;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open === undefined || open.name !== name)
        throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nameMatch = /^([^\s]+)/.exec(body);
    if (nameMatch === null || !NAME.test(nameMatch[1]!)) throw new Error(`a bad tag name at ${lt}: <${tag}>`);
    const attrs: Record<string, string> = {};
    let rest = body.slice(nameMatch[1]!.length);
    const attr = /^\s+([^\s=]+)="([^"]*)"/;
    for (let m = attr.exec(rest); m !== null; m = attr.exec(rest)) {
      const [all, key, raw] = m as unknown as [string, string, string];
      if (!NAME.test(key)) throw new Error(`a bad attribute name ${key} at ${lt}`);
      if (key in attrs) throw new Error(`a duplicate attribute ${key} at ${lt}`);
      if (raw.includes('<')) throw new Error(`a raw '<' in attribute ${key} at ${lt}`);
      attrs[key] = decode(raw, `attribute ${key} at ${lt}`);
      rest = rest.slice(all.length);
    }
    if (rest.trim() !== '') throw new Error(`a malformed attribute at ${lt}: ${rest.trim().slice(0, 30)}`);
    const element: XmlElement = { name: nameMatch[1]!, attrs, text: '' };
    if (stack.length === 0) roots++;
    if (roots > 1) throw new Error(`a second root element <${element.name}> at ${lt}`);
    elements.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}

/** The points of an SVG path's d attribute (M and L commands with absolute x y pairs). */
export function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}
