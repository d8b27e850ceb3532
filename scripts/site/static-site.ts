/**
 * What both browser pages need from Node — the browser test suite (test/browser/harness.ts) and the demo page
 * (scripts/serve-demo.ts): TypeScript entry points bundled for browsers as an app's bundler would bundle them, and
 * a static server on 127.0.0.1 that sends the cross-origin isolation headers (COOP/COEP) or not.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/**
 * Bundles `entries` (output name → TypeScript file) into `outdir` as ES modules for browsers, with the lazy
 * chunks (WASM kernels, workers, file formats) split off as the library's dynamic imports ask.
 */
export async function bundleForBrowser(entries: Record<string, string>, outdir: string): Promise<void> {
  await build({
    entryPoints: entries,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir,
    logLevel: 'warning',
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface Site {
  /** The site's address, ending in a slash. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1 (`port` 0: a free one). `isolated`: every response carries
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`, which make the
 * page cross-origin isolated (SharedArrayBuffer, so worker threads); without them it is an ordinary page.
 * Nothing outside `root` is served.
 */
export async function serve(root: string, isolated: boolean, port = 0): Promise<Site> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    let body: Buffer;
    try {
      if (!file.startsWith(root + sep)) throw new Error('outside the site');
      body = readFileSync(file);
    } catch {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response
      .writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(body);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
