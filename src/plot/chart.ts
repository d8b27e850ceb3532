/**
 * Line charts as SVG text: axes with round ticks, grid lines, a legend and any number of series. One panel is a
 * `<g>` (so a figure can stack several); `lineChart` wraps one panel in an `<svg>` document.
 */
import { extent } from 'd3-array';
import { InvalidArgumentError } from '../errors.js';
import { element, escapeXml, round, text } from './svg.js';
import { dateToYear, formatTick, formatYearTick, linearScale, niceDomain, tickValues } from './scale.js';

/** One line of a chart. */
export interface Series {
  /** Shown in the legend. */
  name: string;
  /** The values; a non-finite value (NaN, missing) breaks the line there. */
  y: ArrayLike<number>;
  /** Positions along the x axis, one per value (numbers, or Dates for a time axis). Default 0, 1, 2, ... */
  x?: ArrayLike<number> | readonly Date[];
  /** A CSS colour. Default: the next colour of the palette. */
  color?: string;
  /** Draw dashed (e.g. a forecast or a validation curve). */
  dashed?: boolean;
}

export interface ChartOptions {
  series: readonly Series[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixel size of the chart. Default 640 × 360. */
  width?: number;
  height?: number;
  /** Only whole-number ticks on the x axis (epochs). Default false. */
  integerX?: boolean;
  /** Fix the y range instead of fitting the data. */
  yDomain?: [number, number];
  /** Vertical marker lines (e.g. where held-out data begins), at x positions in the series' units. */
  markers?: readonly Marker[];
}

export interface Marker {
  at: number | Date;
  label?: string;
}

/** Tableau's 10 colours: distinct in print and for most colour-blind readers. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const FONT = 'font-family="system-ui, sans-serif"';
const MARGIN = { left: 64, right: 16, bottom: 44 };

interface Points {
  xs: number[];
  ys: number[];
}

function isDateArray(x: Series['x']): x is readonly Date[] {
  return x !== undefined && x.length > 0 && x[0] instanceof Date;
}

/** Validates one series and returns its points; x in numbers (years for dates). */
function pointsOf(series: Series, index: number, context: string): Points {
  const where = `series[${index}]`;
  if (series === null || typeof series !== 'object' || typeof series.name !== 'string') {
    throw new InvalidArgumentError({
      argument: `${where}.name`,
      expected: 'a string',
      received: series?.name,
      context,
    });
  }
  const { y, x } = series;
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new InvalidArgumentError({ argument: `${where}.y`, expected: 'an array of numbers', received: y, context });
  }
  if (x !== undefined && x.length !== y.length) {
    throw new InvalidArgumentError({
      argument: `${where}.x`,
      expected: `${y.length} positions (one per value)`,
      received: `${x.length} positions`,
      context,
    });
  }
  const dates = isDateArray(x);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    if (typeof yi !== 'number')
      throw new InvalidArgumentError({ argument: `${where}.y[${i}]`, expected: 'a number', received: yi, context });
    let xi: number;
    if (x === undefined) xi = i;
    else if (dates) {
      const d = (x as readonly Date[])[i];
      if (!(d instanceof Date))
        throw new InvalidArgumentError({ argument: `${where}.x[${i}]`, expected: 'a Date', received: d, context });
      xi = dateToYear(d);
    } else xi = (x as ArrayLike<number>)[i]!;
    if (typeof xi !== 'number' || !Number.isFinite(xi)) {
      throw new InvalidArgumentError({
        argument: `${where}.x[${i}]`,
        expected: 'a finite number or a valid Date',
        received: xi,
        context,
      });
    }
    xs.push(xi);
    ys.push(yi);
  }
  return { xs, ys };
}

/** The path of one series: a move at the start and after every gap, lines between finite points. */
function pathData(points: Points, sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < points.xs.length; i++) {
    const y = points.ys[i]!;
    if (!Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${round(sx(points.xs[i]!))} ${round(sy(y))}`;
    pen = true;
  }
  return d;
}

/** One chart as a `<g>` at vertical offset `top`; `height` is the panel's. */
export function chartPanel(options: ChartOptions, top = 0, context = 'lineChart'): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 120) {
      throw new InvalidArgumentError({
        argument: `options.${name}`,
        expected: 'a number of pixels ≥ 120',
        received: v,
        context,
      });
    }
  }
  if (!Array.isArray(options.series) || options.series.length === 0) {
    throw new InvalidArgumentError({
      argument: 'options.series',
      expected: 'at least one series',
      received: options.series,
      context,
    });
  }
  const all = options.series.map((s, i) => pointsOf(s, i, context));
  const dates = options.series.some((s) => isDateArray(s.x));

  const titleHeight = options.title ? 26 : 8;
  const legendHeight = 20;
  const plotTop = titleHeight + legendHeight;
  const plot = { left: MARGIN.left, top: plotTop, right: width - MARGIN.right, bottom: height - MARGIN.bottom };

  const xExtent = extent(all.flatMap((p) => p.xs));
  const yExtent = options.yDomain ?? extent(all.flatMap((p) => p.ys.filter(Number.isFinite)));
  const xDomain: [number, number] =
    xExtent[0] === undefined
      ? [0, 1]
      : xExtent[0] === xExtent[1]
        ? [xExtent[0] - 0.5, xExtent[0] + 0.5]
        : [xExtent[0], xExtent[1]!];
  const yNice: [number, number] =
    yExtent[0] === undefined ? [0, 1] : (options.yDomain ?? niceDomain(yExtent[0], yExtent[1]!, 5));
  const sx = linearScale(xDomain, [plot.left, plot.right]);
  const sy = linearScale(yNice, [plot.bottom, plot.top]);

  const parts: string[] = [];
  if (options.title)
    parts.push(
      text(options.title, { x: width / 2, y: 18, 'text-anchor': 'middle', 'font-size': 15, 'font-weight': 'bold' }),
    );

  // y axis: grid lines and labels.
  const yTicks = tickValues(yNice, 5);
  const yStep = yTicks.length > 1 ? yTicks[1]! - yTicks[0]! : 1;
  for (const t of yTicks) {
    const y = sy(t);
    parts.push(element('line', { x1: plot.left, x2: plot.right, y1: y, y2: y, stroke: '#e5e5e5' }));
    parts.push(
      text(formatTick(t, yStep), {
        x: plot.left - 6,
        y: y + 4,
        'text-anchor': 'end',
        'font-size': 11,
        class: 'y-tick',
      }),
    );
  }
  // x axis: ticks and labels.
  let xTicks = tickValues(xDomain, Math.max(2, Math.floor((plot.right - plot.left) / 80)));
  if (options.integerX) xTicks = xTicks.filter(Number.isInteger);
  const xStep = xTicks.length > 1 ? xTicks[1]! - xTicks[0]! : 1;
  for (const t of xTicks) {
    const x = sx(t);
    parts.push(element('line', { x1: x, x2: x, y1: plot.bottom, y2: plot.bottom + 5, stroke: '#333' }));
    parts.push(
      text(dates ? formatYearTick(t) : formatTick(t, xStep), {
        x,
        y: plot.bottom + 18,
        'text-anchor': 'middle',
        'font-size': 11,
        class: 'x-tick',
      }),
    );
  }
  parts.push(
    element('rect', {
      x: plot.left,
      y: plot.top,
      width: plot.right - plot.left,
      height: plot.bottom - plot.top,
      fill: 'none',
      stroke: '#333',
    }),
  );
  if (options.xLabel)
    parts.push(
      text(options.xLabel, {
        x: (plot.left + plot.right) / 2,
        y: height - 8,
        'text-anchor': 'middle',
        'font-size': 12,
      }),
    );
  if (options.yLabel) {
    const cy = (plot.top + plot.bottom) / 2;
    parts.push(
      text(options.yLabel, {
        x: 14,
        y: cy,
        'text-anchor': 'middle',
        'font-size': 12,
        transform: `rotate(-90 14 ${round(cy)})`,
      }),
    );
  }

  for (const [i, m] of (options.markers ?? []).entries()) {
    const at = m.at instanceof Date ? dateToYear(m.at) : m.at;
    if (typeof at !== 'number' || !Number.isFinite(at)) {
      throw new InvalidArgumentError({
        argument: `options.markers[${i}].at`,
        expected: 'a finite number or a valid Date',
        received: m.at,
        context,
      });
    }
    const x = sx(at);
    parts.push(
      element('line', {
        x1: x,
        x2: x,
        y1: plot.top,
        y2: plot.bottom,
        stroke: '#888',
        'stroke-dasharray': '2 3',
        class: 'marker',
      }),
    );
    if (m.label) parts.push(text(m.label, { x: x + 4, y: plot.top + 14, 'font-size': 11, fill: '#555' }));
  }

  // Series, clipped to the plot area (a fixed yDomain may cut them), then the legend above the plot. Ids are
  // document-wide once SVGs are inlined in a page, so the id names the clip rectangle itself: two charts share
  // an id only when their rectangles are the same, which clips alike in either chart's user space.
  const clipRect = [plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top].map(Math.round);
  const clipId = `plot-clip-${clipRect.join('-')}`;
  parts.push(
    element(
      'clipPath',
      { id: clipId },
      element('rect', { x: plot.left, y: plot.top, width: plot.right - plot.left, height: plot.bottom - plot.top }),
    ),
  );
  let legendX = plot.left;
  options.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const dash = s.dashed ? '6 4' : undefined;
    parts.push(
      element('path', {
        d: pathData(all[i]!, sx, sy),
        fill: 'none',
        stroke: color,
        'stroke-width': 1.5,
        'stroke-dasharray': dash,
        'clip-path': `url(#${clipId})`,
        class: 'series',
        'data-name': s.name,
      }),
    );
    const ly = titleHeight + 10;
    parts.push(
      element('line', {
        x1: legendX,
        x2: legendX + 22,
        y1: ly,
        y2: ly,
        stroke: color,
        'stroke-width': 2,
        'stroke-dasharray': dash,
      }),
    );
    parts.push(text(s.name, { x: legendX + 27, y: ly + 4, 'font-size': 12, class: 'legend' }));
    legendX += 40 + s.name.length * 7;
  });
  return element(
    'g',
    { transform: top === 0 ? undefined : `translate(0 ${round(top)})`, class: 'chart' },
    parts.join(''),
  );
}

/** An SVG document of `width` × `height` holding the given panels (already SVG text). */
export function svgDocument(width: number, height: number, body: string, title?: string): string {
  const head = title === undefined ? '' : `<title>${escapeXml(title)}</title>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${round(width)}" height="${round(height)}" viewBox="0 0 ${round(width)} ${round(height)}" ${FONT}>` +
    `${head}<rect width="100%" height="100%" fill="white"/>${body}</svg>\n`
  );
}

/**
 * A line chart of one or more series as a standalone SVG document (a string: write it to a `.svg` file, or
 * put it in a page's HTML). No DOM needed, so it works in Node and browsers alike.
 *
 *     writeFileSync('loss.svg', lineChart({ series: [{ name: 'loss', y: losses }], xLabel: 'epoch' }));
 */
export function lineChart(options: ChartOptions): string {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({
      argument: 'options',
      expected: 'an object with series',
      received: options,
      context: 'lineChart',
    });
  }
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  return svgDocument(width, height, chartPanel(options, 0, 'lineChart'), options.title);
}
