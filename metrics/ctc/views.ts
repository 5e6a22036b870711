/**
 * The ctc section of report.html and summary.md: the aspect means with the settings each was
 * computed with, and, in the row table, the tokens of the scored text that align poorly.
 */
import type {HtmlKit, HtmlSection, MarkdownKit, MetricViewInput, MetricViews, RowSpans} from '../../src/kernel/interfaces/index.js'
import {ASPECTS, type Aspect} from './schemas.js'

const SCORED_TEXT: Record<Aspect, string> = {
  consistency: 'summary',
  relevance: 'summary',
  preservation: 'output',
  engagingness: 'response',
  groundedness: 'response',
  'factual-consistency': 'hypothesis',
}

interface AspectRow {
  aspect: Aspect
  mean: unknown
  aggregation: string
  stopwords: string
}

function aspectRows(input: MetricViewInput): AspectRow[] {
  const settings = (input.summary['settings'] ?? {}) as {aspects?: Record<string, {aggregation?: string; stopwords?: boolean}>}
  return ASPECTS.filter((a) => a in input.summary).map((aspect) => {
    const s = settings.aspects?.[aspect]
    return {aspect, mean: input.summary[aspect], aggregation: s?.aggregation ?? '', stopwords: s === undefined ? '' : s.stopwords ? 'removed' : 'kept'}
  })
}

function describeRun(input: MetricViewInput): string[] {
  const settings = (input.summary['settings'] ?? {}) as {aligner?: string; packs?: Record<string, string>; rescale?: {baseline: number; source: string}; variants?: Record<string, unknown>}
  const lines: string[] = []
  if (settings.aligner !== undefined) lines.push(`Aligner ${settings.aligner}; packs: ${Object.entries(settings.packs ?? {}).map(([c, p]) => `${c} = ${p}`).join(', ')}.`)
  if (settings.rescale !== undefined) lines.push(`Preservation rescaled with baseline ${settings.rescale.baseline} (${settings.rescale.source}).`)
  const variants = Object.entries(settings.variants ?? {})
  if (variants.length > 0) lines.push(`Library-version behaviour: ${variants.map(([k, v]) => `${k} = ${String(v)}`).join(', ')}.`)
  return lines
}

export function ctcHtml(input: MetricViewInput, kit: HtmlKit): HtmlSection {
  const rows = aspectRows(input)
  if (rows.length === 0) return {}
  const table = [
    '<table><caption>CTC aspects</caption><thead><tr><th>aspect</th><th>mean</th><th>aggregation</th><th>stopwords</th></tr></thead><tbody>',
    ...rows.map((r) => `<tr><td>${kit.escape(r.aspect)}</td><td>${kit.escape(kit.formatValue(r.mean))}</td><td>${kit.escape(r.aggregation)}</td><td>${kit.escape(r.stopwords)}</td></tr>`),
    '</tbody></table>',
  ].join('')
  const notes = describeRun(input).map((line) => `<p>${kit.escape(line)}</p>`)
  return {
    charts: [{kind: 'bar', title: 'Mean per aspect', labels: rows.map((r) => r.aspect), series: [{label: 'mean', data: rows.map((r) => (typeof r.mean === 'number' ? r.mean : null))}]}],
    blocks: [table, ...notes],
  }
}

export function ctcMarkdown(input: MetricViewInput, kit: MarkdownKit): string {
  const rows = aspectRows(input)
  if (rows.length === 0) return ''
  return [
    '| aspect | mean | aggregation | stopwords |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${kit.escape(r.aspect)} | ${kit.formatValue(r.mean)} | ${kit.escape(r.aggregation)} | ${kit.escape(r.stopwords)} |`),
    '',
    ...describeRun(input).map((line) => kit.escape(line)),
  ].join('\n')
}

/** Highlights, per aspect, the tokens of the scored text under the run's threshold for that aspect. */
export const ctcSpans: readonly RowSpans[] = ASPECTS.map((aspect) => ({
  path: `tokens.${aspect}`,
  label: `${SCORED_TEXT[aspect]} tokens (${aspect})`,
  threshold: (summary: Readonly<Record<string, unknown>>) => {
    const thresholds = (summary['tokenThresholds'] ?? {}) as Record<string, unknown>
    const value = thresholds[aspect]
    return typeof value === 'number' ? value : Number.NEGATIVE_INFINITY
  },
  // RoBERTa tokens decoded one by one carry their own leading space; BERT pieces and D's words do not.
  separator: (summary: Readonly<Record<string, unknown>>) => (String((summary['settings'] as Record<string, unknown> | undefined)?.['aligner'] ?? '').startsWith('E-roberta') ? '' : ' '),
}))

export const ctcViews: MetricViews = {
  html: ctcHtml,
  markdown: ctcMarkdown,
  spans: ctcSpans,
  // Each task's texts: the one scored and what it is aligned with.
  rowFields: ['document', 'summary', 'references', 'input', 'output', 'history', 'fact', 'response', 'grounding', 'hypothesis'],
}
