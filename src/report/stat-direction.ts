/**
 * Which way a summary stat should move. `compare` flags a regression only for stats with a
 * direction; counts, shares, intervals and settings (`n`, `confusion.A.b`, `winRateB.*`,
 * `threshold`) describe the data rather than the model's quality, so they never regress.
 */
export type Direction = 'higher' | 'lower' | 'none'

/** Stats (last path segment) where lower is better. Everything else with a direction: higher. */
const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['overConservativeness', 'inconsistency'])

/**
 * Path segments that make a stat descriptive, wherever they appear: `counts.correct.idk`,
 * `byDataset.xsum.n`, `bias.ratingVsLength.pearson` (a bias analysis, not a quality score).
 */
const NOT_JUDGED: ReadonlySet<string> = new Set([
  // sizes
  'n', 'rows', 'pairs', 'responses', 'skipped', 'duplicates', 'knownRows', 'eligibleUnknownRows',
  // tables of counts or shares
  'counts', 'countsByKnowledge', 'confusion', 'labelShares',
  // analyses and interval bounds
  'winRateB', 'bias', 'ci95', 'low', 'high', 'factors',
  // settings found from the data, and what a correctness judge did (`judge.relabelled`)
  'threshold', 'judge',
])

/** The direction of the stat at a dotted summary path (`byAnnotator.ann1.inconsistency` → lower). */
export function statDirection(path: string): Direction {
  const segments = path.split('.')
  if (segments.some((segment) => NOT_JUDGED.has(segment))) return 'none'
  return LOWER_IS_BETTER.has(segments.at(-1)!) ? 'lower' : 'higher'
}
