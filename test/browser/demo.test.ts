/**
 * The browser demo (`npm run demo:browser`, examples/browser/) in headless Chromium: it trains the CO2
 * forecaster in the page, the page's 10 ms timer keeps ticking during `fit`, the live loss curve and the
 * forecast are drawn, Stop aborts training between batches, and nothing is reported as an error. The finished
 * page is screenshotted to out/demo-screenshot.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoSite } from '../../scripts/serve-demo.js';
import { launch, serve, type Site } from './harness.js';

let context: BrowserContext;
let site: Site;

beforeAll(async () => {
  const dir = await buildDemoSite(mkdtempSync(join(tmpdir(), 'keras-gru-demo-')));
  [site, context] = await Promise.all([serve(dir, true), launch()]);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await site?.close();
});

async function openDemo(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1100, height: 1400 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${site.url}?${query}`);
  return { page, errors };
}

const state = (page: Page) => page.evaluate(() => document.body.dataset['state']);

describe('the browser demo page', () => {
  it('trains the CO2 forecaster with the page responsive, and draws the loss curve and the forecast', async () => {
    const { page, errors } = await openDemo('epochs=3&autostart=1');
    await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset['state'] ?? ''), null, {
      timeout: 110_000,
    });
    expect(await page.textContent('#status')).not.toMatch(/^failed/);
    expect(await state(page)).toBe('done');
    expect(await page.textContent('#backend')).toBe('wasm');
    const data = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(Number(data['epochs'])).toBe(3);
    // 3 epochs of 56 batches take well over 10 ms; a blocked page would tick 0 times.
    expect(Number(data['ticks'])).toBeGreaterThan(0);
    // The live curve has the 3 epochs of loss and val_loss; the forecast plot has the data and both forecasts.
    const lossCurve = await page.innerHTML('#loss-curve');
    expect(lossCurve).toMatch(/^<svg/);
    expect(lossCurve).toContain('val_loss');
    const forecast = await page.innerHTML('#forecast');
    expect(forecast).toMatch(/^<svg/);
    expect(forecast).toContain('GRU (MAE');
    expect(forecast).toContain('seasonal naive');
    // SVG ids are document-wide once inlined: an id the two charts share must name the same clip rectangle,
    // else one chart's lines are cut by the other's plot area.
    const clips = await page.evaluate(() =>
      Array.from(document.querySelectorAll('clipPath'), (clip) => [clip.id, clip.innerHTML] as const),
    );
    for (const [id, rect] of clips) expect(clips.find(([other]) => other === id)![1]).toBe(rect);
    const mae = /validation MAE ([\d.]+) ppm/.exec((await page.textContent('#result')) ?? '');
    expect(mae).not.toBeNull();
    expect(Number(mae![1])).toBeGreaterThan(0);
    expect(Number(mae![1])).toBeLessThan(5);
    mkdirSync('out', { recursive: true });
    await page.screenshot({ path: join('out', 'demo-screenshot.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('Stop aborts training between batches and still shows the forecast of the model so far', async () => {
    const { page, errors } = await openDemo('epochs=200');
    await page.waitForFunction(() => document.body.dataset['state'] === 'ready', null, { timeout: 60_000 });
    await page.click('#start');
    // Stop once a few batches of the first epoch have run: the click itself needs the page to be responsive.
    await page.waitForFunction(() => /batch ([3-9]|\d\d)\//.test(document.getElementById('status')!.textContent!));
    await page.click('#stop');
    await page.waitForFunction(() => document.body.dataset['state'] === 'done', null, { timeout: 60_000 });
    expect(Number(await page.evaluate(() => document.body.dataset['epochs']))).toBeLessThan(200);
    expect(await page.textContent('#result')).toMatch(/^Stopped after \d+ epochs?: validation MAE/);
    expect(await page.innerHTML('#forecast')).toMatch(/^<svg/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
