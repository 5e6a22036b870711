/**
 * How the reference (sparse_feedback scripts/consistency.py) identifies a response: pandas
 * reads the CSVs with its default missing-value handling, so an empty cell and spellings
 * such as `nan` or `NULL` all become NaN, and the lookup key is the f-string
 * "{instruction}-{input}-{output}", where NaN prints as `nan`. An empty input and a literal
 * `nan` input therefore name the same response, and they do here too.
 */

/** pandas' default `na_values` (pandas 1.5, the version the reference outputs come from). */
export const PANDAS_MISSING_SPELLINGS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'n/a',
  'nan',
  'null',
])

/** A key field as pandas sees it: null for "missing" (absent, JSON null, or a missing spelling). */
export function pandasCell(value: unknown): string | null {
  if (value === undefined || value === null) return null
  const text = String(value)
  return PANDAS_MISSING_SPELLINGS.has(text) ? null : text
}

/**
 * The key of a tuple of fields, with missing fields equal to each other. Unlike the
 * reference's `-`-joined string, fields cannot run into each other: ("a-b", "c") and
 * ("a", "b-c") stay different.
 */
export function referenceKey(...fields: unknown[]): string {
  return JSON.stringify(fields.map(pandasCell))
}
