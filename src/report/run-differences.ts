import type {MetricReport, Report} from './report.js'

/** Something that differs between two runs and may explain a change in their numbers. */
export interface RunDifference {
  /** The metric it concerns; absent for the inputs, which metrics share. */
  metric?: string
  what: 'model' | 'inputs' | 'params' | 'version' | 'declarations'
  base: string
  head: string
}

/**
 * What differs between two runs besides the scores: each metric's version, params and model
 * (name, precision, weights sha256), and the inputs' contents (sha256). `compare` states these
 * first, so a change of numbers is read with its cause in view.
 */
export function runDifferences(base: Report, head: Report): RunDifference[] {
  const differences: RunDifference[] = []
  const inputs = (r: Report) => Object.entries(r.inputs).map(([name, i]) => `${name}: ${i.sha256.slice(0, 12)} (${i.rows} rows)`).sort().join(', ')
  if (inputs(base) !== inputs(head)) differences.push({what: 'inputs', base: inputs(base), head: inputs(head)})
  for (const id of Object.keys(head.metrics)) {
    const before = base.metrics[id]
    const after = head.metrics[id]!
    if (before === undefined) continue
    if (before.version !== after.version) differences.push({metric: id, what: 'version', base: before.version, head: after.version})
    const params = (m: MetricReport) => JSON.stringify(sortKeys(m.params))
    if (params(before) !== params(after)) differences.push({metric: id, what: 'params', base: params(before), head: params(after)})
    if (modelOf(before) !== modelOf(after)) differences.push({metric: id, what: 'model', base: modelOf(before), head: modelOf(after)})
    if ((before.stats === undefined) !== (after.stats === undefined)) {
      const has = (m: MetricReport) => (m.stats === undefined ? 'no stat declarations (an older report)' : 'stat declarations')
      differences.push({metric: id, what: 'declarations', base: has(before), head: has(after)})
    }
  }
  return differences
}

/** `<pack name> <precision> sha256 <first 12 hex>`, or `none` for a metric that ran no model. */
function modelOf(metric: MetricReport): string {
  const model = metric.model
  if (model === undefined) return 'none'
  const packs = Array.isArray(model['packs']) ? (model['packs'] as Array<Record<string, unknown>>) : [model]
  return packs
    .map((p) => [p['name'], p['precision'], typeof p['sha256'] === 'string' ? `sha256 ${p['sha256'].slice(0, 12)}` : undefined].filter((x) => x !== undefined).join(' '))
    .join(' + ')
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]))
}
