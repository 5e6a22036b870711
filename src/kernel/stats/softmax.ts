/** Softmax in float64 (model logits arrive as float32), shifted by the maximum so large logits do not overflow. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = Number.NEGATIVE_INFINITY
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!)
  const exps = Array.from({length: logits.length}, (_, i) => Math.exp(logits[i]! - max))
  const total = exps.reduce((s, e) => s + e, 0)
  return exps.map((e) => e / total)
}
