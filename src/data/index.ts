/** Data helpers: CSV tables, `.npy` arrays, Keras's `timeseries_dataset_from_array` and `pad_sequences`, normalization statistics. */
export { CsvError } from './errors.js';
export type { CsvErrorDetails } from './errors.js';
export { parseCsv, readCsv, parseDecimal, CsvTable } from './csv.js';
export type { CsvOptions, ParseCsvOptions, ColumnOptions, TensorOptions } from './csv.js';
export { Dataset } from './dataset.js';
export type { SampleSource, DatasetOptions } from './dataset.js';
export { timeseriesDataset } from './timeseries.js';
export type { TimeseriesDatasetOptions } from './timeseries.js';
export { padSequences } from './pad-sequences.js';
export type { PadSequencesOptions } from './pad-sequences.js';
export { adaptNormalization, normalize, keptAxes, NORMALIZATION_EPSILON } from './normalization.js';
export type {
  NormalizationStatistics,
  NormalizationOptions,
  NormalizationValues,
  NormalizeOptions,
  AdaptData,
} from './normalization.js';
export { parseNpy, toNpy } from './npy.js';
