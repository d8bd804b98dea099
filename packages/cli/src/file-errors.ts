import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** What each file-system error means to a person, and what to do about it. */
const MEANINGS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied; check the file and its folders are readable (and writable for output)',
  EPERM: 'the operation is not permitted; check the permissions',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a folder on the path is a file; check the path',
  EISDIR: 'it is a folder; give a file',
  ENOSPC: 'no space left on the device; free some space or write elsewhere',
  EDQUOT: 'the disk quota is exhausted; free some space or write elsewhere',
  EROFS: 'the file system is read-only; write elsewhere',
  EMFILE: 'too many open files; raise the limit (ulimit -n)',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links on the path',
  EIO: 'an input/output error from the device',
  EFBIG: 'the file is too large for the file system',
  EBUSY: 'the file is busy',
};

export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    Object.hasOwn(MEANINGS, (error as NodeJS.ErrnoException).code!)
  );
}

/**
 * A file-system error as one line naming the path and the fix, instead of Node's
 * "ENOTDIR: not a directory, mkdir '…'" with a stack. For a path under a file (ENOTDIR, or
 * mkdir's EEXIST on a file) it names the file that is in the way.
 */
export function describeFileError(error: unknown, action: string, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTDIR' || (code === 'EEXIST' && blockingFile(path))) {
    const blocker = blockingFile(path);
    if (blocker) return `cannot ${action} ${path}: ${blocker} is a file, not a folder; choose another path`;
  }
  const meaning = code !== undefined && Object.hasOwn(MEANINGS, code) ? MEANINGS[code] : undefined;
  if (meaning) return `cannot ${action} ${path}: ${meaning} (${code})`;
  return `cannot ${action} ${path}: ${error instanceof Error ? error.message : String(error)}`;
}

/** The nearest ancestor of `path` that exists and is not a folder. */
function blockingFile(path: string): string | undefined {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if (existsSync(dir)) return statSync(dir).isDirectory() ? undefined : dir;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
