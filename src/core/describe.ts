import type {JsonSchema, MetricNote, StatDeclaration} from '../kernel/interfaces/index.js'
import type {RegisteredMetric} from './registry.js'

/** A metric as `metrics list` and `metrics info` show it (also their `--json` output). */
export interface MetricDescription {
  id: string
  version: string
  description: string
  source: string
  reference?: string
  inputs: Array<{name: string; description: string; fields: FieldDescription[]; columns?: readonly string[]; aliases?: Readonly<Record<string, string>>}>
  params: FieldDescription[]
  models: Array<{name: string; description: string; optional: boolean}>
  /** The summary stats it reports, as declared: what gates, compare and the report read. */
  stats: StatDeclaration[]
  /** How it decides what it reports per row (the metric's `notes`), when it says. */
  notes?: MetricNote[]
}

export interface FieldDescription {
  name: string
  type: string
  required: boolean
  default?: unknown
  description?: string
}

export function describeMetric({metric, source}: RegisteredMetric): MetricDescription {
  return {
    id: metric.id,
    version: metric.version,
    description: metric.description,
    source,
    ...(metric.reference === undefined ? {} : {reference: metric.reference}),
    inputs: metric.inputs.map((input) => ({
      name: input.name,
      description: input.description,
      fields: fields(input.rowSchema),
      ...(input.columns === undefined ? {} : {columns: input.columns}),
      ...(input.aliases === undefined ? {} : {aliases: input.aliases}),
    })),
    params: fields(metric.paramsSchema),
    models: (metric.models ?? []).map((m) => ({name: m.name, description: m.description, optional: m.optional ?? false})),
    stats: [...(metric.stats ?? [])],
    ...(metric.notes === undefined ? {} : {notes: metric.notes.map((n) => ({title: n.title, lines: [...n.lines]}))}),
  }
}

function fields(schema: JsonSchema): FieldDescription[] {
  const required = new Set((schema['required'] ?? []) as string[])
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>
  return Object.entries(properties).map(([name, property]) => {
    const field: FieldDescription = {name, type: typeOf(property), required: required.has(name)}
    if ('default' in property) field.default = property['default']
    if (typeof property['description'] === 'string') field.description = property['description']
    return field
  })
}

function typeOf(property: Record<string, unknown>): string {
  if (Array.isArray(property['enum'])) return (property['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(' | ')
  const type = property['type']
  if (Array.isArray(type)) return type.join(' | ')
  if (type === 'array') {
    const items = property['items'] as Record<string, unknown> | undefined
    return `${items === undefined ? 'unknown' : typeOf(items)}[]`
  }
  if (typeof type === 'string') return type
  if (Array.isArray(property['oneOf']) || Array.isArray(property['anyOf'])) {
    return ((property['oneOf'] ?? property['anyOf']) as Array<Record<string, unknown>>).map(typeOf).join(' | ')
  }
  return 'any'
}

/** The text `metrics info` prints. */
export function renderMetricDescription(d: MetricDescription): string {
  const out = [`${d.id} ${d.version} (${d.source})`, `  ${d.description}`]
  if (d.reference !== undefined) out.push(`  Reference: ${d.reference}`)
  for (const input of d.inputs) {
    out.push('', `Input "${input.name}": ${input.description}`)
    for (const f of input.fields) out.push(`  ${formatField(f)}`)
    if (input.columns !== undefined) out.push(`  CSV without a header: columns ${input.columns.join(', ')}`)
    if (input.aliases !== undefined) out.push(`  Also accepted: ${Object.entries(input.aliases).map(([a, f]) => `${a} for ${f}`).join(', ')}`)
  }
  for (const note of d.notes ?? []) {
    out.push('', `${note.title}:`)
    for (const line of note.lines) out.push(`  ${line}`)
  }
  out.push('', 'Params (--param key=value):')
  if (d.params.length === 0) out.push('  (none)')
  for (const f of d.params) out.push(`  ${formatField(f)}`)
  out.push('', 'Models:')
  if (d.models.length === 0) out.push('  (none: runs without a model)')
  for (const m of d.models) out.push(`  ${m.name}${m.optional ? ' (optional)' : ''}: ${m.description}`)
  out.push('', 'Summary stats (gate quality stats with --fail-under <id>.<stat>=x, or --fail-over for lower-is-better ones):')
  if (d.stats.length === 0) out.push('  (none declared)')
  for (const s of d.stats) out.push(`  ${formatStat(s)}`)
  return out.join('\n')
}

function formatStat(s: StatDeclaration): string {
  const direction = s.direction === 'higher' ? 'higher is better' : s.direction === 'lower' ? 'lower is better' : undefined
  const range = s.range === undefined ? undefined : `range ${s.range.min ?? '−∞'}..${s.range.max ?? '∞'}`
  const support = s.support === undefined ? undefined : `rows: ${s.support}`
  const facts = [s.kind, direction, range, support].filter((x) => x !== undefined).join('; ')
  return `${s.path} (${facts}): ${s.meaning}`
}

function formatField(f: FieldDescription): string {
  const flags = [f.required ? 'required' : 'optional', ...(f.default === undefined ? [] : [`default ${JSON.stringify(f.default)}`])]
  return `${f.name} (${f.type}; ${flags.join(', ')})${f.description === undefined ? '' : `: ${f.description}`}`
}
