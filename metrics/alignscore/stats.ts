import type {StatDeclaration} from '../../src/kernel/interfaces/index.js'

const UNIT = {min: 0, max: 1}
const CORRELATION = {min: -1, max: 1}

/** The stats of one evaluation (overall, and under `byDataset.<name>.` for each dataset). */
function evaluationStats(prefix: string, support: string | undefined, scope: string): StatDeclaration[] {
  const on = (stat: string, rest: Omit<StatDeclaration, 'path'>): StatDeclaration => ({path: prefix + stat, ...rest, ...(support === undefined ? {} : {support})})
  return [
    on('mean', {direction: 'higher', kind: 'quality', range: UNIT, ...(prefix === '' ? {meanOf: 'score'} : {}), meaning: `Mean AlignScore of the claims${scope}: how consistent they are with their contexts on average.`}),
    {path: `${prefix}n`, direction: 'none', kind: 'count', meaning: `Rows scored${scope}.`},
    on('rocAuc', {direction: 'higher', kind: 'quality', range: UNIT, meaning: `ROC AUC of the scores against the binary labels${scope} (0.5 is chance): how well the score separates consistent from inconsistent claims.`}),
    on('balancedAccuracy', {direction: 'higher', kind: 'quality', range: UNIT, meaning: `Balanced accuracy of score > threshold against the labels${scope} (0.5 is chance).`}),
    on('threshold', {direction: 'none', kind: 'descriptive', range: UNIT, meaning: `Score above which a claim counts as consistent${scope}: given, tuned on the dev rows, or 0.5.`}),
    on('pearson', {direction: 'higher', kind: 'quality', range: CORRELATION, meaning: `Pearson correlation of the scores with the human judgements${scope}.`}),
    on('spearman', {direction: 'higher', kind: 'quality', range: CORRELATION, meaning: `Spearman rank correlation of the scores with the human judgements${scope}.`}),
    on('kendall', {direction: 'higher', kind: 'quality', range: CORRELATION, meaning: `Kendall τ-b of the scores with the human judgements${scope}.`}),
  ]
}

export const alignscoreStats: readonly StatDeclaration[] = [
  ...evaluationStats('', undefined, ''),
  ...evaluationStats('byDataset.*.', 'byDataset.*.n', ' of that dataset'),
]
