/** Global setup of the fuzz suite: a fresh tally folder, and the total over every suite printed at the end. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'keras-gru-fuzz-'));
  process.env.FUZZ_TALLY_DIR = dir;
  return () => {
    const tallies = readdirSync(dir).map(
      (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, number>,
    );
    const sum = (k: string): number => tallies.reduce((s, t) => s + (t[k] ?? 0), 0);
    console.log(
      `[fuzz] total: ${sum('cases')} cases — ${sum('typed')} typed errors, ${sum('correct')} correct results, ${sum('other')} other (must be 0)`,
    );
    rmSync(dir, { recursive: true, force: true });
  };
}
