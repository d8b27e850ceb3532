import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, forecastPlot, lineChart, plotHistory, History } from '../../src/index.js';
import { parseXml, pathPoints, type XmlElement } from '../helpers/xml.js';

const byClass = (els: XmlElement[], cls: string) => els.filter((e) => e.attrs.class === cls);

describe('the XML check itself', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow(/closes/);
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow(/bare '&'/);
    expect(() => parseXml('<svg><text>a < b</text></svg>')).toThrow();
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<svg/><svg/>')).toThrow(/second root/);
    expect(parseXml('<svg><text>a &amp; b</text></svg>')[1]!.text).toBe('a & b');
  });
});

describe('lineChart', () => {
  it('is well-formed SVG with one path per series and one point per value', () => {
    const svg = lineChart({
      series: [
        { name: 'a', y: [1, 2, 3, 4, 5] },
        { name: 'b', y: [5, 4, 3] },
      ],
      title: 'T',
      xLabel: 'x',
      yLabel: 'y',
    });
    const els = parseXml(svg);
    expect(els[0]!.name).toBe('svg');
    expect(els[0]!.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const paths = byClass(els, 'series');
    expect(paths.map((p) => p.attrs['data-name'])).toEqual(['a', 'b']);
    expect(pathPoints(paths[0]!.attrs.d!)).toHaveLength(5);
    expect(pathPoints(paths[1]!.attrs.d!)).toHaveLength(3);
    expect(byClass(els, 'legend').map((e) => e.text)).toEqual(['a', 'b']);
  });

  it('names each clip rectangle by its geometry, so charts inlined in one page do not clip each other', () => {
    // An SVG id is document-wide in HTML: two charts of different sizes on one page must not share a clip id
    // (the first one's rectangle would clip the other's lines), while a shared id means the same rectangle.
    const clipIds = (height: number) =>
      parseXml(lineChart({ series: [{ name: 'a', y: [1, 2] }], height }))
        .filter((e) => e.name === 'clipPath')
        .map((e) => e.attrs.id);
    const [short, tall] = [clipIds(200), clipIds(420)];
    expect(short).toHaveLength(1);
    expect(tall).toHaveLength(1);
    expect(short[0]).not.toBe(tall[0]);
    expect(clipIds(200)).toEqual(short);
  });

  it('maps the data range onto the plot: x from first to last pixel, y on round ticks around the data', () => {
    const y = [0.13, 0.92, 0.47];
    const svg = lineChart({ series: [{ name: 'a', x: [10, 20, 30], y }], width: 400, height: 300 });
    const els = parseXml(svg);
    const pts = pathPoints(byClass(els, 'series')[0]!.attrs.d!);
    const frame = els.find((e) => e.name === 'rect' && e.attrs.stroke === '#333')!;
    const left = Number(frame.attrs.x);
    const right = left + Number(frame.attrs.width);
    const top = Number(frame.attrs.y);
    const bottom = top + Number(frame.attrs.height);
    expect(pts[0]![0]).toBeCloseTo(left, 1);
    expect(pts[2]![0]).toBeCloseTo(right, 1);
    expect(pts[1]![0]).toBeCloseTo((left + right) / 2, 1);
    // Five ticks or so on [0.13, 0.92] step by 0.2, so the y domain widens to [0, 1].
    expect(byClass(els, 'y-tick').map((e) => e.text)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect((bottom - pts[0]![1]) / (bottom - top)).toBeCloseTo(0.13, 2);
    expect((bottom - pts[1]![1]) / (bottom - top)).toBeCloseTo(0.92, 2);
    expect(byClass(els, 'x-tick').map((e) => e.text)).toEqual(['10', '15', '20', '25', '30']);
  });

  it('labels tick values without float noise', () => {
    const els = parseXml(lineChart({ series: [{ name: 'a', y: [0.1, 0.3] }] }));
    expect(byClass(els, 'y-tick').map((e) => e.text)).toEqual(
      ['0.10', '0.15', '0.20', '0.25', '0.30'].map((t) => String(Number(t).toFixed(2))),
    );
  });

  it('escapes titles, labels and series names', () => {
    const nasty = `<script>alert("x" & 'y')</script>`;
    const svg = lineChart({ series: [{ name: nasty, y: [1, 2] }], title: nasty, xLabel: nasty, yLabel: nasty });
    expect(svg).not.toContain('<script>');
    const els = parseXml(svg);
    expect(els.filter((e) => e.text === nasty).length).toBe(5); // <title>, title, x label, y label, legend
    expect(els.find((e) => e.name === 'title')!.text).toBe(nasty);
    expect(byClass(els, 'series')[0]!.attrs['data-name']).toBe(nasty);
  });

  it('breaks the line at non-finite values', () => {
    const els = parseXml(lineChart({ series: [{ name: 'a', y: [1, 2, Number.NaN, 4, 5] }] }));
    const d = byClass(els, 'series')[0]!.attrs.d!;
    expect(pathPoints(d)).toHaveLength(4);
    expect(d.match(/M/g)).toHaveLength(2);
  });

  it('draws a time axis from Dates, labelled by year', () => {
    const x = [new Date(Date.UTC(1990, 0, 1)), new Date(Date.UTC(1995, 0, 1)), new Date(Date.UTC(2000, 0, 1))];
    const els = parseXml(lineChart({ series: [{ name: 'a', x, y: [1, 2, 3] }] }));
    const labels = byClass(els, 'x-tick').map((e) => e.text);
    expect(labels[0]).toBe('1990');
    expect(labels.at(-1)).toBe('2000');
  });

  it('refuses bad input with typed errors naming the argument', () => {
    expect(() => lineChart({ series: [] })).toThrow(InvalidArgumentError);
    expect(() => lineChart({ series: [] })).toThrow(/options.series/);
    expect(() => lineChart({ series: [{ name: 'a', y: [1, 2], x: [1] }] })).toThrow(
      /series\[0\]\.x: expected 2 positions/,
    );
    expect(() => lineChart({ series: [{ name: 'a', y: [1, '2' as unknown as number] }] })).toThrow(
      /series\[0\]\.y\[1\]/,
    );
    expect(() => lineChart({ series: [{ name: 'a', y: [1] }], width: -5 })).toThrow(/options.width/);
  });
});

describe('plotHistory and History.plot', () => {
  const record = {
    loss: [1, 0.5, 0.25, 0.2],
    val_loss: [1.2, 0.7, 0.4, 0.45],
    mae: [0.9, 0.6, 0.4, 0.35],
    val_mae: [1, 0.7, 0.5, 0.5],
  };

  it('draws loss with val_loss in one panel and each metric with its twin in the next', () => {
    const els = parseXml(plotHistory({ history: record }));
    expect(byClass(els, 'chart')).toHaveLength(2);
    const paths = byClass(els, 'series');
    expect(paths.map((p) => p.attrs['data-name'])).toEqual(['loss', 'val_loss', 'mae', 'val_mae']);
    for (const p of paths) expect(pathPoints(p.attrs.d!)).toHaveLength(4);
    expect(paths[1]!.attrs['stroke-dasharray']).toBeDefined();
    expect(paths[0]!.attrs['stroke-dasharray']).toBeUndefined();
    // Epochs counted from 1, whole numbers only.
    expect(
      byClass(els, 'x-tick')
        .slice(0, 7)
        .map((e) => e.text),
    ).toEqual(['1', '2', '3', '4', '1', '2', '3']);
  });

  it('is what History.plot returns, and keys pick panels', () => {
    const h = new History();
    h.history = { loss: [3, 2], val_loss: [4, 3] };
    h.epoch = [0, 1];
    expect(h.plot()).toBe(plotHistory(h));
    const els = parseXml(plotHistory({ history: record }, { keys: ['mae'] }));
    expect(byClass(els, 'series').map((p) => p.attrs['data-name'])).toEqual(['mae', 'val_mae']);
    expect(() => plotHistory({ history: record }, { keys: ['acc'] })).toThrow(/options.keys/);
    expect(() => plotHistory({ history: {} })).toThrow(InvalidArgumentError);
  });
});

describe('forecastPlot', () => {
  it('draws the actual series solid, forecasts dashed, and the split marker', () => {
    const actual = Array.from({ length: 20 }, (_, i) => Math.sin(i / 3));
    const svg = forecastPlot({
      actual: { y: actual },
      forecast: [
        { name: 'model', x: [15, 16, 17, 18, 19], y: actual.slice(15) },
        { name: 'naive', x: [15, 16, 17, 18, 19], y: actual.slice(10, 15) },
      ],
      split: 15,
    });
    const els = parseXml(svg);
    const paths = byClass(els, 'series');
    expect(
      paths.map((p) => [
        p.attrs['data-name'],
        pathPoints(p.attrs.d!).length,
        p.attrs['stroke-dasharray'] !== undefined,
      ]),
    ).toEqual([
      ['actual', 20, false],
      ['model', 5, true],
      ['naive', 5, true],
    ]);
    const marker = byClass(els, 'marker')[0]!;
    expect(Number(marker.attrs.x1)).toBeCloseTo(pathPoints(paths[1]!.attrs.d!)[0]![0], 1);
  });
});
