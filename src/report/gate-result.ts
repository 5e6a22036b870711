/** A gate as report.json records it (DESIGN.md §3.2), and how the report shows it. */

/**
 * `--fail-under <metric>.<stat>=<x>` (the run fails when the stat is below x) and
 * `--fail-over <metric>.<stat>=<x>` (fails when it is above x).
 */
export type GateOp = 'under' | 'over'

export interface GateResult {
  /** `<metric>.<stat>=<x>` as given; `op` says which flag. */
  expr: string
  op: GateOp
  value: number | null
  /** Rows the stat rests on, when known. */
  support?: number
  passed: boolean
  /** Why a gate failed without comparing a number (no value, no rows). */
  reason?: string
}

/** The bound a gate sets, in words a CLI and an Action user both read: `<metric>.<stat> ≥ 0.7`. */
export function gateBound(gate: Pick<GateResult, 'expr' | 'op'>): string {
  const eq = gate.expr.lastIndexOf('=')
  return `${gate.expr.slice(0, eq)} ${gate.op === 'over' ? '≤' : '≥'} ${gate.expr.slice(eq + 1)}`
}
