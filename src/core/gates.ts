import {usageError} from './errors.js'

/** A `--fail-under <metric>.<stat>=<x>` gate: the run fails when the stat is below x. */
export interface Gate {
  expr: string
  metric: string
  /** Dotted path into the metric's summary: `mean`, `byDataset.xsum.rocAuc`. */
  stat: string
  threshold: number
}

export interface GateResult {
  expr: string
  value: number | null
  passed: boolean
}

export function parseGate(expr: string): Gate {
  const match = /^([a-z][a-z0-9-]*)\.([^=]+)=(.+)$/.exec(expr.trim())
  const threshold = match === null ? Number.NaN : Number(match[3])
  if (match === null || !Number.isFinite(threshold)) {
    throw usageError(`--fail-under "${expr}" is not of the form <metric>.<stat>=<number>.`, 'For example: --fail-under alignscore.mean=0.75')
  }
  return {expr: expr.trim(), metric: match[1]!, stat: match[2]!, threshold}
}

/**
 * Checks each gate against the summaries. A stat that is missing or not a number is a
 * usage error naming the stats that exist, since the gate could never pass.
 */
export function evaluateGates(gates: readonly Gate[], summaries: Readonly<Record<string, Record<string, unknown>>>): GateResult[] {
  return gates.map((gate) => {
    const summary = summaries[gate.metric]
    if (summary === undefined) throw usageError(`--fail-under ${gate.expr}: metric "${gate.metric}" was not run.`, 'Add it to --metric, or drop the gate.')
    const value = gate.stat.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), summary)
    if (value === null) {
      throw usageError(
        `--fail-under ${gate.expr}: "${gate.stat}" of "${gate.metric}" is undefined for this data (for example a ROC AUC with only one class of labels).`,
        'Gate on a statistic this data defines, or fix the data.',
      )
    }
    if (typeof value !== 'number') {
      throw usageError(
        `--fail-under ${gate.expr}: the summary of "${gate.metric}" has no number at "${gate.stat}".`,
        `Gate on one of: ${numericPaths(summary).join(', ') || '(no numbers in this summary)'}.`,
      )
    }
    return {expr: gate.expr, value, passed: value >= gate.threshold}
  })
}

function numericPaths(node: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(node).flatMap(([key, value]) => {
    if (typeof value === 'number') return [prefix + key]
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return numericPaths(value as Record<string, unknown>, `${prefix}${key}.`)
    return []
  })
}
