/**
 * Build steps that run only when their sources changed. A step names its outputs and the files that decide
 * them; a stamp beside the first output (`<output>.stamp.json`) records a hash of each source from the last
 * build. When every output exists and every hash matches, the step is skipped without loading its compiler:
 * the check reads a few files and costs milliseconds, where loading the AssemblyScript compiler costs seconds.
 * Any new build (another WASM variant, a native addon) is one more step in a list.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export interface BuildStep {
  /** For messages: `kernels`, `addon`, ... */
  readonly name: string;
  /** Absolute paths of the files the step writes; the stamp goes beside the first. */
  readonly outputs: readonly string[];
  /** Absolute paths of every file whose bytes decide the outputs (the build script itself included). */
  readonly sources: readonly string[];
  /** Whatever else decides the outputs and is not a file here, e.g. the compiler's version. */
  readonly salt: string;
  /** Writes the outputs. */
  build(): Promise<void>;
}

interface Stamp {
  salt: string;
  /** Source path (relative to the root) → first 16 hex digits of its SHA-256. */
  sources: Record<string, string>;
}

export const stampPath = (step: BuildStep): string => `${step.outputs[0]}.stamp.json`;

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
}

function currentStamp(step: BuildStep, root: string): Stamp {
  const sources: Record<string, string> = {};
  for (const path of [...step.sources].sort()) sources[relative(root, path)] = fileHash(path);
  return { salt: step.salt, sources };
}

function readStamp(path: string): Stamp | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Stamp;
  } catch {
    return null;
  }
}

/** Why the step must run (missing outputs, changed sources), or null when it is up to date. */
export function staleReason(step: BuildStep, root: string): string | null {
  const missing = step.outputs.filter((path) => !existsSync(path));
  if (missing.length > 0) return `missing ${missing.map((path) => relative(root, path)).join(', ')}`;
  const old = readStamp(stampPath(step));
  if (old === null) return 'no stamp of the last build';
  const now = currentStamp(step, root);
  if (old.salt !== now.salt) return `${old.salt} → ${now.salt}`;
  const names = new Set([...Object.keys(old.sources ?? {}), ...Object.keys(now.sources)]);
  const changed = [...names].filter((name) => old.sources?.[name] !== now.sources[name]);
  return changed.length > 0 ? `changed ${changed.join(', ')}` : null;
}

/** Runs each step that is stale (every step with `force`), then stamps it. */
export async function runSteps(
  label: string,
  steps: readonly BuildStep[],
  root: string,
  force: boolean,
): Promise<void> {
  for (const step of steps) {
    const reason = force ? 'forced' : staleReason(step, root);
    if (reason === null) {
      console.log(`${label}: ${step.name} up to date`);
      continue;
    }
    const started = Date.now();
    console.log(`${label}: building ${step.name} (${reason})`);
    await step.build();
    // The stamp is written last: an interrupted build leaves the step stale.
    writeFileSync(stampPath(step), `${JSON.stringify(currentStamp(step, root), null, 2)}\n`);
    console.log(`${label}: built ${step.name} in ${Date.now() - started} ms`);
  }
}
