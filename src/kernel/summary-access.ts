/** Reading summaries whose shape the report cannot assume (they come from metric plugins). */

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

export function numberAt(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** `table[row][col]` as numbers (0 where absent), or undefined unless it is an object of objects. */
export function countMatrix(value: unknown, rows: readonly string[], cols: readonly string[]): number[][] | undefined {
  const table = record(value)
  if (table === undefined) return undefined
  return rows.map((r) => cols.map((c) => numberAt(record(table[r])?.[c]) ?? 0))
}
