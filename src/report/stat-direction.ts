/**
 * Which way a summary stat should move. `compare` flags a regression only for stats with a
 * direction; counts, shares, intervals and settings (`n`, `confusion.A.b`, `winRateB.*`,
 * `threshold`) describe the data rather than the model's quality, so they never regress.
 */
export type Direction = 'higher' | 'lower' | 'none'

/** Stats (last path segment) where lower is better. Everything else with a direction: higher. */
const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['overConservativeness', 'inconsistency'])

/**
 * Summary sections that are descriptive as a whole: `counts.correct.idk`, `bias.ratingVsLength.pearson`
 * (a bias analysis, not a quality score). Matched on the first path segment only, so a dataset or
 * annotator that happens to be called `bias` is still judged.
 */
const DESCRIPTIVE_SECTIONS: ReadonlySet<string> = new Set(['counts', 'countsByKnowledge', 'confusion', 'labelShares', 'winRateB', 'bias', 'factors', 'judge', 'inconsistentExamples'])

/**
 * Stat names that are sizes, interval bounds or settings found from the data: `byDataset.xsum.n`,
 * `threshold`. Matched on the last segment only.
 */
const DESCRIPTIVE_STATS: ReadonlySet<string> = new Set(['n', 'rows', 'pairs', 'responses', 'skipped', 'duplicates', 'knownRows', 'eligibleUnknownRows', 'ci95', 'low', 'high', 'threshold'])

/** The direction of the stat at a dotted summary path (`byAnnotator.ann1.inconsistency` → lower). */
export function statDirection(path: string): Direction {
  const segments = path.split('.')
  if (DESCRIPTIVE_SECTIONS.has(segments[0]!) || DESCRIPTIVE_STATS.has(segments.at(-1)!)) return 'none'
  return LOWER_IS_BETTER.has(segments.at(-1)!) ? 'lower' : 'higher'
}
