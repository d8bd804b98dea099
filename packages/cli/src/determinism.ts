/** Where two runs of one seed first part: the 1-based trace line and each run's text of it. */
export interface TraceDifference {
  readonly line: number;
  /** The first run's line, or undefined when its trace ended there. */
  readonly first: string | undefined;
  /** The second run's line, or undefined when its trace ended there. */
  readonly second: string | undefined;
}

/**
 * The first line at which two JSON Lines traces differ, or undefined when they are equal. A run
 * whose handler calls Math.random(), reads the wall clock or keeps state between runs in a module
 * variable parts from its twin here, at the first event the difference touches.
 */
export function firstDifference(first: string, second: string): TraceDifference | undefined {
  if (first === second) return undefined;
  const a = first.split('\n');
  const b = second.split('\n');
  // A trace ends with a newline: the empty last element is not a line.
  if (a.at(-1) === '') a.pop();
  if (b.at(-1) === '') b.pop();
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return { line: i + 1, first: a[i], second: b[i] };
  return undefined;
}
