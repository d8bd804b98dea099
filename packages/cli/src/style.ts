import { stripVTControlCharacters, styleText } from 'node:util';

/**
 * Terminal styling with Node's `util.styleText`, which colours only when stdout is a terminal that
 * wants it (NO_COLOR, NODE_DISABLE_COLORS, FORCE_COLOR and TERM=dumb respected), so piped output
 * and CI logs stay clean and greppable.
 */
type Format = Parameters<typeof styleText>[0];
const paint = (format: Format) => (text: string | number) => styleText(format, String(text));

export const style = {
  bold: paint('bold'),
  dim: paint('dim'),
  red: paint('red'),
  green: paint('green'),
  yellow: paint('yellow'),
  blue: paint('blue'),
  magenta: paint('magenta'),
  cyan: paint('cyan'),
  gray: paint('gray'),
};

/** Left-aligned table with a header row; numbers right-aligned. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const strip = stripVTControlCharacters;
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
