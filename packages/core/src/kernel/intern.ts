/**
 * The engine's unique copy of a string. Ids and keys are compared and looked up millions of times
 * a run: two unique copies compare by address, and a unique copy is a property name as it is,
 * while a string built at run time (`n${i}`) or read from a file is compared character by
 * character against every id it is not, and must be looked up in the engine's string table each
 * time it names a property. JS engines keep property names unique, so a string read back as one
 * is that copy. (An integer-like string such as '7' is an array index, not a name: it comes back
 * as an equal string, which is just as correct.)
 */
export function intern(text: string): string {
  return Object.keys({ [text]: true })[0] ?? text;
}
