/** Python's str.format and float repr, on values whose Python output is known (CPython 3 semantics). */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, pythonFloatRepr, pythonFormat } from '../../src/index.js';
import { expectError } from '../helpers/errors.js';

describe('pythonFloatRepr', () => {
  it('prints floats as Python repr does', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [0, '0.0'],
      [-0, '-0.0'],
      [0.1, '0.1'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1.5e-7, '1.5e-07'],
      [123456789.125, '123456789.125'],
      [1e16, '1e+16'],
      [1.2345e20, '1.2345e+20'],
      [9999999999999998, '9999999999999998.0'],
      [0.10000000149011612, '0.10000000149011612'],
      [-2.5, '-2.5'],
      [NaN, 'nan'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
    ];
    for (const [v, text] of cases) expect(pythonFloatRepr(v)).toBe(text);
  });
});

describe('pythonFormat', () => {
  it('formats the fields of Keras checkpoint paths', () => {
    const values = { epoch: { int: 3 }, val_loss: 0.123456, loss: 1.0 };
    expect(pythonFormat('model-{epoch:02d}-{val_loss:.4f}.keras', values)).toBe('model-03-0.1235.keras');
    expect(pythonFormat('{epoch}/{loss}/{val_loss}', values)).toBe('3/1.0/0.123456');
    expect(pythonFormat('{epoch:03}_{epoch:.2f}_{loss:.2e}_{val_loss:g}', values)).toBe('003_3.00_1.00e+00_0.123456');
    expect(pythonFormat('{{epoch}} {val_loss:.3%} {loss:>6.1f}|{loss:<6.1f}|{loss:^7.1f}', values)).toBe(
      '{epoch} 12.346%    1.0|1.0   |  1.0  ',
    );
    expect(
      pythonFormat('{x:+.1f} {x:08.3f} {y:,} {y:,.2f} {z:.3g} {w:g}', {
        x: -1.25,
        y: { int: 1234567 },
        z: 0.00012345,
        w: 1e-7,
      } as never),
    ).toBe('-1.2 -001.250 1,234,567 1,234,567.00 0.000123 1e-07');
    // Exact ties round to even as in Python; 0.15 is below its tie (0.1499...), 2.675 too.
    expect(
      ['{a:.2f}', '{b:.1f}', '{c:.0f}', '{d:.0f}', '{e:.1f}', '{f:.2f}'].map((t) =>
        pythonFormat(t, { a: 0.125, b: 0.25, c: 2.5, d: 3.5, e: 0.15, f: 2.675 }),
      ),
    ).toEqual(['0.12', '0.2', '2', '4', '0.1', '2.67']);
  });

  it('rejects unknown names, d on floats and unbalanced braces, as Python does', () => {
    expectError(() => pythonFormat('{val_acc:.2f}', { loss: 1 }), InvalidArgumentError, 'val_acc', 'loss');
    expectError(() => pythonFormat('{loss:02d}', { loss: 1 }), InvalidArgumentError, "format code 'd'");
    expectError(() => pythonFormat('{loss', { loss: 1 }), InvalidArgumentError, "'{'");
    expectError(() => pythonFormat('loss}', { loss: 1 }), InvalidArgumentError, "'}'");
    expectError(() => pythonFormat('{loss:zz}', { loss: 1 }), InvalidArgumentError, 'format spec');
  });
});
