import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { FileFormatError } from '../../src/io/errors.js';
import { hasH5Signature, readH5 } from '../../src/io/h5-read.js';
import {
  attributeString,
  attributeStrings,
  ensureGroup,
  getDataset,
  getGroup,
  h5Dataset,
  h5Group,
  numericAttribute,
  setDataset,
  stringAttribute,
  type H5NumericArray,
} from '../../src/io/h5-tree.js';
import { writeH5 } from '../../src/io/h5-write.js';
import { modelFileBytes } from './model-fixtures.js';
import { expectSameTree } from './tree-compare.js';

const ARRAYS: H5NumericArray[] = [
  Int8Array.of(-128, 0, 127),
  Uint8Array.of(0, 255, 7),
  Int16Array.of(-32768, 1, 32767),
  Uint16Array.of(0, 65535, 3),
  Int32Array.of(-(2 ** 31), 5, 2 ** 31 - 1),
  Uint32Array.of(0, 2 ** 32 - 1, 9),
  BigInt64Array.of(-(2n ** 63n), 1n, 2n ** 63n - 1n),
  BigUint64Array.of(0n, 2n ** 64n - 1n, 11n),
  Float32Array.of(-0.1, 3.4028234663852886e38, 1e-45),
  Float64Array.of(Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE),
];

describe('HDF5 trees', () => {
  it('round-trips datasets of every numeric dtype, scalars, empty and 3-D shapes, bit for bit', async () => {
    const tree = h5Group();
    for (const data of ARRAYS) setDataset(tree, `numbers/${data.constructor.name}`, h5Dataset(data, [3]));
    setDataset(tree, 'shapes/scalar', h5Dataset(Float32Array.of(2.5), []));
    setDataset(tree, 'shapes/empty', h5Dataset(new Float32Array(0), [0, 4]));
    setDataset(
      tree,
      'shapes/cube',
      h5Dataset(
        Float32Array.from({ length: 24 }, (_, i) => i / 7),
        [2, 3, 4],
      ),
    );
    setDataset(tree, 'special', h5Dataset(Float32Array.of(NaN, Infinity, -Infinity, -0), [4]));
    const back = await readH5(await writeH5(tree));
    expectSameTree(back, tree);
    for (const data of ARRAYS) expect(getDataset(back, `numbers/${data.constructor.name}`)!.data).toEqual(data);
    expect(Object.is(getDataset(back, 'special')!.data[3], -0)).toBe(true);
    expect(getDataset(back, 'shapes/scalar')).toMatchObject({ shape: [], dtype: 'float32' });
  });

  it('round-trips attributes: variable and fixed-length strings in UTF-8 and ASCII, numbers of any shape', async () => {
    const attrs = {
      vlen: stringAttribute('gru_cell'),
      unicode: stringAttribute('größe ✓'),
      list: stringAttribute(['kernel:0', 'bias:0']),
      fixed: stringAttribute(['gru_1', 'dense_1'], { charset: 'ascii', length: 'longest' }),
      fixedScalar: stringAttribute('2.2.4', { charset: 'ascii', length: 5 }),
      scalar: numericAttribute(Float64Array.of(0.5), []),
      matrix: numericAttribute(Int32Array.of(1, 2, 3, 4, 5, 6), [2, 3]),
      empty: numericAttribute(new Float64Array(0)),
    };
    const tree = h5Group({
      attrs,
      groups: { g: h5Group({ datasets: { d: h5Dataset(Float32Array.of(1), [1], { unit: stringAttribute('m') }) } }) },
    });
    const back = await readH5(await writeH5(tree));
    expectSameTree(back, tree);
    expect(back.attrs.fixed).toMatchObject({ charset: 'ascii', length: 7, data: ['gru_1', 'dense_1'] });
    expect(attributeString(back.attrs.unicode)).toBe('größe ✓');
    expect(attributeStrings(back.attrs.list)).toEqual(['kernel:0', 'bias:0']);
    expect(attributeStrings(back.attrs.empty)).toEqual([]);
    expect(attributeStrings(back.attrs.scalar)).toBeUndefined();
  });

  it('reads what h5py wrote: UTF-8 variable-length names, ASCII JSON, float32 weights', async () => {
    const tree = await readH5(modelFileBytes('forecaster.h5').buffer as ArrayBuffer);
    expect(tree.attrs.backend).toMatchObject({ type: 'string', charset: 'utf8', length: null, shape: [] });
    expect(tree.attrs.model_config).toMatchObject({ type: 'string', charset: 'ascii', length: null });
    expect(getDataset(tree, 'model_weights/gru_29/forecaster/gru_29/gru_cell/kernel')).toMatchObject({
      dtype: 'float32',
      shape: [3, 36],
    });
    expect(getGroup(tree, 'model_weights/top_level_model_weights')!.attrs.weight_names).toMatchObject({
      type: 'numeric',
      dtype: 'float64',
      shape: [0],
    });
  });

  it('builds trees by path', () => {
    const tree = h5Group();
    ensureGroup(tree, 'a/b/c');
    setDataset(tree, 'a/b/kernel:0', h5Dataset(Float32Array.of(1), [1]));
    expect(Object.keys(getGroup(tree, 'a/b')!.groups)).toEqual(['c']);
    expect(getDataset(tree, '/a/b/kernel:0')!.data).toEqual(Float32Array.of(1));
    expect(getGroup(tree, 'a/x')).toBeUndefined();
    expect(() => setDataset(tree, '', h5Dataset(Float32Array.of(1), [1]))).toThrowError(InvalidArgumentError);
  });

  describe('typed errors', () => {
    it('for bytes that are not HDF5, or truncated HDF5', async () => {
      await expect(readH5(new TextEncoder().encode('hello'), { file: 'x.h5' })).rejects.toMatchObject({
        file: 'x.h5',
        message: expect.stringMatching(/no HDF5 signature/),
      });
      const bytes = modelFileBytes('forecaster.h5');
      const error = await readH5(bytes.slice(0, 4000), { file: 'cut.h5' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileFormatError);
      expect((error as Error).message).toMatch(/truncated/);
    });

    it('finds the signature after a user block (512, 1024, ... bytes)', () => {
      const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
      const bytes = new Uint8Array(1100);
      bytes.set(signature, 1024);
      expect(hasH5Signature(bytes)).toBe(true);
      bytes.fill(0).set(signature, 100);
      expect(hasH5Signature(bytes)).toBe(false);
    });

    it('for a tree HDF5 cannot hold: wrong sizes, bad names, empty or overlong strings', async () => {
      const bad = [
        h5Group({ datasets: { d: h5Dataset(Float32Array.of(1, 2), [3]) } }),
        h5Group({ datasets: { 'a/b': h5Dataset(Float32Array.of(1), [1]) } }),
        h5Group({ attrs: { empty: stringAttribute([]) } }),
        h5Group({ attrs: { long: stringAttribute('toolong', { length: 3 }) } }),
        h5Group({ attrs: { shape: numericAttribute(Float32Array.of(1, 2), [3]) } }),
        h5Group({ groups: { x: h5Group() }, datasets: { x: h5Dataset(Float32Array.of(1), [1]) } }),
      ];
      for (const tree of bad) await expect(writeH5(tree)).rejects.toBeInstanceOf(InvalidArgumentError);
    });
  });
});
