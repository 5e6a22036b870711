import type {StatDeclaration} from '../../src/kernel/interfaces/index.js'

const CORRELATION = {min: -1, max: 1}
const UNIT = {min: 0, max: 1}

/** The stats of one analysis (all pairs, or one task's under `byTask.*.`). */
function analysisStats(prefix: string, scope: string): StatDeclaration[] {
  const p = prefix
  return [
    {path: `${p}pairs`, direction: 'none', kind: 'count', meaning: `Pairwise comparisons scored${scope}.`},
    {path: `${p}judges.*`, direction: 'none', kind: 'count', meaning: `Pairs${scope} this judge gave a verdict on.`},
    {path: `${p}factorRows.*`, direction: 'none', kind: 'count', meaning: `Pairs${scope} where both responses have this factor (supplied or computed).`},
    {path: `${p}factors.*.*.tau`, direction: 'none', kind: 'descriptive', range: CORRELATION, support: `${p}factors.*.*.n`, meaning: `Factor influence${scope}: Kendall τ-b between which response has more of the factor and which one this judge preferred; positive means the judge rewards the factor.`},
    {path: `${p}factors.*.*.low`, direction: 'none', kind: 'descriptive', range: CORRELATION, support: `${p}factors.*.*.n`, meaning: 'Lower bound of the bootstrap interval of τ.'},
    {path: `${p}factors.*.*.high`, direction: 'none', kind: 'descriptive', range: CORRELATION, support: `${p}factors.*.*.n`, meaning: 'Upper bound of the bootstrap interval of τ.'},
    {path: `${p}factors.*.*.concordance`, direction: 'none', kind: 'descriptive', range: UNIT, support: `${p}factors.*.*.decided`, meaning: 'Share of decided pairs whose preferred response has the higher factor value.'},
    {path: `${p}factors.*.*.n`, direction: 'none', kind: 'count', meaning: 'Pairs τ is computed over: both responses have the factor and the judge gave a verdict.'},
    {path: `${p}factors.*.*.decided`, direction: 'none', kind: 'count', meaning: 'Pairs with a verdict other than tie: what concordance is computed over.'},
    {path: `${p}alignment.*`, direction: 'higher', kind: 'quality', range: CORRELATION, meaning: `Factor-level alignment of two judges${scope}: Spearman correlation of their factor influences (τ vectors); 1 means they weigh the factors in the same order.`},
    {path: `${p}factorAlignment.*.spearman`, direction: 'higher', kind: 'quality', range: CORRELATION, meaning: 'Spearman correlation of the two judges\' τ vectors (the same number as alignment).'},
    {path: `${p}factorAlignment.*.low`, direction: 'none', kind: 'descriptive', range: CORRELATION, meaning: 'Lower bound of the bootstrap interval of the Spearman correlation.'},
    {path: `${p}factorAlignment.*.high`, direction: 'none', kind: 'descriptive', range: CORRELATION, meaning: 'Upper bound of the bootstrap interval of the Spearman correlation.'},
    {path: `${p}factorAlignment.*.factorCount`, direction: 'none', kind: 'count', meaning: 'Factors whose τ both judges define: what the correlation is over.'},
    {path: `${p}factorAlignment.*.factors.*.difference`, direction: 'none', kind: 'descriptive', range: {min: -2, max: 2}, meaning: 'τ of the first judge minus τ of the second for this factor; far from 0 means they disagree on it.'},
    {path: `${p}factorAlignment.*.factors.*.low`, direction: 'none', kind: 'descriptive', range: {min: -2, max: 2}, meaning: 'Lower bound of the paired bootstrap interval of the τ difference.'},
    {path: `${p}factorAlignment.*.factors.*.high`, direction: 'none', kind: 'descriptive', range: {min: -2, max: 2}, meaning: 'Upper bound of the paired bootstrap interval of the τ difference.'},
    {path: `${p}factorAlignment.*.topK.agreement`, direction: 'higher', kind: 'quality', range: UNIT, meaning: 'Share of the k factors each judge rewards most (highest τ) that the two judges share.'},
    {path: `${p}factorAlignment.*.topK.shared`, direction: 'none', kind: 'count', meaning: 'Factors among both judges\' top k.'},
    {path: `${p}factorAlignment.*.topK.k`, direction: 'none', kind: 'count', meaning: 'k of the top-k agreement (at most the factors both judges define).'},
  ]
}

export const profileStats: readonly StatDeclaration[] = [
  ...analysisStats('', ''),
  ...analysisStats('byTask.*.', ' of this task'),
  {path: 'llm.requests', direction: 'none', kind: 'count', meaning: 'LLM ratings asked for (one per response measured).'},
  {path: 'llm.cached', direction: 'none', kind: 'count', meaning: 'LLM ratings answered from the on-disk cache, at no cost.'},
]
