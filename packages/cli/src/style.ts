/**
 * Terminal styling. Colour only when writing to a terminal that wants it (NO_COLOR and
 * FORCE_COLOR respected), so piped output and CI logs stay clean and greppable.
 */
const enabled = (() => {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
})();

const wrap = (open: number, close: number) => (text: string | number) =>
  enabled ? `\u001b[${open}m${text}\u001b[${close}m` : String(text);

export const style = {
  enabled,
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  magenta: wrap(35, 39),
  cyan: wrap(36, 39),
  gray: wrap(90, 39),
};

/** Left-aligned table with a header row; numbers right-aligned. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
  const cells = [headers.map(String), ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => strip(row[column] ?? '').length)));
  const numeric = headers.map(
    (_, column) =>
      rows.length > 0 &&
      rows.every(
        (row) => typeof row[column] === 'number' || /^[\d.,]+[a-z%/]*$/i.test(strip(String(row[column] ?? ''))),
      ),
  );
  const line = (row: readonly string[], header = false) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(Math.max(0, widths[column]! - strip(cell).length));
        const text = numeric[column] && !header ? pad + cell : cell + pad;
        return header ? style.bold(text) : text;
      })
      .join('  ')
      .trimEnd();
  return [line(cells[0]!, true), ...cells.slice(1).map((row) => line(row))].join('\n');
}
