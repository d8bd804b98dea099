/** The typed arrays the kernel keeps its event columns in. */
export type TypedColumn = Float64Array | Int32Array | Uint8Array;

/** A copy of `column` with room for `capacity` entries; the new entries are 0. */
export function grown<C extends TypedColumn>(column: C, capacity: number): C {
  const bigger = new (column.constructor as new (length: number) => C)(capacity);
  bigger.set(column);
  return bigger;
}
