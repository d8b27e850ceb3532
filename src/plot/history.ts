/**
 * Training curves: one panel per quantity Keras logged (loss, each metric), its `val_` twin in the same panel,
 * stacked in one SVG document.
 */
import { InvalidArgumentError } from '../errors.js';
import { chartPanel, svgDocument, PALETTE } from './chart.js';

/** What `plotHistory` reads: a `History` (`model.fit`'s result) or any object of the same shape. */
export interface HistoryLike {
  /** Per log key (`loss`, `val_loss`, metrics), one value per epoch. */
  history: Readonly<Record<string, readonly number[]>>;
  /** The epochs run (0-based); default 0, 1, 2, ... */
  epoch?: readonly number[];
}

export interface PlotHistoryOptions {
  /** The log keys to draw (their `val_` twins come along). Default: all of them. */
  keys?: readonly string[];
  /** Width of the figure and height of each panel, in pixels. Default 640 × 280. */
  width?: number;
  panelHeight?: number;
  /** The figure's title. Default 'Training history'. */
  title?: string;
}

/** The panels: each key with its `val_` twin, in the order the keys were logged; a lone `val_x` gets its own. */
function groups(keys: readonly string[]): string[][] {
  const out: string[][] = [];
  const taken = new Set<string>();
  for (const key of keys) {
    if (taken.has(key)) continue;
    const base = key.startsWith('val_') && keys.includes(key.slice(4)) ? key.slice(4) : key;
    const group = [base, `val_${base}`].filter((k) => keys.includes(k) && !taken.has(k));
    group.forEach((k) => taken.add(k));
    out.push(group);
  }
  return out;
}

/**
 * The training curves of a `History` as an SVG document (a string): loss and `val_loss` in one panel, each
 * metric with its validation twin in the next ones; x is the epoch, counted from 1.
 *
 *     const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.2 });
 *     writeFileSync('history.svg', plotHistory(history));
 */
export function plotHistory(history: HistoryLike, options: PlotHistoryOptions = {}): string {
  const context = 'plotHistory';
  if (
    history === null ||
    typeof history !== 'object' ||
    history.history === null ||
    typeof history.history !== 'object'
  ) {
    throw new InvalidArgumentError({
      argument: 'history',
      expected: 'a History (an object with a history record)',
      received: history,
      context,
    });
  }
  const logged = Object.keys(history.history);
  const keys = options.keys ?? logged;
  for (const key of keys) {
    if (!logged.includes(key))
      throw new InvalidArgumentError({
        argument: 'options.keys',
        expected: `keys among [${logged.join(', ')}]`,
        received: key,
        context,
      });
  }
  const wanted = logged.filter((k) => keys.includes(k) || (k.startsWith('val_') && keys.includes(k.slice(4))));
  if (wanted.length === 0)
    throw new InvalidArgumentError({
      argument: 'history',
      expected: 'at least one logged quantity (fit ran no epoch?)',
      received: history.history,
      context,
    });
  const width = options.width ?? 640;
  const panelHeight = options.panelHeight ?? 280;
  const title = options.title ?? 'Training history';
  const panels = groups(wanted).map((group, i) =>
    chartPanel(
      {
        title: i === 0 ? `${title}: ${group[0]}` : group[0]!,
        xLabel: 'epoch',
        yLabel: group[0]!,
        width,
        height: panelHeight,
        integerX: true,
        series: group.map((key, j) => {
          const y = history.history[key]!;
          const epochs =
            history.epoch !== undefined && history.epoch.length === y.length ? history.epoch : y.map((_, e) => e);
          return { name: key, y, x: epochs.map((e) => e + 1), color: PALETTE[j]!, dashed: key.startsWith('val_') };
        }),
      },
      i * panelHeight,
      context,
    ),
  );
  return svgDocument(width, panels.length * panelHeight, panels.join(''), title);
}
