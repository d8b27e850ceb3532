import { describe, expect, it } from 'vitest';
import { CsvError, InvalidArgumentError, parseCsv, readCsv } from '../../src/index.js';
import { expectError, thrown } from '../helpers/errors.js';

describe('parseCsv', () => {
  it('reads quoted fields, embedded delimiters and newlines, mixed line endings and a BOM', () => {
    const t = parseCsv('\uFEFFdate,name,value\r\n2020-01-01,"a, b",1.5\n\n2020-01-02,"x\ny",-2e-3\r\n');
    expect(t.columns).toEqual(['date', 'name', 'value']);
    expect(t.rowCount).toBe(2);
    expect(t.strings('name')).toEqual(['a, b', 'x\ny']);
    expect([...t.column('value')]).toEqual([1.5, -0.002]);
    expect(t.column(2)).toEqual(t.column('value'));
  });

  it('turns columns into a [rows, columns] tensor', () => {
    const t = parseCsv('a;b\n1;2\n3;4\n', { delimiter: ';' });
    const x = t.toTensor();
    expect(x.shape).toEqual([2, 2]);
    expect(x.dtype).toBe('float32');
    expect([...x.dataSync()]).toEqual([1, 2, 3, 4]);
    expect([...t.toTensor(['b'], { dtype: 'float64' }).dataSync()]).toEqual([2, 4]);
  });

  it('names the row, the line and the count for a ragged row', () => {
    const e = thrown(() => parseCsv('a,b\n1,2\n\n3\n4,5\n', { file: 'data.csv' }), CsvError);
    expect(e.message).toBe('data.csv: row 2, line 4: 1 field, the header has 2');
    expect(e.row).toBe(2);
    expect(e.line).toBe(4);
    expectError(() => parseCsv('a,b\n1,2,3\n'), CsvError, 'row 1, line 2: 3 fields, the header has 2');
  });

  it('counts lines inside quoted fields', () => {
    expectError(() => parseCsv('a,b\n"1\n\n",2\n3,4,5\n'), CsvError, 'row 2, line 5');
  });

  it('names the row, line and column of a value that is not a number, and refuses loose conversions', () => {
    const t = parseCsv('t,co2\n1,316.1\n2,abc\n', { file: 'co2.csv' });
    const e = thrown(() => t.column('co2'), CsvError);
    expect(e.message).toBe('co2.csv: row 2, line 3, column \'co2\': "abc" is not a number');
    expect(e.column).toBe('co2');
    for (const bad of ['0x1A', '1,5', '12 kg', '1e', '--1']) {
      expectError(() => parseCsv(`v\n"${bad}"\n`).column('v'), CsvError, 'is not a number');
    }
    expect([...parseCsv('v\n nan \ninf\n-Infinity\n.5\n+3.\n').column('v')]).toEqual([
      NaN,
      Infinity,
      -Infinity,
      0.5,
      3,
    ]);
  });

  it('reads empty fields as an error by default and as NaN when asked', () => {
    const t = parseCsv('a,b\n1,\n2,3\n');
    expectError(() => t.column('b'), CsvError, "row 1, line 2, column 'b': the field is empty");
    expect([...t.column('b', { missing: 'nan' })]).toEqual([NaN, 3]);
  });

  it('names the columns when asked for one that does not exist', () => {
    expectError(() => parseCsv('a,b\n1,2\n').column('c'), CsvError, 'no such column: "c"; the columns are "a", "b"');
  });

  it('numbers the columns without a header', () => {
    const t = parseCsv('1,2\n3,4\n', { header: false });
    expect(t.columns).toEqual(['0', '1']);
    expect([...t.column(1)]).toEqual([2, 4]);
  });

  it('rejects an unterminated quote, an empty file, duplicate names and bad options', () => {
    expectError(() => parseCsv('a,b\n1,"2\n'), CsvError, 'line 2: quoted field unterminated');
    expectError(() => parseCsv('\n\n'), CsvError, 'the file has no rows');
    expectError(() => parseCsv('a,a\n1,2\n'), CsvError, 'names the column "a" twice');
    expectError(() => parseCsv('a\n1\n', { delimiter: '' }), InvalidArgumentError, 'delimiter');
    expectError(() => parseCsv(42 as unknown as string), InvalidArgumentError, 'text');
  });

  it('readCsv reads bytes and files', async () => {
    const t = await readCsv(new TextEncoder().encode('x\n1\n2\n'));
    expect([...t.column('x')]).toEqual([1, 2]);
    const co2 = await readCsv(new URL('../../examples/data/co2.csv', import.meta.url));
    expect(co2.columns).toEqual(['date', 'co2']);
    expect(co2.rowCount).toBe(2284);
    expect(co2.column('co2', { missing: 'nan' })[0]).toBeCloseTo(316.1, 10);
  });
});
