/** Compares two HDF5 trees member by member and reports every difference by path. */
import { expect } from 'vitest';
import type { H5Attribute, H5Group } from '../../src/io/h5-tree.js';

function attributeSummary(attribute: H5Attribute): unknown {
  if (attribute.type === 'string') {
    return {
      type: 'string',
      charset: attribute.charset,
      length: attribute.length,
      shape: attribute.shape,
      data: attribute.data,
    };
  }
  return { type: 'numeric', dtype: attribute.dtype, shape: attribute.shape, data: Array.from(attribute.data, String) };
}

/** Every group, dataset and attribute of the tree as `path → description`. */
export function flattenTree(
  group: H5Group,
  path = '',
  skipAttributes: readonly string[] = [],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(group.attrs)) {
    if (!skipAttributes.includes(name)) result[`${path || '/'}@${name}`] = attributeSummary(attribute);
  }
  for (const [name, dataset] of Object.entries(group.datasets)) {
    result[`${path}/${name}`] = { dtype: dataset.dtype, shape: dataset.shape, data: Array.from(dataset.data, String) };
    for (const [attrName, attribute] of Object.entries(dataset.attrs))
      result[`${path}/${name}@${attrName}`] = attributeSummary(attribute);
  }
  for (const [name, child] of Object.entries(group.groups)) {
    result[`${path}/${name}/`] = 'group';
    Object.assign(result, flattenTree(child, `${path}/${name}`, skipAttributes));
  }
  return result;
}

export function expectSameTree(actual: H5Group, expected: H5Group, skipAttributes: readonly string[] = []): void {
  const a = flattenTree(actual, '', skipAttributes);
  const e = flattenTree(expected, '', skipAttributes);
  expect(Object.keys(a).sort()).toEqual(Object.keys(e).sort());
  for (const key of Object.keys(e)) expect(a[key], key).toEqual(e[key]);
}
