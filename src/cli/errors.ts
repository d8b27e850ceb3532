/**
 * How the CLI ends: exit code 0 when it worked, 1 for a failure while running (a missing or malformed file,
 * data that does not fit), 2 for a command line that cannot be used (unknown option, bad option value). An
 * error is one line on stderr; `--verbose` adds the stack.
 */
import { KerasGruError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** The command line asks for something that cannot be done as asked (exit code 2). */
export class UsageError extends KerasGruError {}

const FS_MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'file exists',
};

/** An error as the one line the CLI prints. Node's file system errors name the path and the reason only. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) {
    const { code, path } = error as NodeJS.ErrnoException;
    if (code !== undefined && path !== undefined && code in FS_MESSAGES) return `${path}: ${FS_MESSAGES[code]}`;
    const cause = (error as { cause?: unknown }).cause;
    if (!(error instanceof KerasGruError) && cause instanceof Error) return errorLine(cause);
    return error.message.replace(/\s*\n\s*/g, ' ').trim();
  }
  return String(error);
}
