import type {ChartSpec, HtmlKit, HtmlSection, MetricViewInput, MetricViews} from '../../src/kernel/interfaces/index.js'
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
    charts.push({kind: 'bar', title: 'Scores (overConservativeness: lower is better)', labels: [...scores], series: [{label: 'score', data: values}], yTitle: 'score'})
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
  return {charts, blocks}
}

export const honestyViews: MetricViews = {html}
