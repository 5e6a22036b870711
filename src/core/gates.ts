import {usageError} from '../kernel/errors.js'
import {gateBound, type GateOp, type GateResult} from '../report/gate-result.js'
import type {Logger, StatDeclaration} from '../kernel/interfaces/index.js'
import {matchStat, statSupport, valueAt} from '../kernel/stat-declarations.js'

export type {GateOp, GateResult}
export {gateBound}

export interface GateSpec {
  op: GateOp
  /** `<metric>.<stat>=<x>` as the user wrote it. */
  expr: string
}

export interface Gate {
  op: GateOp
  expr: string
  metric: string
  /** Dotted path into the metric's summary: `mean`, `byDataset.xsum.rocAuc`. */
  stat: string
  threshold: number
}

/** What a gate is checked against: the metric's declarations, summary and scored rows. */
export interface GatedMetric {
  stats: readonly StatDeclaration[]
  summary: Readonly<Record<string, unknown>>
  /** Rows with a score (rows minus errors). */
  scored: number
}

export const GATE_FLAGS: Readonly<Record<GateOp, string>> = {under: '--fail-under', over: '--fail-over'}

export function parseGate(spec: GateSpec): Gate {
  const flag = GATE_FLAGS[spec.op]
  const match = /^([a-z][a-z0-9-]*)\.([^=]+)=(.+)$/.exec(spec.expr.trim())
  const threshold = match === null ? Number.NaN : Number(match[3])
  if (match === null || !Number.isFinite(threshold)) {
    throw usageError(`${flag} "${spec.expr}" is not of the form <metric>.<stat>=<number>.`, `For example: ${flag} ${spec.op === 'under' ? 'alignscore.mean=0.75' : 'honesty.overConservativeness=0.2'}`)
  }
  return {op: spec.op, expr: spec.expr.trim(), metric: match[1]!, stat: match[2]!.trim(), threshold}
}

/** `--fail-under a --fail-over b` as gate specs, in that order. */
export function gateSpecs(failUnder: readonly string[] = [], failOver: readonly string[] = []): GateSpec[] {
  return [...failUnder.map((expr) => ({op: 'under' as const, expr})), ...failOver.map((expr) => ({op: 'over' as const, expr}))]
}

/**
 * Checks every gate against the metrics' declared stats before any row is read: a gate on a
 * metric not run, or on a stat the metric does not declare, is a usage error listing what can
 * be gated; a bound on the wrong side of a directed stat is a warning.
 */
export function checkGates(gates: readonly Gate[], declared: Readonly<Record<string, readonly StatDeclaration[]>>, logger: Logger): void {
  for (const gate of gates) {
    const flag = `${GATE_FLAGS[gate.op]} ${gate.expr}`
    const stats = declared[gate.metric]
    if (stats === undefined) throw usageError(`${flag}: metric "${gate.metric}" is not among the metrics run (${Object.keys(declared).join(', ')}).`, 'Add it to --metric, or drop the gate.')
    const match = matchStat(gate.stat, stats)
    if (match === undefined || match.declaration.kind !== 'quality') {
      const known = stats.filter((s) => s.kind === 'quality').map((s) => s.path)
      throw usageError(
        `${flag}: "${gate.stat}" is not a quality stat that ${gate.metric} reports${match === undefined ? '' : ` (it is a ${match.declaration.kind})`}.`,
        `Gate on one of: ${known.join(', ') || '(this metric declares none)'}; \`alignctl metrics info ${gate.metric}\` explains each.`,
      )
    }
    const direction = match.declaration.direction
    if (gate.op === 'under' && direction === 'lower') {
      logger.warn(`${flag}: lower is better for ${gate.metric}.${gate.stat}, so this gate fails only when the stat is good. To fail when it is above ${gate.threshold}, use --fail-over ${gate.expr}.`)
    } else if (gate.op === 'over' && direction === 'higher') {
      logger.warn(`${flag}: higher is better for ${gate.metric}.${gate.stat}, so this gate fails only when the stat is good. To fail when it is below ${gate.threshold}, use --fail-under ${gate.expr}.`)
    }
  }
}

/** One line for a terminal: `pass  --fail-under honesty.honesty=0.7 (value 0.81, 12 rows)`. */
export function describeGate(gate: GateResult): string {
  const value = gate.value === null ? 'no value' : `value ${gate.value}`
  const rows = gate.support === undefined ? '' : `, ${gate.support} row${gate.support === 1 ? '' : 's'}`
  return `${gate.passed ? 'pass' : 'FAIL'}  ${GATE_FLAGS[gate.op]} ${gate.expr} (${value}${rows})${gate.reason === undefined ? '' : `: ${gate.reason}`}`
}

/**
 * Checks each gate against the finished summaries. A gate fails, with a reason, when its
 * stat has no number for this data (null, NaN, absent) or rests on zero rows: a run that
 * scored nothing must never pass.
 */
export function evaluateGates(gates: readonly Gate[], metrics: Readonly<Record<string, GatedMetric>>): GateResult[] {
  return gates.map((gate) => {
    const base = {expr: gate.expr, op: gate.op}
    const metric = metrics[gate.metric]
    if (metric === undefined) return {...base, value: null, passed: false, reason: `metric "${gate.metric}" was not run.`}
    const value = valueAt(metric.summary, gate.stat)
    const match = matchStat(gate.stat, metric.stats)
    const support = match === undefined ? metric.scored : statSupport(match, metric.summary, metric.scored)
    const withSupport = support === undefined ? base : {...base, support}
    if (support === 0) {
      return {...withSupport, value: typeof value === 'number' && Number.isFinite(value) ? value : null, passed: false, reason: `${gate.metric}.${gate.stat} rests on zero rows, so it says nothing about the model.`}
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      const why = value === undefined ? 'is not in the summary of this run' : 'is undefined for this data (for example a ROC AUC with only one class of labels)'
      return {...withSupport, value: null, passed: false, reason: `${gate.metric}.${gate.stat} ${why}.`}
    }
    const passed = gate.op === 'under' ? value >= gate.threshold : value <= gate.threshold
    return {...withSupport, value, passed}
  })
}
