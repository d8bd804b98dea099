/**
 * How a printed command calls dsim. `npx dsim` works in any project that installed @dsim/cli
 * (and in this repository), where a bare `dsim` is on the PATH only after a global install.
 */
export const DSIM = 'npx dsim';

/** An argument as a POSIX shell reads it back: bare when it is plainly safe, else single-quoted. */
export function shellArg(text: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
