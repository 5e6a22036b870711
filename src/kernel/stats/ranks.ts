/**
 * 1-based ranks where tied values share the average of the ranks they span
 * (`scipy.stats.rankdata(method="average")`): [10, 20, 20, 30] → [1, 2.5, 2.5, 4].
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!)
  const ranks = new Array<number>(values.length)
  let start = 0
  while (start < order.length) {
    let end = start + 1
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++
    // Positions start..end-1 hold one tie group: ranks start+1..end, averaged.
    const rank = (start + 1 + end) / 2
    for (let k = start; k < end; k++) ranks[order[k]!] = rank
    start = end
  }
  return ranks
}
