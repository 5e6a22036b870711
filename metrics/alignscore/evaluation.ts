import {kendallTauB, mean, pearson, predictAbove, balancedAccuracy, rocAuc, spearman, tuneThreshold} from '../../src/kernel/stats/index.js'

/** What a scored row contributes to the meta-evaluation. */
export interface EvaluatedRow {
  score: number
  /** Human binary label: 1 consistent, 0 not. */
  label?: number
  /** Human graded judgement (for correlations). */
  human?: number
  dataset?: string
  /** `dev` rows tune the threshold and are left out of the other statistics. */
  split?: string
}

export interface Evaluation {
  [stat: string]: unknown
  n: number
  mean: number
  rocAuc?: number | null
  balancedAccuracy?: number | null
  threshold?: number
  thresholdSource?: 'param' | 'dev' | 'default'
  pearson?: number | null
  spearman?: number | null
  kendall?: number | null
}

/** Default threshold when neither `--param threshold` nor dev rows give one. */
export const DEFAULT_THRESHOLD = 0.5

/**
 * AlignScore's meta-evaluation (its evaluate.py, SummaC protocol): ROC AUC and balanced
 * accuracy for binary labels, the threshold tuned on the `dev` rows (grid 0.000..1.000,
 * `score > t`) unless given; Pearson, Spearman and Kendall τ-b against graded judgements.
 * `n` and `mean` cover every row; with dev rows present, the other statistics use the
 * remaining rows and the dev rows only tune the threshold.
 */
export function evaluateRows(rows: readonly EvaluatedRow[], threshold: number | undefined): Evaluation {
  const dev = rows.filter((r) => r.split === 'dev')
  const test = dev.length > 0 ? rows.filter((r) => r.split !== 'dev') : rows
  const result: Evaluation = {n: rows.length, mean: rows.length === 0 ? Number.NaN : mean(rows.map((r) => r.score))}

  const labelled = test.filter((r) => r.label !== undefined)
  if (labelled.length > 0) {
    const labels = labelled.map((r) => r.label!)
    const scores = labelled.map((r) => r.score)
    const devLabelled = dev.filter((r) => r.label !== undefined)
    const chosen =
      threshold !== undefined
        ? {value: threshold, source: 'param' as const}
        : devLabelled.length > 0
          ? {value: tuneThreshold(devLabelled.map((r) => r.label!), devLabelled.map((r) => r.score)).threshold, source: 'dev' as const}
          : {value: DEFAULT_THRESHOLD, source: 'default' as const}
    result.rocAuc = finite(rocAuc(labels, scores))
    result.balancedAccuracy = finite(balancedAccuracy(labels, predictAbove(scores, chosen.value)))
    result.threshold = chosen.value
    result.thresholdSource = chosen.source
  }
  const graded = test.filter((r) => r.human !== undefined)
  if (graded.length > 1) {
    const human = graded.map((r) => r.human!)
    const scores = graded.map((r) => r.score)
    result.pearson = finite(pearson(scores, human))
    result.spearman = finite(spearman(scores, human))
    result.kendall = finite(kendallTauB(scores, human))
  }
  return result
}

/** The summary: overall statistics, and per `dataset` when rows carry one. */
export function summarizeEvaluation(rows: readonly EvaluatedRow[], threshold: number | undefined): Evaluation {
  const overall = evaluateRows(rows, threshold)
  const datasets = [...new Set(rows.flatMap((r) => (r.dataset === undefined ? [] : [r.dataset])))].sort()
  if (datasets.length === 0) return overall
  // Each dataset tunes its own threshold on its own dev rows, as the SummaC protocol does.
  return {...overall, byDataset: Object.fromEntries(datasets.map((d) => [d, evaluateRows(rows.filter((r) => r.dataset === d), threshold)]))}
}

/** JSON has no NaN: an undefined statistic (one class only, constant scores) is null. */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null
}
