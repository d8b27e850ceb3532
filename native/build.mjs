#!/usr/bin/env node
// Builds the optional native backend (native/build/keras_gru_native.node) with the C++ compiler directly:
// `npm install` runs it, as does `npm run build:native`. It never fails an install: without a compiler, Node's
// headers or a supported platform it prints one line and exits 0, and the library runs on its WebAssembly
// kernels. No node-gyp (it would download headers) and no download of any kind. KERAS_GRU_NATIVE=off skips it.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
// KERAS_GRU_NATIVE_OUT: another directory for the build (tests build into a scratch one).
const out = process.env.KERAS_GRU_NATIVE_OUT || join(here, 'build');
const target = join(out, 'keras_gru_native.node');
const cxx = process.env.CXX || 'g++';

/** Node's own headers: next to this Node (an official build), else where Debian's nodejs-dev puts them. */
function nodeHeaders() {
  const candidates = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'];
  if (process.env.KERAS_GRU_NODE_HEADERS) candidates.unshift(process.env.KERAS_GRU_NODE_HEADERS);
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

/** One object file per kernel file and instruction set; KG_ISA names the namespace (native/dispatch.cc). */
function units() {
  const kernels = ['gemm', 'gru_forward', 'gru_backward'];
  const sets = [{ isa: 'generic', vw: 4, flags: [] }];
  if (process.arch === 'x64') {
    sets.push({ isa: 'avx2', vw: 8, flags: ['-mavx2', '-mfma'] });
    sets.push({ isa: 'avx512', vw: 16, flags: ['-mavx512f', '-mavx2', '-mfma', '-mprefer-vector-width=512'] });
  }
  const list = [];
  for (const set of sets) {
    for (const k of kernels) {
      list.push({
        src: `${k}.cc`,
        obj: `${k}.${set.isa}.o`,
        flags: [`-DKG_ISA=${set.isa}`, `-DKG_VW=${set.vw}`, ...set.flags],
      });
    }
  }
  list.push({ src: 'dispatch.cc', obj: 'dispatch.o', flags: [] }, { src: 'pool.cc', obj: 'pool.o', flags: [] });
  list.push({ src: 'napi.cc', obj: 'napi.o', flags: ['-DNODE_GYP_MODULE_NAME=keras_gru_native'] });
  return list;
}

async function build() {
  if (process.env.KERAS_GRU_NATIVE === 'off') return 'skipped (KERAS_GRU_NATIVE=off)';
  if (process.platform === 'win32') return 'skipped on Windows (the WebAssembly kernels run instead)';
  const headers = nodeHeaders();
  if (headers === undefined) return "skipped: Node's headers (node_api.h) not found";
  try {
    await run(cxx, ['--version']);
  } catch {
    return `skipped: no C++ compiler (${cxx})`;
  }
  mkdirSync(out, { recursive: true });
  const common = ['-std=gnu++17', '-O3', '-fPIC', '-ffp-contract=fast', '-fno-exceptions', `-I${headers}`, '-c'];
  const list = units();
  // Two compilers at a time (most machines this runs on have at least two cores).
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < list.length && !failed) {
      const u = list[next++];
      const flags = u.src === 'pool.cc' ? common.filter((f) => f !== '-fno-exceptions') : common;
      await run(cxx, [...flags, ...u.flags, join(here, u.src), '-o', join(out, u.obj)]).catch((e) => {
        failed = true; // the other worker stops after its current file
        throw e;
      });
    }
  };
  await Promise.all([worker(), worker()]);
  const temp = `${target}.tmp`;
  await run(cxx, ['-shared', '-pthread', '-o', temp, ...list.map((u) => join(out, u.obj))]);
  renameSync(temp, target); // a half-written addon is never loaded
  for (const u of list) rmSync(join(out, u.obj), { force: true });
  return `built ${target}`;
}

try {
  console.log(`keras-gru native backend: ${await build()}`);
} catch (e) {
  const first =
    String(e?.stderr || e?.message || e)
      .split('\n')
      .find((l) => l.trim() !== '') ?? 'unknown error';
  console.log(`keras-gru native backend: not built (${first.trim()}); the WebAssembly kernels run instead`);
}
process.exitCode = 0;
