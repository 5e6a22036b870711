/**
 * What a format reader yields: one data row of a file, parsed but not yet validated, or the
 * reason it could not be parsed. Readers never drop a row: a row they cannot read is a
 * `problem`, which the caller reports or, under `--on-error skip`, lists as skipped.
 */
export type RawRecord =
  | {line: number; kind: 'object'; value: Record<string, unknown>}
  | {line: number; kind: 'cells'; cells: string[]}
  | {line: number; kind: 'problem'; message: string; field?: string}
