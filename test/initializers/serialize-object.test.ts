/**
 * The shared Keras serialized-object helpers (src/serialization/serialize-object.ts). They live with the initializer
 * tests because the registries are their only users so far.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  ConfigReader,
  configObject,
  describeChoices,
  isKerasObjectLike,
  parseKerasObject,
  serializeKerasObject,
  toSnakeCase,
} from '../../src/serialization/serialize-object.js';

describe('serialize-object', () => {
  it("toSnakeCase matches Keras's to_snake_case", () => {
    expect(toSnakeCase('GlorotUniform')).toBe('glorot_uniform');
    expect(toSnakeCase('L1L2')).toBe('l1l2');
    expect(toSnakeCase('OrthogonalRegularizer')).toBe('orthogonal_regularizer');
    expect(toSnakeCase('MinMaxNorm')).toBe('min_max_norm');
    expect(toSnakeCase('STFT')).toBe('stft');
    expect(toSnakeCase('NonNeg')).toBe('non_neg');
  });

  it('serializeKerasObject writes the Keras 3 form, in Keras key order, copying the config', () => {
    const config = { seed: null, gain: 1 };
    const out = serializeKerasObject('keras.initializers', 'Orthogonal', config);
    expect(JSON.stringify(out)).toBe(
      '{"module":"keras.initializers","class_name":"Orthogonal","config":{"seed":null,"gain":1},"registered_name":null}',
    );
    out.config['gain'] = 2;
    expect(config.gain).toBe(1);
  });

  it('parseKerasObject reads Keras 3 and Keras 2 forms', () => {
    expect(
      parseKerasObject(
        { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null, shared_object_id: 1 },
        'x',
      ),
    ).toEqual({
      module: 'keras.initializers',
      className: 'Zeros',
      config: {},
      registeredName: null,
    });
    expect(parseKerasObject({ class_name: 'Zeros', config: {} }, 'x').module).toBeNull();
    expect(isKerasObjectLike({ class_name: 'A' })).toBe(true);
    expect(isKerasObjectLike({ className: 'A' })).toBe(false);
    expect(isKerasObjectLike([])).toBe(false);
  });

  it('parseKerasObject and configObject reject malformed objects, naming the argument', () => {
    expect(() => parseKerasObject('Zeros', 'kernel_initializer')).toThrow(/kernel_initializer/);
    expect(() => parseKerasObject({ class_name: '' }, 'a')).toThrow(InvalidArgumentError);
    expect(() => parseKerasObject({ class_name: 'A', module: 3 }, 'a')).toThrow(/a\.module/);
    expect(() => parseKerasObject({ class_name: 'A', registered_name: 3 }, 'a')).toThrow(/registered_name/);
    expect(configObject(parseKerasObject({ class_name: 'A', config: null }, 'a'), 'a')).toEqual({});
    expect(() => configObject(parseKerasObject({ class_name: 'A', config: 'x' }, 'a'), 'a')).toThrow(/a\.config/);
  });

  it('ConfigReader validates fields and reports unknown keys (but ignores a TF 1 dtype)', () => {
    const r = new ConfigReader({ a: 1, b: null, c: 'x', d: [1, 2], e: true, dtype: 'float32' }, 'arg', 'Thing', 'ctx');
    expect(r.number('a', 0)).toBe(1);
    expect(r.numberOrNull('b', 5)).toBeNull();
    expect(r.string('c', '')).toBe('x');
    expect(r.axis('d', 0)).toEqual([1, 2]);
    expect(r.boolean('e', false)).toBe(true);
    expect(r.number('missing', 7)).toBe(7);
    expect(() => r.finish()).not.toThrow();
    const bad = new ConfigReader({ a: 'no', z: 1 }, 'arg', 'Thing');
    expect(() => bad.number('a', 0)).toThrow(/arg Thing\.a/);
    expect(() => bad.finish()).toThrow(/"z"/);
  });

  it('describeChoices lists a few names and counts the rest', () => {
    expect(describeChoices(['a', 'b'])).toBe('one of "a", "b"');
    expect(describeChoices(['a', 'b', 'c'], 2)).toBe('one of "a", "b" and 1 more');
  });
});
