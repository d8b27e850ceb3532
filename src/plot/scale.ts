/**
 * Linear scales and their ticks for the charts: a domain widened to round tick values (d3-array's `ticks` and
 * `tickStep`), and date axes as fractional years.
 */
import { tickIncrement, ticks } from 'd3-array';

export interface LinearScale {
  domain: [number, number];
  range: [number, number];
  (value: number): number;
}

export function linearScale(domain: [number, number], range: [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) =>
    span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0)) as LinearScale;
  scale.domain = domain;
  scale.range = range;
  return scale;
}

/**
 * The extent widened to whole tick steps (d3's `nice`), so the axis starts and ends on a labelled tick. A
 * single value becomes a unit-wide domain around it.
 */
export function niceDomain(min: number, max: number, count: number): [number, number] {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceDomain(min - pad, max + pad, count);
  }
  let lo = min;
  let hi = max;
  // Two passes as d3's nice: the step can change once the domain is widened.
  for (let pass = 0; pass < 2; pass++) {
    const step = tickIncrement(lo, hi, count);
    if (step > 0) {
      lo = Math.floor(lo / step) * step;
      hi = Math.ceil(hi / step) * step;
    } else if (step < 0) {
      lo = Math.ceil(lo * step) / step;
      hi = Math.floor(hi * step) / step;
    }
  }
  return [lo, hi];
}

/** Round values inside the domain for `count` ticks or so. */
export function tickValues(domain: [number, number], count: number): number[] {
  return ticks(domain[0], domain[1], count);
}

/** A tick label: no float noise (0.30000000000000004 → 0.3), thousands without separators. */
export function formatTick(value: number, step: number): string {
  const decimals = step > 0 && step < 1 ? Math.min(12, Math.ceil(-Math.log10(step) - 1e-9)) : 0;
  const text = value.toFixed(decimals);
  return text === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : text;
}

const MS_PER_YEAR = 365.2425 * 86_400_000;

/** A date as a fractional year (2000-07-02 ≈ 2000.5), the unit of date axes. */
export function dateToYear(date: Date): number {
  const year = date.getUTCFullYear();
  return year + (date.getTime() - Date.UTC(year, 0, 1)) / MS_PER_YEAR;
}

/** The label of a tick on a date axis: the year on whole years, else year-month. */
export function formatYearTick(year: number): string {
  const whole = Math.floor(year + 1e-9);
  const fraction = year - whole;
  if (fraction < 1e-6) return String(whole);
  const month = Math.min(12, Math.floor(fraction * 12 + 1e-6) + 1);
  return `${whole}-${String(month).padStart(2, '0')}`;
}
