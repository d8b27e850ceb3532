/**
 * `npm run demo:browser`: builds the browser demo (examples/browser/) into out/demo-site/ — the page, its script
 * bundled with the library, the CO2 CSV — and serves it on http://127.0.0.1:8000/ (`--port N`; 0 picks a free
 * one) with the cross-origin isolation headers, until Ctrl+C. `--build-only` writes the site and exits.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleForBrowser, serve } from './site/static-site.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes the demo site into `dir` (emptied first) and returns it. */
export async function buildDemoSite(dir = join(ROOT, 'out', 'demo-site')): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await bundleForBrowser({ demo: join(ROOT, 'examples', 'browser', 'demo.ts') }, dir);
  copyFileSync(join(ROOT, 'examples', 'browser', 'index.html'), join(dir, 'index.html'));
  copyFileSync(join(ROOT, 'examples', 'data', 'co2.csv'), join(dir, 'co2.csv'));
  return dir;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '8000' }, 'build-only': { type: 'boolean', default: false } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: expected an integer from 0 to 65535, received ${JSON.stringify(values.port)}`);
  }
  const dir = await buildDemoSite();
  if (values['build-only']) {
    console.log(`wrote ${dir}`);
    return;
  }
  const site = await serve(dir, true, port);
  console.log(`keras-gru demo: ${site.url}  (Ctrl+C stops the server)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
