import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { FileExistsError, FileFormatError, SourceError } from '../../src/io/errors.js';
import { readKerasWeights } from '../../src/io/keras-weights.js';
import { loadKerasFile, sniffFormat } from '../../src/io/load.js';
import { readBytesFromPath, writeBytesToPath } from '../../src/io/node.js';
import { readSource, siblingSource } from '../../src/io/source.js';
import { writeTfjsModel } from '../../src/io/tfjs.js';
import {
  expectFixtureWeights,
  loadModelFixture,
  MODEL_NAMES,
  modelFileBytes,
  modelFilePath,
} from './model-fixtures.js';

let dir: string;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keras-gru-io-'));
  // A TF.js model beside the fixtures' copies, served over HTTP from `dir`.
  const fixture = loadModelFixture('forecaster');
  const layers = await readKerasWeights(modelFileBytes('forecaster.weights.h5'), fixture.config);
  const { modelJson, shards } = writeTfjsModel({ config: fixture.config, layers, shardSizeBytes: 512 });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  for (const shard of shards) writeFileSync(join(dir, shard.path), shard.data);
  writeFileSync(join(dir, 'forecaster.keras'), modelFileBytes('forecaster.keras'));
  server = createServer((request, response) => {
    try {
      const body = readFileSync(join(dir, decodeURIComponent(new URL(request.url!, 'http://x').pathname)));
      response.writeHead(200).end(body);
    } catch {
      response.writeHead(404, 'Not Found').end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${address.port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('node.ts: paths', () => {
  it('reads the bytes at a path or file: URL; a missing file is a SourceError naming it', async () => {
    const bytes = await readBytesFromPath(modelFilePath('forecaster.keras'));
    expect(bytes).toEqual(modelFileBytes('forecaster.keras'));
    expect(await readBytesFromPath(pathToFileURL(modelFilePath('forecaster.keras')))).toEqual(bytes);
    const missing = join(dir, 'nope.keras');
    await expect(readBytesFromPath(missing)).rejects.toBeInstanceOf(SourceError);
    await expect(readBytesFromPath(missing)).rejects.toMatchObject({
      source: missing,
      message: expect.stringMatching(/no such file/),
    });
  });

  it('writes a new file, refuses to replace one without overwrite: true, replaces it with', async () => {
    const path = join(dir, 'out.bin');
    await writeBytesToPath(path, Uint8Array.of(1, 2, 3));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    const refused = writeBytesToPath(path, Uint8Array.of(9));
    await expect(refused).rejects.toBeInstanceOf(FileExistsError);
    await expect(writeBytesToPath(path, Uint8Array.of(9))).rejects.toMatchObject({ file: path });
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await writeBytesToPath(path, Uint8Array.of(4, 5), { overwrite: true });
    expect([...readFileSync(path)]).toEqual([4, 5]);
  });
});

describe('source.ts: paths, URLs, bytes', () => {
  it('takes bytes as ArrayBuffer, Uint8Array, other views and Blobs', async () => {
    const bytes = Uint8Array.of(1, 2, 3, 4);
    expect((await readSource(bytes)).bytes).toBe(bytes);
    expect([...(await readSource(bytes.buffer)).bytes]).toEqual([1, 2, 3, 4]);
    expect([...(await readSource(new DataView(bytes.buffer, 1, 2))).bytes]).toEqual([2, 3]);
    expect([...(await readSource(new Int16Array([1]))).bytes]).toEqual([1, 0]);
    const blob = await readSource(new File([bytes], 'm.keras'));
    expect(blob).toEqual({ bytes: bytes, name: 'm.keras' });
  });

  it('reads paths and file: URLs from disk, fetches http URLs', async () => {
    const expected = modelFileBytes('forecaster.keras');
    expect((await readSource(modelFilePath('forecaster.keras'))).bytes).toEqual(expected);
    expect((await readSource(pathToFileURL(modelFilePath('forecaster.keras')).href)).bytes).toEqual(expected);
    const fetched = await readSource(`${baseUrl}forecaster.keras`);
    expect(fetched.bytes).toEqual(expected);
    expect(fetched.name).toBe(`${baseUrl}forecaster.keras`);
    expect((await readSource(new URL('forecaster.keras', baseUrl))).bytes).toEqual(expected);
  });

  it('reports an HTTP error status and a failed fetch as SourceErrors', async () => {
    await expect(readSource(`${baseUrl}missing.keras`)).rejects.toMatchObject({
      status: 404,
      source: `${baseUrl}missing.keras`,
    });
    const failing = () => Promise.reject(new Error('offline'));
    await expect(readSource('https://example.invalid/m.keras', { fetch: failing })).rejects.toThrowError(SourceError);
  });

  it('finds siblings of paths and URLs (TF.js shards next to model.json)', () => {
    expect(siblingSource('/a/b/model.json', 'group1-shard1of1.bin')).toBe('/a/b/group1-shard1of1.bin');
    expect(siblingSource('model.json', 'w.bin')).toBe('w.bin');
    expect(String(siblingSource('https://h/m/model.json', 'w.bin'))).toBe('https://h/m/w.bin');
    expect(siblingSource(new Uint8Array(1), 'w.bin')).toBeUndefined();
  });
});

describe('load.ts: any Keras file from any source', () => {
  it('tells formats apart by their first bytes', () => {
    expect(sniffFormat(modelFileBytes('forecaster.keras'))).toBe('zip');
    expect(sniffFormat(modelFileBytes('forecaster.h5'))).toBe('hdf5');
    expect(sniffFormat(new TextEncoder().encode('\n  {"weightsManifest": []}'))).toBe('json');
    expect(sniffFormat(Uint8Array.of(1, 2, 3))).toBe('unknown');
  });

  it.each(MODEL_NAMES)('%s: .keras, .h5 and .weights.h5 give the same weights', async (name) => {
    const fixture = loadModelFixture(name);
    const keras = await loadKerasFile(modelFilePath(`${name}.keras`));
    expect(keras).toMatchObject({ kind: 'keras', kerasVersion: '3.15.1', name: modelFilePath(`${name}.keras`) });
    expect(keras.config).toEqual(fixture.config);
    expectFixtureWeights(keras.layers, fixture);
    const legacy = await loadKerasFile(modelFileBytes(`${name}.h5`));
    expect(legacy).toMatchObject({ kind: 'legacy-h5', kerasVersion: '3.15.1', name: '<bytes>' });
    expectFixtureWeights(legacy.layers, fixture);
    const weights = await loadKerasFile(modelFilePath(`${name}.weights.h5`), { config: fixture.config });
    expect(weights.kind).toBe('weights-h5');
    expectFixtureWeights(weights.layers, fixture);
  });

  it('asks for a config to read a .weights.h5 with', async () => {
    await expect(loadKerasFile(modelFilePath('forecaster.weights.h5'))).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('loads a TF.js model.json with its shards from beside it, by path and by URL', async () => {
    const fixture = loadModelFixture('forecaster');
    for (const source of [join(dir, 'model.json'), `${baseUrl}model.json`]) {
      const model = await loadKerasFile(source);
      expect(model.kind).toBe('tfjs');
      expect(model.config).toEqual(fixture.config);
      expectFixtureWeights(model.layers, fixture);
    }
    await expect(loadKerasFile(readFileSync(join(dir, 'model.json')))).rejects.toMatchObject({
      member: expect.stringMatching(/^group1-shard1of\d+\.bin$/),
    });
  });

  it('rejects bytes that are no Keras file', async () => {
    await expect(loadKerasFile(Uint8Array.of(1, 2, 3), {})).rejects.toBeInstanceOf(FileFormatError);
  });
});
