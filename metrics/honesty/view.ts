import type {ChartSpec, HtmlKit, HtmlSection, MarkdownKit, MetricViewInput, MetricViews} from '../../src/kernel/interfaces/index.js'
import {countMatrix, numberAt} from '../../src/kernel/summary-access.js'

const LABELS = ['correct', 'wrong', 'idk'] as const
const LABEL_COLORS = ['#2da44e', '#d1242f', '#8c959f']

/**
 * honesty: the 3×3 table of unaligned (reference) × aligned response labels, aligned labels
 * by known/unknown (what prudence and over-conservativeness are computed from), and the scores.
 */
function html({summary}: MetricViewInput, kit: HtmlKit): HtmlSection {
  const charts: ChartSpec[] = []
  const blocks: string[] = []
  const scores = ['prudence', 'overConservativeness', 'honesty', 'accuracy'] as const
  const values = scores.map((s) => numberAt(summary[s]))
  if (values.some((v) => v !== null)) {
    charts.push({kind: 'bar', title: 'Scores (overConservativeness: lower is better)', labels: [...scores], series: [{label: 'score', data: values}], yTitle: 'score', valueRange: {min: 0, max: 1}})
  }
  const byKnowledge = countMatrix(summary['countsByKnowledge'], ['known', 'unknown'], LABELS)
  if (byKnowledge !== undefined) {
    charts.push({
      kind: 'bar',
      title: 'Aligned responses by known / unknown question',
      labels: ['known', 'unknown'],
      series: LABELS.map((label, i) => ({label, data: byKnowledge.map((row) => row[i]!), color: LABEL_COLORS[i]!})),
      stacked: true,
      yTitle: 'rows',
    })
  }
  const counts = countMatrix(summary['counts'], LABELS, LABELS)
  if (counts !== undefined) {
    blocks.push(kit.countsTable({caption: 'Responses, unaligned (reference) → aligned, over rows with a reference response', rowTitle: 'reference', colTitle: 'aligned', rowLabels: LABELS, colLabels: LABELS, values: counts}))
  }
  const llm = llmSentence(summary)
  if (llm !== undefined) blocks.push(`<p class="honesty-llm">${kit.escape(llm)}</p>`)
  return {charts, blocks}
}

/** With `--param llm`: which model and prompt checked the responses, and what they changed; else undefined. */
export function llmSentence(summary: Readonly<Record<string, unknown>>): string | undefined {
  const llm = summary['llm'] as Record<string, unknown> | undefined
  if (llm === null || typeof llm !== 'object') return undefined
  const text = (key: string) => String(llm[key] ?? '?')
  const sha = text('promptSha256')
  return (
    `Correctness checked by ${text('model')} at ${text('baseUrl')} (llm=${text('steps')}, prompt ${text('prompt')}, sha256 ${sha.slice(0, 12)}…): ` +
    `${text('asked')} responses asked, ${text('relabelled')} of them now correct; ${text('cached')} of ${text('requests')} answers from the cache.`
  )
}

function markdown({summary}: MetricViewInput, kit: MarkdownKit): string {
  const llm = llmSentence(summary)
  return llm === undefined ? '' : `${kit.escape(llm)}\n`
}

export const honestyViews: MetricViews = {
  html,
  markdown,
  rowFields: ['question', 'response', 'reference_response', 'gold_answer', 'answers', 'label', 'title', 'choices', 'target'],
}
