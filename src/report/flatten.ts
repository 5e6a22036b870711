/** A summary entry as a table row: `byDataset.xsum.rocAuc` → 0.81. */
export interface StatRow {
  path: string
  value: unknown
}

/**
 * Flattens nested summary objects into dotted paths of scalars. Arrays (such as quoted
 * examples) are not statistics and are left out; metric views show them their own way.
 */
export function flattenSummary(summary: Readonly<Record<string, unknown>>, prefix = ''): StatRow[] {
  return Object.entries(summary).flatMap(([key, value]) => {
    if (Array.isArray(value)) return []
    return value !== null && typeof value === 'object' ? flattenSummary(value as Record<string, unknown>, `${prefix}${key}.`) : [{path: prefix + key, value}]
  })
}

/** Numbers to 4 decimals (integers as they are); everything else as compact JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4)
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}
