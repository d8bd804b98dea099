/**
 * The exit codes of every dsim command, distinct so that a script or CI job can tell "the
 * algorithm is wrong" from "the command was wrong" from "dsim (or the user's handler) broke".
 * The README's "Command line" section lists the same table.
 */
export const EXIT_OK = 0;
/** An invariant was violated, a swept seed failed, or a history is not linearizable. */
export const EXIT_VIOLATION = 1;
/** Bad input or usage: the message names the field and the fix. */
export const EXIT_USAGE = 2;
/** An internal error, or a protocol exception (the user's handler threw): its stack is printed. */
export const EXIT_INTERNAL = 3;
/** No verdict: a search ran out of its budget (`dsim check --budget`) before deciding. */
export const EXIT_UNKNOWN = 4;
/** Interrupted by Ctrl-C (SIGINT): 128 + the signal's number, as shells report it. */
export const EXIT_INTERRUPTED = 130;

export const exitCodeTable: readonly (readonly [code: number, meaning: string])[] = [
  [EXIT_OK, 'every invariant held (or the history is linearizable)'],
  [EXIT_VIOLATION, 'a violation, a failing seed, or a non-linearizable history'],
  [EXIT_USAGE, 'bad input or usage'],
  [EXIT_INTERNAL, "an internal error or a protocol exception (the handler's stack is printed)"],
  [EXIT_UNKNOWN, 'no verdict: the check ran out of budget'],
  [EXIT_INTERRUPTED, 'interrupted (Ctrl-C)'],
];
