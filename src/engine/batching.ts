/** Limits for packing requests into batches; at least one must be set. */
export interface BatchLimits {
  /** Most requests in one batch (`--batch-size`). */
  batchSize?: number
  /** Most tokens one batch may compute, padding included: size × longest length (`--max-tokens`). */
  maxTokens?: number
}

/**
 * Tokens' worth of fixed cost per batch (kernel launches, per-run overhead), so the planner
 * does not split batches ever finer to save a few padding tokens.
 */
export const BATCH_OVERHEAD_TOKENS = 32

/**
 * Length-aware batching: requests sorted by token length, then cut into consecutive batches
 * that minimise the tokens computed (each batch padded to its own longest member, plus a small
 * per-batch cost) within the limits. For sorted lengths the best batches are contiguous, so a
 * dynamic programme over cut points finds them exactly. Returns batches of request indices;
 * callers put results back by index, so order never depends on the plan.
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const {batchSize = Number.POSITIVE_INFINITY, maxTokens = Number.POSITIVE_INFINITY} = limits
  if (!(batchSize >= 1) || !(maxTokens >= 1)) throw new RangeError(`batchSize and maxTokens must be at least 1, got ${batchSize} and ${maxTokens}`)
  if (batchSize === Number.POSITIVE_INFINITY && maxTokens === Number.POSITIVE_INFINITY) throw new RangeError('set batchSize or maxTokens')
  // Longest first: the costliest batch runs first, so memory peaks early rather than late.
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b)
  const n = order.length
  // cost[i]: least cost of batching order[0..i); cut[i]: where the last batch of that starts.
  const cost = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY)
  const cut = new Int32Array(n + 1)
  cost[0] = 0
  for (let start = 0; start < n; start++) {
    // A batch order[start..end) is padded to order[start]'s length (the longest, being first).
    const width = Math.max(1, lengths[order[start]!]!)
    const most = Math.min(n - start, batchSize, Math.max(1, Math.floor(maxTokens / width)))
    for (let size = 1; size <= most; size++) {
      const total = cost[start]! + size * width + BATCH_OVERHEAD_TOKENS
      if (total < cost[start + size]!) {
        cost[start + size] = total
        cut[start + size] = start
      }
    }
  }
  const batches: number[][] = []
  for (let end = n; end > 0; end = cut[end]!) batches.push(order.slice(cut[end]!, end))
  return batches.reverse()
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
