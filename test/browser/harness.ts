/**
 * The browser suite's machinery: the library bundled for browsers (as an app's bundler would bundle it), a
 * static server on 127.0.0.1 that sends the cross-origin isolation headers (COOP/COEP) or not, and headless
 * Chromium (the system's /usr/bin/chromium, or $CHROMIUM) driven by playwright-core. Pages load the bundle
 * as `globalThis.kg` and nothing else; the tests run their code in the page with `page.evaluate`.
 */
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** What a test page holds: the library (test code in `page.evaluate` reads it from here). */
export interface PageGlobals {
  kg: typeof import('../../src/index.js');
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>keras-gru browser tests</title>
<script type="module">
  import * as kg from './lib/index.js';
  globalThis.kg = kg;
</script>
`;

/**
 * Writes the site: index.html, lib/ (src/index.ts bundled for browsers, ES modules with the lazy chunks split
 * off) and fixtures/ (the given files). Returns its folder.
 */
export async function buildSite(fixtures: readonly string[]): Promise<string> {
  const site = mkdtempSync(join(tmpdir(), 'keras-gru-browser-'));
  await build({
    entryPoints: { index: join(ROOT, 'src', 'index.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir: join(site, 'lib'),
    logLevel: 'warning',
  });
  writeFileSync(join(site, 'index.html'), PAGE);
  mkdirSync(join(site, 'fixtures'));
  for (const file of fixtures) copyFileSync(file, join(site, 'fixtures', file.split(sep).pop()!));
  return site;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};

export interface Site {
  /** The site's address, ending in a slash. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1 (a free port). `isolated`: every response carries
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`, which make the
 * page cross-origin isolated (SharedArrayBuffer, so worker threads); without them it is an ordinary page.
 */
export async function serve(root: string, isolated: boolean): Promise<Site> {
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
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Headless Chromium with a fresh profile. */
export function launch(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install it (Debian: apt-get install chromium) or set CHROMIUM to its path`,
    );
  }
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'keras-gru-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface TestPage {
  readonly page: Page;
  /** Uncaught errors and console errors the page reported so far (failed requests aside). */
  readonly errors: string[];
}

/** A new page at `url` with the library loaded (nothing of it called yet). */
export async function openPage(context: BrowserContext, url: string): Promise<TestPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // A failed request logs "Failed to load resource" too: the tests that make one check its error themselves.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => 'kg' in globalThis);
  return { page, errors };
}
