/** Limits for packing requests into batches; at least one must be set. */
export interface BatchLimits {
  /** Most requests in one batch (`--batch-size`). */
  batchSize?: number
  /** Most tokens one batch may compute, padding included: size × longest length (`--max-tokens`). */
  maxTokens?: number
}

/**
 * Length-aware batching: requests sorted by token length and packed greedily so each batch
 * is padded only to its own longest member and stays within the limits. Returns batches of
 * request indices; callers put results back by index, so order never depends on the plan.
 * Sorting groups similar lengths, which is where almost all of the padding goes.
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const {batchSize = Number.POSITIVE_INFINITY, maxTokens = Number.POSITIVE_INFINITY} = limits
  if (!(batchSize >= 1) || !(maxTokens >= 1)) throw new RangeError(`batchSize and maxTokens must be at least 1, got ${batchSize} and ${maxTokens}`)
  if (batchSize === Number.POSITIVE_INFINITY && maxTokens === Number.POSITIVE_INFINITY) throw new RangeError('set batchSize or maxTokens')
  // Longest first: the costliest batch runs first, so memory peaks early rather than late.
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b)
  const batches: number[][] = []
  let current: number[] = []
  let longest = 0
  for (const index of order) {
    const length = lengths[index]!
    const widest = Math.max(longest, length)
    if (current.length > 0 && (current.length + 1 > batchSize || (current.length + 1) * widest > maxTokens)) {
      batches.push(current)
      current = []
    }
    if (current.length === 0) longest = 0
    current.push(index)
    longest = Math.max(longest, length)
  }
  if (current.length > 0) batches.push(current)
  return batches
}

/** Share of computed tokens that are real: Σ lengths / Σ (batch size × batch's longest). */
export function paddingEfficiency(lengths: readonly number[], batches: readonly (readonly number[])[], padTo?: number): number {
  let real = 0
  let computed = 0
  for (const batch of batches) {
    const longest = padTo ?? Math.max(...batch.map((i) => lengths[i]!))
    for (const i of batch) real += lengths[i]!
    computed += batch.length * longest
  }
  return computed === 0 ? 1 : real / computed
}
