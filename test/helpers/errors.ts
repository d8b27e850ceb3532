/** Assertions on thrown errors: their type and the fragments their message must contain. */
import { expect } from 'vitest';
import { KerasGruError } from '../../src/errors.js';

/** Runs `fn`, expecting an instance of `type` whose message contains every fragment; returns the error. */
export function expectError(fn: () => unknown, type: new (...args: never[]) => Error, ...fragments: string[]): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  for (const f of fragments) expect((caught as Error).message).toContain(f);
  return caught as Error;
}

/** Runs `fn`, expecting it to throw an instance of `type` (a KerasGruError); returns the error for further checks. */
export function thrown<E extends Error>(fn: () => unknown, type: new (...args: never[]) => E): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(KerasGruError);
    return error as E;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}

/** `expectError` for a call that returns a Promise (e.g. `fit`): awaits its rejection and checks it likewise. */
export async function expectRejection(
  fn: () => Promise<unknown>,
  type: new (...args: never[]) => Error,
  ...fragments: string[]
): Promise<Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  for (const f of fragments) expect((caught as Error).message).toContain(f);
  return caught as Error;
}
