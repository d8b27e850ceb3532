/** Mutations of a JSON document at a random path: replace, delete, wrap, nest deeply, or swap in junk. */
import fc from 'fast-check';
import { anyValue } from './values.js';

type Json = unknown;

/** Every path (list of keys and indices) into `doc`, the root included. */
export function jsonPaths(
  doc: Json,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => jsonPaths(v, [...prefix, i], out));
  else if (doc !== null && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) jsonPaths(v, [...prefix, k], out);
  return out;
}

function deepNest(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = { class_name: 'Dense', config: v };
  return v;
}

const replacement = fc.oneof(
  { weight: 5, arbitrary: anyValue },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      deepNest(2000),
      '__proto__',
      'constructor',
      'GRU',
      'Functional',
      'Sequential',
      -1e308,
      1e9,
      [null, null],
      [[0, 0, 0]],
    ),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((s) => JSON.parse(s) as Json) },
);

export type Mutation = { path: (string | number)[]; op: 'replace' | 'delete' | 'wrap' | 'duplicate-key'; value: Json };

/** A structured-clone of `doc` with one to three mutations applied. */
export function mutatedJson(doc: Json): fc.Arbitrary<{ doc: Json; mutations: Mutation[] }> {
  const paths = jsonPaths(doc);
  const mutation = fc.record({
    path: fc.constantFrom(...paths),
    op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'wrap', 'duplicate-key') as fc.Arbitrary<
      Mutation['op']
    >,
    value: replacement,
  });
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
    let copy: Json = structuredClone(doc);
    for (const m of mutations) copy = apply(copy, m);
    return { doc: copy, mutations };
  });
}

function apply(root: Json, m: Mutation): Json {
  if (m.path.length === 0) return m.op === 'wrap' ? [root] : m.op === 'replace' ? m.value : root;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks arbitrary JSON by key, any depth
  let parent: any = root;
  for (const k of m.path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return root;
    parent = parent[k];
  }
  if (parent === null || typeof parent !== 'object') return root;
  const key = m.path[m.path.length - 1]!;
  if (!(key in parent)) return root;
  if (m.op === 'replace') parent[key] = m.value;
  else if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (m.op === 'wrap') parent[key] = [parent[key]];
  else if (Array.isArray(parent)) parent.push(parent[key as number]);
  else parent[`${String(key)}_copy`] = parent[key];
  return root;
}
