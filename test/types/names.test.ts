/**
 * The literal unions of names (`InitializerName`, `LossName`, ...) are written out as constant lists; the
 * registries compute the names they accept at run time. Both must list the same names, or the types would
 * refuse a valid name or accept one that throws.
 */
import { describe, expect, it } from 'vitest';
import { CONSTRAINT_NAMES, listConstraints } from '../../src/constraints/index.js';
import { INITIALIZER_NAMES, listInitializers } from '../../src/initializers/index.js';
import { LOSS_NAMES, listLosses } from '../../src/losses/index.js';
import { METRIC_NAMES, listMetrics } from '../../src/metrics/index.js';
import { OPTIMIZER_NAMES, getOptimizer, listOptimizers } from '../../src/optimizers/index.js';
import { REGULARIZER_NAMES, listRegularizers } from '../../src/regularizers/index.js';

const sorted = (names: readonly string[]): string[] => [...names].sort();

describe('name unions match what the registries accept', () => {
  it.each([
    ['initializers', INITIALIZER_NAMES, listInitializers()],
    ['regularizers', REGULARIZER_NAMES, listRegularizers()],
    ['constraints', CONSTRAINT_NAMES, listConstraints()],
    ['losses', LOSS_NAMES, listLosses()],
    ['metrics', METRIC_NAMES, listMetrics()],
  ] as const)('%s', (_kind, typed, accepted) => {
    expect(sorted(typed)).toEqual(sorted(accepted));
  });

  it('optimizers: the lower-case names, and the class names (getOptimizer ignores case)', () => {
    expect(sorted(OPTIMIZER_NAMES.filter((n) => n === n.toLowerCase()))).toEqual(sorted(listOptimizers()));
    for (const name of OPTIMIZER_NAMES)
      expect(getOptimizer(name).constructor.name.toLowerCase()).toBe(name.toLowerCase());
  });
});
