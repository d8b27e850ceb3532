#!/usr/bin/env node
// The `keras-gru` command. In a source checkout (src/cli/main.ts beside us, tsx installed) it runs the sources
// through tsx, so it never runs a stale build; in an installed package it runs the built dist/cli.js.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/cli.js', import.meta.url);

async function load() {
  if (existsSync(source)) {
    try {
      const { tsImport } = await import('tsx/esm/api');
      return await tsImport(source.href, import.meta.url);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('tsx')) throw error;
      // tsx is not installed (a production install of a checkout): fall back to the build below.
    }
  }
  if (existsSync(built)) return import(built.href);
  process.stderr.write(
    'keras-gru: neither the sources with tsx nor a build (dist/cli.js) were found; run `npm install` or `npm run build`\n',
  );
  process.exit(1);
}

// `keras-gru info m.keras | head` closes the pipe early: that ends the output, it is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error?.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const { main } = await load();
process.exitCode = await main(process.argv);
