/**
 * What a format reader yields: one data row of a file, parsed but not yet validated, or the
 * reason it could not be parsed. Readers never drop a row: a row they cannot read is a
 * `problem`, which the caller reports or, under `--on-error skip`, lists as skipped.
 */
export type RawRecord = (
  | {line: number; kind: 'object'; value: Record<string, unknown>}
  | {line: number; kind: 'cells'; cells: string[]}
  | {line: number; kind: 'problem'; message: string; field?: string}
) & {
  /** Where on its line the row is, when a line holds several (a JSON array on one line): `array index 3, byte 120`. */
  position?: string
}

/** The bound on one row's size when none is given (`--max-row-bytes`). */
export const DEFAULT_MAX_ROW_BYTES = 32 * 1024 * 1024

/** Sets `key` as an own, ordinary field, even `__proto__` (which `obj[key] = v` would not). */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true})
}
