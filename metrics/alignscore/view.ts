import type {ChartSpec, HtmlKit, HtmlSection, MetricViewInput, MetricViews} from '../../src/kernel/interfaces/index.js'
import type {FieldMark} from '../../src/kernel/interfaces/index.js'
import {numberAt, record} from '../../src/kernel/summary-access.js'
import {chunkOffsets} from './chunks.js'
import {splitSentences, type PunktVersion} from './punkt/index.js'
import type {AlignScoreResult} from './score.js'

const COLUMNS = ['n', 'mean', 'rocAuc', 'balancedAccuracy', 'threshold', 'pearson', 'spearman', 'kendall']

/** alignscore: the per-dataset table (SummaC / TRUE protocols) and per-dataset AUC (or mean). */
function html({summary}: MetricViewInput, kit: HtmlKit): HtmlSection {
  const datasets = Object.entries(record(summary['byDataset']) ?? {}).flatMap(([name, stats]) => {
    const r = record(stats)
    return r === undefined ? [] : [[name, r] as [string, Record<string, unknown>]]
  })
  if (datasets.length === 0) return {}
  const stat = datasets.some(([, s]) => numberAt(s['rocAuc']) !== null) ? 'rocAuc' : 'mean'
  const chart: ChartSpec = {
    kind: 'bar',
    title: `${stat === 'rocAuc' ? 'ROC AUC' : 'Mean score'} by dataset`,
    labels: datasets.map(([name]) => name),
    series: [{label: stat, data: datasets.map(([, s]) => numberAt(s[stat]))}],
    horizontal: datasets.length > 12,
    yTitle: stat,
    // AUC lies in [0, 1] (0.5 is chance); a mean of reg-mode scores may not.
    ...(stat === 'rocAuc' ? {valueRange: {min: 0, max: 1}} : {}),
  }
  return {charts: [chart], blocks: [kit.keyedTable('By dataset', 'dataset', datasets, COLUMNS)]}
}

/**
 * The chunks of the context that gave a claim sentence its score, found again with the run's
 * sentence splitter and the reference's grouping (only when the context had several chunks).
 */
export function bestChunkMarks(input: Readonly<Record<string, unknown>>, result: unknown, params: Readonly<Record<string, unknown>>): FieldMark[] {
  const {sentences, chunks} = (result ?? {}) as AlignScoreResult
  const context = input['context']
  if (typeof context !== 'string' || sentences === undefined || chunks === undefined || chunks < 2) return []
  const offsets = chunkOffsets(context, splitSentences(context, params['punkt'] as PunktVersion))
  if (offsets === undefined || offsets.length !== chunks) return []
  const best = new Map<number, string[]>()
  sentences.forEach((s, i) => best.set(s.chunk, [...(best.get(s.chunk) ?? []), `claim sentence ${i + 1} (${s.score.toFixed(4)})`]))
  return [...best.entries()]
    .sort(([a], [b]) => a - b)
    .map(([chunk, which]) => ({...offsets[chunk]!, note: `chunk ${chunk + 1} of ${chunks}: the best for ${which.join(', ')}`}))
}

/** The report's view of alignscore: per-dataset results, and the claim sentences highlighted by support. */
export const alignscoreViews: MetricViews = {
  html,
  rowFields: [{field: 'context', marks: bestChunkMarks}, 'claim', 'label', 'score', 'dataset', 'split'],
  // As rocAuc: with dev rows present, they only tune the threshold (evaluation.ts).
  rowLabel: {field: 'label', positive: [1, true], covers: (input) => input['split'] !== 'dev', coverage: 'dev rows left out'},
  spans: [
    {
      path: 'sentences',
      label: 'Claim sentences',
      // The summary's threshold (given, or tuned on dev rows) when there is one, else 0.5.
      threshold: (summary) => (typeof summary['threshold'] === 'number' ? summary['threshold'] : 0.5),
    },
  ],
}
