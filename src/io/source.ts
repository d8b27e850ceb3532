/**
 * Where bytes come from: a file path (Node), a URL (fetched; `file:` URLs read from disk in Node; in a browser a
 * relative one like `'model.keras'` is resolved against the page, as `fetch` would), or bytes already in hand
 * (`ArrayBuffer`, any typed array or `DataView`, a `Blob`/`File` in browsers).
 */
import { SourceError } from './errors.js';
import { toBytes } from './h5-read.js';

export type ByteSource = string | URL | ArrayBuffer | ArrayBufferView | Blob;

export interface ReadSourceOptions {
  /** The fetch to use for URLs; default the global `fetch`. */
  fetch?: (input: string, init?: { signal?: AbortSignal }) => Promise<Response>;
  signal?: AbortSignal;
}

export interface SourceBytes {
  bytes: Uint8Array;
  /** The path, URL or file name, for messages; `<bytes>` for bytes given directly. */
  name: string;
}

/** A string with a URL scheme of two or more letters (so `C:\model.keras` stays a path). */
function isUrlString(text: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(text);
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** The URL relative references resolve against outside Node: the page's (or a worker's) address. */
function pageBase(): string | undefined {
  const g = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return g.document?.baseURI ?? g.location?.href;
}

async function readPath(path: string | URL): Promise<Uint8Array> {
  if (!isNode()) throw new SourceError('reading a file path needs Node.js; pass a URL or the bytes', String(path));
  const { readBytesFromPath } = await import('./node.js');
  return readBytesFromPath(path);
}

async function fetchBytes(url: string, options: ReadSourceOptions): Promise<Uint8Array> {
  const fetcher = options.fetch ?? globalThis.fetch;
  if (typeof fetcher !== 'function') throw new SourceError('no fetch available to load a URL', url);
  let response: Response;
  try {
    response = await fetcher(url, options.signal ? { signal: options.signal } : undefined);
  } catch (cause) {
    throw new SourceError(`fetch failed: ${(cause as Error).message}`, url, { cause });
  }
  if (!response.ok)
    throw new SourceError(`HTTP ${response.status} ${response.statusText}`.trim(), url, { status: response.status });
  return new Uint8Array(await response.arrayBuffer());
}

/** The bytes of `source` and a name for it. */
export async function readSource(source: ByteSource, options: ReadSourceOptions = {}): Promise<SourceBytes> {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return { bytes: toBytes(source), name: '<bytes>' };
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const fileName: unknown = (source as Blob & { name?: unknown }).name;
    const name = typeof fileName === 'string' ? fileName : '<blob>';
    return { bytes: new Uint8Array(await source.arrayBuffer()), name };
  }
  const url =
    source instanceof URL ? source : typeof source === 'string' && isUrlString(source) ? new URL(source) : undefined;
  if (url === undefined) {
    if (typeof source !== 'string') throw new SourceError('expected a path, a URL or bytes', String(source));
    const base = isNode() ? undefined : pageBase();
    if (base === undefined) return { bytes: await readPath(source), name: source };
    const resolved = new URL(source, base).href;
    return { bytes: await fetchBytes(resolved, options), name: resolved };
  }
  if (url.protocol === 'file:') return { bytes: await readPath(url), name: url.href };
  return { bytes: await fetchBytes(url.href, options), name: url.href };
}

/**
 * The source of a file next to `source` (a TF.js shard next to its `model.json`): resolved against a URL, or
 * joined to a path's directory. Undefined when `source` was bytes.
 */
export function siblingSource(source: ByteSource, name: string): string | URL | undefined {
  if (source instanceof URL) return new URL(name, source);
  if (typeof source !== 'string') return undefined;
  if (isUrlString(source)) return new URL(name, source);
  const slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
  return slash < 0 ? name : `${source.slice(0, slash + 1)}${name}`;
}
