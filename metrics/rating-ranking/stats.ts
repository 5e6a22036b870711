import type {StatDeclaration} from '../../src/kernel/interfaces/index.js'

const UNIT = {min: 0, max: 1}

function consistencyStats(prefix: string, scope: string): StatDeclaration[] {
  return [
    {path: `${prefix}consistency`, direction: 'higher', kind: 'quality', range: UNIT, support: `${prefix}pairs`, meaning: `Share of counted pairs${scope} whose preference from ratings agrees with their ranking.`},
    {path: `${prefix}inconsistency`, direction: 'lower', kind: 'quality', range: UNIT, support: `${prefix}pairs`, meaning: `Share of counted pairs${scope} whose two preferences disagree: lower is better.`},
    {path: `${prefix}pairs`, direction: 'none', kind: 'count', meaning: `Pairs counted${scope}: not a repeat, both responses rated.`},
    {path: `${prefix}skipped`, direction: 'none', kind: 'count', meaning: `Pairs left out${scope} because a response has no rating.`},
    {path: `${prefix}confusion.*.*`, direction: 'none', kind: 'count', meaning: `Counted pairs${scope} with this preference from ratings (row) and from the ranking (column).`},
  ]
}

export const ratingRankingStats: readonly StatDeclaration[] = [
  ...consistencyStats('', ''),
  ...consistencyStats('byAnnotator.*.', ' of that annotator'),
  {path: 'duplicates', direction: 'none', kind: 'count', meaning: 'Pairs dropped as repeats of an earlier pair (same key columns).'},
  {path: 'winRateB.*.*', direction: 'none', kind: 'descriptive', meaning: 'Win rate of response B under that protocol, with its bootstrap interval and the pairs it rests on.'},
  {path: 'bias.*.*', direction: 'none', kind: 'descriptive', meaning: 'What each protocol favours (length, unique tokens), and how ratings correlate with length.'},
  {path: 'bias.*.*.*', direction: 'none', kind: 'descriptive', meaning: 'What each protocol favours: preferred vs other response, their difference and its interval.'},
]
