/**
 * keras-gru in a real browser (headless Chromium, `npm run test:browser`), on pages served from 127.0.0.1:
 * one cross-origin isolated (COOP/COEP headers: SharedArrayBuffer, worker threads), one not. Numbers are held
 * to the Keras fixtures at the Node tolerances (2e-6 for a layer, 1e-6 for the model file); the runtime state
 * the page reads (backend, threads) must be what calls get; bad input is the same typed error as in Node. The
 * only timed assertion is threads' "faster or equal": the minimum of several interleaved runs of a 0.9 GFLOP
 * call, with 10% slack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { FIXTURE_DIR, loadFixture, type ForwardFixture } from '../helpers/fixtures.js';
import { buildSite, launch, openPage, serve, type PageGlobals, type Site, type TestPage } from './harness.js';

interface ModelFixture {
  inputs: { x: { shape: number[]; data: number[] } };
  outputs: { shape: number[]; data: number[] }[];
}

const layerFixture = loadFixture<ForwardFixture>('fwd-seq-state');
const modelFixture = JSON.parse(readFileSync(join(FIXTURE_DIR, 'model-forecaster.json'), 'utf8')) as ModelFixture;

let context: BrowserContext;
let isolated: Site;
let plain: Site;
const pages: TestPage[] = [];

beforeAll(async () => {
  const site = await buildSite([join(FIXTURE_DIR, 'models', 'forecaster.keras')]);
  [isolated, plain, context] = await Promise.all([serve(site, true), serve(site, false), launch()]);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await Promise.all([isolated?.close(), plain?.close()]);
});

async function open(site: Site): Promise<TestPage> {
  const page = await openPage(context, site.url);
  pages.push(page);
  return page;
}

const maxAbsDiff = (a: readonly number[], b: readonly number[]): number => {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
};

/** The GRU of a forward fixture, built in the page from its Keras config and weights, applied to its input. */
async function predictLayer({ page }: TestPage, fx: ForwardFixture): Promise<number[][]> {
  return page.evaluate(async (fx) => {
    const { kg } = globalThis as unknown as PageGlobals;
    await kg.ready();
    const layer = kg.GRU.fromConfig(fx.keras_config);
    layer.build(fx.inputs.x.shape);
    layer.setWeights(fx.weights.map((w) => kg.tensor(w.data, w.shape)));
    const out = layer.apply(kg.tensor(fx.inputs.x.data, fx.inputs.x.shape));
    return (Array.isArray(out) ? out : [out]).map((t) => Array.from(t.dataSync() as ArrayLike<number>));
  }, fx);
}

function expectLayerFixture(outputs: number[][]): void {
  expect(outputs.length).toBe(layerFixture.outputs.length);
  outputs.forEach((o, i) => expect(maxAbsDiff(o, layerFixture.outputs[i]!.data)).toBeLessThan(2e-6));
}

describe('a cross-origin isolated page (COOP/COEP)', () => {
  let tab: TestPage;
  beforeAll(async () => {
    tab = await open(isolated);
  });

  it('is isolated; the WASM kernels compile at once here (Chromium compiles small modules synchronously)', async () => {
    const state = await tab.page.evaluate(async () => {
      const { kg } = globalThis as unknown as PageGlobals;
      const before = kg.getBackend().name;
      const live = await kg.ready();
      return {
        isolated: crossOriginIsolated,
        shared: typeof SharedArrayBuffer,
        before,
        live,
        after: kg.getBackend().name,
      };
    });
    expect(state).toEqual({ isolated: true, shared: 'function', before: 'wasm', live: true, after: 'wasm' });
  });

  it("where the main thread refuses synchronous compiles: 'reference' until ready() resolves, then 'wasm'", async () => {
    const other = await open(isolated);
    const state = await other.page.evaluate(async () => {
      const { kg } = globalThis as unknown as PageGlobals;
      // What browsers do with large modules (and Chromium did with any over 4 kB): refuse them synchronously.
      WebAssembly.Module = function refuse(): never {
        throw new RangeError(
          'WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB',
        );
      } as unknown as typeof WebAssembly.Module;
      const before = kg.getBackend().name;
      const threads = kg.getThreads();
      const live = await kg.ready();
      return { before, threads, live, after: kg.getBackend().name };
    });
    expect(state).toEqual({ before: 'reference', threads: 1, live: true, after: 'wasm' });
    expect(other.errors).toEqual([]);
  });

  it("builds a GRU from a Keras config and predicts Keras's numbers", async () => {
    expectLayerFixture(await predictLayer(tab, layerFixture));
  });

  it('loads a .keras file by relative URL and by fetched bytes, and predicts as Keras did', async () => {
    const got = await tab.page.evaluate(async (x) => {
      const { kg } = globalThis as unknown as PageGlobals;
      const predict = (m: { predict(x: Tensor): Tensor | Tensor[] }): number[] =>
        Array.from((m.predict(kg.tensor(x.data, x.shape)) as Tensor).dataSync() as ArrayLike<number>);
      const byUrl = await kg.loadModel('fixtures/forecaster.keras');
      const bytes = await (await fetch('fixtures/forecaster.keras')).arrayBuffer();
      const byBytes = await kg.loadModel(bytes);
      return { byUrl: predict(byUrl), byBytes: predict(byBytes) };
    }, modelFixture.inputs.x);
    expect(maxAbsDiff(got.byUrl, modelFixture.outputs[0]!.data)).toBeLessThan(1e-6);
    expect(maxAbsDiff(got.byBytes, modelFixture.outputs[0]!.data)).toBeLessThan(1e-6);
  });

  it('saves with toBytes and reloads the same model', async () => {
    const got = await tab.page.evaluate(async (x) => {
      const { kg } = globalThis as unknown as PageGlobals;
      const input = kg.tensor(x.data, x.shape);
      const model = await kg.loadModel('fixtures/forecaster.keras');
      const bytes = await model.toBytes();
      const again = await kg.loadModel(bytes);
      return {
        zip: Array.from(bytes.subarray(0, 2)),
        before: Array.from((model.predict(input) as Tensor).dataSync() as ArrayLike<number>),
        after: Array.from((again.predict(input) as Tensor).dataSync() as ArrayLike<number>),
        weights: again.getWeights().map((w) => w.shape),
      };
    }, modelFixture.inputs.x);
    expect(got.zip).toEqual([0x50, 0x4b]); // "PK": a zip archive, as .keras files are
    expect(got.after).toEqual(got.before);
    expect(got.weights.length).toBeGreaterThan(0);
  });

  it('threads: setThreads(2) resolves once both run; the same bits as one thread, faster or equal', async () => {
    const got = await tab.page.evaluate(async () => {
      const { kg } = globalThis as unknown as PageGlobals;
      await kg.ready();
      const [B, T, I, U] = [64, 100, 64, 128]; // 2·B·T·3U·(I+U) ≈ 0.94 GFLOP a call
      kg.setRandomSeed(7);
      const layer = new kg.GRU({ units: U, returnSequences: true });
      const x = kg.tensor(
        Float32Array.from({ length: B * T * I }, (_, i) => Math.sin(i * 0.37)),
        [B, T, I],
      );
      const call = (): Float32Array => Float32Array.from((layer.apply(x) as Tensor).dataSync() as ArrayLike<number>);
      const ready = await kg.setThreads(2);
      const reported = kg.getThreads();
      const best: Record<number, number> = { 1: Infinity, 2: Infinity };
      const outputs: Record<number, Float32Array> = {};
      call(); // builds the layer, packs the weights
      for (let round = 0; round < 8; round++) {
        for (const n of [1, 2]) {
          await kg.setThreads(n);
          const started = performance.now();
          outputs[n] = call();
          best[n] = Math.min(best[n]!, performance.now() - started);
        }
      }
      const one = new Uint32Array(outputs[1]!.buffer);
      const two = new Uint32Array(outputs[2]!.buffer);
      return {
        ready,
        reported,
        ms1: best[1]!,
        ms2: best[2]!,
        length: one.length,
        differing: one.filter((bits, i) => bits !== two[i]).length,
      };
    });
    expect(got).toMatchObject({ ready: 2, reported: 2, length: 64 * 100 * 128, differing: 0 });
    expect(got.ms2, `1 thread ${got.ms1.toFixed(1)} ms, 2 threads ${got.ms2.toFixed(1)} ms`).toBeLessThanOrEqual(
      got.ms1 * 1.1,
    );
  });

  it('bad input is the typed error, as in Node', async () => {
    const got = await tab.page.evaluate(async () => {
      const { kg } = globalThis as unknown as PageGlobals;
      const caught = async (run: () => unknown): Promise<unknown> => {
        try {
          await run();
          return 'no error';
        } catch (e) {
          return e;
        }
      };
      const units = await caught(() => new kg.GRU({ units: -1 }));
      const shape = await caught(() => new kg.GRU({ units: 2 }).apply(kg.tensor([1, 2, 3], [3])));
      const missing = await caught(() => kg.loadModel('fixtures/missing.keras'));
      const threads = await caught(() => kg.setThreads(0));
      const describe = (e: unknown, type: new (...args: never[]) => Error) => ({
        typed: e instanceof type && e instanceof kg.KerasGruError,
        name: (e as Error).name,
        message: (e as Error).message,
      });
      return {
        units: {
          ...describe(units, kg.InvalidArgumentError),
          argument: (units as InstanceType<typeof kg.InvalidArgumentError>).argument,
        },
        shape: describe(shape, kg.ShapeError),
        missing: { ...describe(missing, kg.SourceError), status: (missing as { status?: number }).status },
        threads: {
          ...describe(threads, kg.InvalidArgumentError),
          argument: (threads as InstanceType<typeof kg.InvalidArgumentError>).argument,
        },
      };
    });
    expect(got.units).toMatchObject({ typed: true, name: 'InvalidArgumentError', argument: 'units' });
    expect(got.shape).toMatchObject({ typed: true, name: 'ShapeError' });
    expect(got.missing).toMatchObject({ typed: true, name: 'SourceError', status: 404 });
    expect(got.missing.message).toContain('/fixtures/missing.keras');
    expect(got.threads).toMatchObject({ typed: true, name: 'InvalidArgumentError', argument: 'n' });
  });

  // fit yields to the event loop between batches (every ~12 ms of work): a 10 ms timer keeps ticking.
  it('a timer keeps ticking while fit trains', async () => {
    const got = await tab.page.evaluate(async () => {
      const { kg } = globalThis as unknown as PageGlobals;
      await kg.ready();
      kg.setRandomSeed(3);
      const [N, T, I] = [256, 40, 4];
      const x = kg.tensor(
        Float32Array.from({ length: N * T * I }, (_, i) => Math.sin(i * 0.11)),
        [N, T, I],
      );
      const y = kg.tensor(
        Float32Array.from({ length: N }, (_, i) => Math.cos(i * 0.3)),
        [N, 1],
      );
      const model = new kg.Sequential([
        kg.input({ shape: [T, I] }),
        new kg.GRU({ units: 64 }),
        new kg.Dense({ units: 1 }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'mse' });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const started = performance.now();
      await model.fit(x, y, { epochs: 6, batchSize: 16, verbose: 0 });
      const ms = performance.now() - started;
      clearInterval(timer);
      // An AbortSignal aborted from a timer stops the next fit between batches.
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const aborted = await model.fit(x, y, { epochs: 50, batchSize: 16, verbose: 0, signal: controller.signal });
      return { ticks, ms, abortedEpochs: aborted.epoch.length };
    });
    expect(got.ms).toBeGreaterThan(300); // long enough for a 10 ms timer to tick many times
    expect(got.ticks, `${got.ticks} ticks in ${got.ms.toFixed(0)} ms`).toBeGreaterThanOrEqual(5);
    expect(got.abortedEpochs).toBeLessThan(50);
  });

  it('reported no uncaught or console errors', () => {
    expect(tab.errors).toEqual([]);
  });
});

describe('a page without cross-origin isolation', () => {
  let tab: TestPage;
  beforeAll(async () => {
    tab = await open(plain);
  });

  it('has no SharedArrayBuffer: one thread, honestly reported, and Keras’s numbers on WASM', async () => {
    const state = await tab.page.evaluate(async () => {
      const { kg } = globalThis as unknown as PageGlobals;
      const live = await kg.ready();
      const asked = kg.setThreads(2);
      return {
        isolated: crossOriginIsolated,
        shared: typeof SharedArrayBuffer,
        live,
        backend: kg.getBackend().name,
        resolved: await asked,
        threads: kg.getThreads(),
      };
    });
    expect(state).toEqual({
      isolated: false,
      shared: 'undefined',
      live: true,
      backend: 'wasm',
      resolved: 1,
      threads: 1,
    });
    expectLayerFixture(await predictLayer(tab, layerFixture));
  });

  it('reported no uncaught or console errors', () => {
    expect(tab.errors).toEqual([]);
  });
});
