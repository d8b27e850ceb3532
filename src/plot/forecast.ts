/**
 * A forecast against what happened: the actual series as a solid line, one or more forecasts dashed over it,
 * and optionally a marker where the held-out part begins.
 */
import { InvalidArgumentError } from '../errors.js';
import { lineChart, type ChartOptions, type Series } from './chart.js';

export interface ForecastPlotOptions extends Omit<ChartOptions, 'series'> {
  /** The observed values, with their positions (numbers or Dates; default 0, 1, 2, ...). */
  actual: Omit<Series, 'name'> & { name?: string };
  /** The forecasts: one series, or several (e.g. a model and a baseline). Drawn dashed unless told otherwise. */
  forecast: Series | readonly Series[];
  /** Where the held-out data begins (an x position); drawn as a vertical marker labelled 'held out'. */
  split?: number | Date;
}

/**
 * Actual vs forecast over time as an SVG document (a string).
 *
 *     forecastPlot({ actual: { x: dates, y: ppm }, forecast: { name: 'GRU', x: targetDates, y: predicted } })
 */
export function forecastPlot(options: ForecastPlotOptions): string {
  if (
    options === null ||
    typeof options !== 'object' ||
    options.actual === undefined ||
    options.forecast === undefined
  ) {
    throw new InvalidArgumentError({
      argument: 'options',
      expected: 'an object with actual and forecast',
      received: options,
      context: 'forecastPlot',
    });
  }
  const { actual, forecast, split, markers, ...chart } = options;
  const forecasts: readonly Series[] = Array.isArray(forecast) ? forecast : [forecast as Series];
  const series: Series[] = [
    { ...actual, name: actual.name ?? 'actual', color: actual.color ?? '#333333' },
    ...forecasts.map((f) => ({ ...f, dashed: f.dashed ?? true })),
  ];
  const allMarkers = [...(markers ?? []), ...(split === undefined ? [] : [{ at: split, label: 'held out' }])];
  return lineChart({ title: 'Forecast', ...chart, series, markers: allMarkers });
}
