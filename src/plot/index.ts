/** Pictures as SVG text, with no DOM: line charts, training curves, forecasts. */
export { lineChart, PALETTE } from './chart.js';
export type { ChartOptions, Series, Marker } from './chart.js';
export { plotHistory } from './history.js';
export type { HistoryLike, PlotHistoryOptions } from './history.js';
export { forecastPlot } from './forecast.js';
export type { ForecastPlotOptions } from './forecast.js';
export { escapeXml } from './svg.js';
