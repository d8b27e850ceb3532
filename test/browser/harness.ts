/**
 * The browser suite's machinery: the library bundled for browsers and served from 127.0.0.1 with or without
 * the cross-origin isolation headers (scripts/site/static-site.ts, shared with the demo page), and headless
 * Chromium (the system's /usr/bin/chromium, or $CHROMIUM) driven by playwright-core. Pages load the bundle
 * as `globalThis.kg` and nothing else; the tests run their code in the page with `page.evaluate`.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { bundleForBrowser } from '../../scripts/site/static-site.js';

export { serve, type Site } from '../../scripts/site/static-site.js';

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
  await bundleForBrowser({ index: join(ROOT, 'src', 'index.ts') }, join(site, 'lib'));
  writeFileSync(join(site, 'index.html'), PAGE);
  mkdirSync(join(site, 'fixtures'));
  for (const file of fixtures) copyFileSync(file, join(site, 'fixtures', file.split(sep).pop()!));
  return site;
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
