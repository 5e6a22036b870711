/** How an align call turns token scores into one number (ctc_score/models/aligner.py). */
export type Aggregation = 'mean' | 'sum'

/**
 * The kept scores' mean (exactly 0 when none is kept) or sum; `kept[i]` false drops token i
 * (a stopword under stopword removal). Summed in float64 in token order, as Python does.
 */
export function aggregate(scores: readonly number[], kept: readonly boolean[], how: Aggregation): number {
  let total = 0
  let count = 0
  scores.forEach((score, i) => {
    if (!kept[i]) return
    total += score
    count++
  })
  if (how === 'sum') return total
  return count === 0 ? 0 : total / count
}

/** Preservation's harmonic mean 2ab/(a+b); undefined where a+b is 0 (the reference divides by zero). */
export function harmonicMean(a: number, b: number): number | undefined {
  return a + b === 0 ? undefined : (2 * a * b) / (a + b)
}

/** bert_score's baseline rescale, (s − B)/(1 − B). */
export function rescale(score: number, baseline: number): number {
  return (score - baseline) / (1 - baseline)
}
