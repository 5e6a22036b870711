import {averageRanks} from './ranks.js'

/**
 * Area under the ROC curve for binary labels (1 positive, 0 negative), ties counted half:
 * the Mann–Whitney U statistic over average ranks, which equals sklearn's trapezoidal
 * `roc_auc_score`. NaN when either class is absent.
 */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  const ranks = averageRanks(scores)
  let positives = 0
  let rankSum = 0
  labels.forEach((label, i) => {
    if (label === 1) {
      positives++
      rankSum += ranks[i]!
    }
  })
  const negatives = labels.length - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/** Mean of the recall of each class present in `labels` (sklearn's `balanced_accuracy_score`). */
export function balancedAccuracy(labels: readonly number[], predictions: readonly number[]): number {
  const classes = [...new Set(labels)]
  const recalls = classes.map((c) => {
    let total = 0
    let hit = 0
    labels.forEach((label, i) => {
      if (label !== c) return
      total++
      if (predictions[i] === c) hit++
    })
    return hit / total
  })
  return recalls.length === 0 ? Number.NaN : recalls.reduce((s, r) => s + r, 0) / recalls.length
}

/** Predictions `score > threshold` as 1/0, the rule AlignScore's evaluation uses. */
export function predictAbove(scores: readonly number[], threshold: number): number[] {
  return scores.map((s) => (s > threshold ? 1 : 0))
}

/**
 * The threshold on the grid 0.000, 0.001, …, 1.000 with the best balanced accuracy; the
 * smallest such threshold on ties (the reference sorts a stable list by accuracy, descending,
 * and takes the first).
 */
export function tuneThreshold(labels: readonly number[], scores: readonly number[], steps = 1000): {threshold: number; balancedAccuracy: number} {
  let best = {threshold: 0, balancedAccuracy: Number.NEGATIVE_INFINITY}
  for (let i = 0; i <= steps; i++) {
    const threshold = i / steps
    const accuracy = balancedAccuracy(labels, predictAbove(scores, threshold))
    if (accuracy > best.balancedAccuracy) best = {threshold, balancedAccuracy: accuracy}
  }
  return best
}
