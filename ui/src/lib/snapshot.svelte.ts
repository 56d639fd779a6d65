// `$state.snapshot` for values whose type refers to itself (a FieldValue holds lists and records
// of FieldValues). Svelte's `Snapshot<T>` type expands such a type without end ("type
// instantiation is excessively deep"); the snapshot is the same plain data, so it keeps its type.
export function plain<T>(value: T): T {
  return $state.snapshot(value) as unknown as T;
}
