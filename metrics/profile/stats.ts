import type {StatDeclaration} from '../../src/core/interfaces/index.js'

const CORRELATION = {min: -1, max: 1}
const UNIT = {min: 0, max: 1}

export const profileStats: readonly StatDeclaration[] = [
  {path: 'pairs', direction: 'none', kind: 'count', meaning: 'Pairwise comparisons scored.'},
  {path: 'judges.*', direction: 'none', kind: 'count', meaning: 'Pairs this judge gave a verdict on.'},
  {path: 'factorRows.*', direction: 'none', kind: 'count', meaning: 'Pairs where both responses have this factor (supplied or computed).'},
  {path: 'factors.*.*.tau', direction: 'none', kind: 'descriptive', range: CORRELATION, support: 'factors.*.*.n', meaning: 'Factor influence: Kendall τ-b between which response has more of the factor and which one this judge preferred; positive means the judge rewards the factor.'},
  {path: 'factors.*.*.low', direction: 'none', kind: 'descriptive', range: CORRELATION, support: 'factors.*.*.n', meaning: 'Lower bound of the bootstrap interval of τ.'},
  {path: 'factors.*.*.high', direction: 'none', kind: 'descriptive', range: CORRELATION, support: 'factors.*.*.n', meaning: 'Upper bound of the bootstrap interval of τ.'},
  {path: 'factors.*.*.concordance', direction: 'none', kind: 'descriptive', range: UNIT, support: 'factors.*.*.decided', meaning: 'Share of decided pairs whose preferred response has the higher factor value.'},
  {path: 'factors.*.*.n', direction: 'none', kind: 'count', meaning: 'Pairs τ is computed over: both responses have the factor and the judge gave a verdict.'},
  {path: 'factors.*.*.decided', direction: 'none', kind: 'count', meaning: 'Pairs with a verdict other than tie: what concordance is computed over.'},
  {path: 'alignment.*', direction: 'higher', kind: 'quality', range: CORRELATION, meaning: 'Factor-level alignment of two judges: Spearman correlation of their factor influences (τ vectors); 1 means they weigh the factors in the same order.'},
  {path: 'factorAlignment.*.spearman', direction: 'higher', kind: 'quality', range: CORRELATION, meaning: 'Spearman correlation of the two judges\' τ vectors (the same number as alignment).'},
  {path: 'factorAlignment.*.low', direction: 'none', kind: 'descriptive', range: CORRELATION, meaning: 'Lower bound of the bootstrap interval of the Spearman correlation.'},
  {path: 'factorAlignment.*.high', direction: 'none', kind: 'descriptive', range: CORRELATION, meaning: 'Upper bound of the bootstrap interval of the Spearman correlation.'},
  {path: 'factorAlignment.*.factorCount', direction: 'none', kind: 'count', meaning: 'Factors whose τ both judges define: what the correlation is over.'},
  {path: 'factorAlignment.*.factors.*.difference', direction: 'none', kind: 'descriptive', range: {min: -2, max: 2}, meaning: 'τ of the first judge minus τ of the second for this factor; far from 0 means they disagree on it.'},
  {path: 'factorAlignment.*.factors.*.low', direction: 'none', kind: 'descriptive', range: {min: -2, max: 2}, meaning: 'Lower bound of the paired bootstrap interval of the τ difference.'},
  {path: 'factorAlignment.*.factors.*.high', direction: 'none', kind: 'descriptive', range: {min: -2, max: 2}, meaning: 'Upper bound of the paired bootstrap interval of the τ difference.'},
  {path: 'factorAlignment.*.topK.agreement', direction: 'higher', kind: 'quality', range: UNIT, meaning: 'Share of the k factors each judge rewards most (highest τ) that the two judges share.'},
  {path: 'factorAlignment.*.topK.shared', direction: 'none', kind: 'count', meaning: 'Factors among both judges\' top k.'},
  {path: 'factorAlignment.*.topK.k', direction: 'none', kind: 'count', meaning: 'k of the top-k agreement (at most the factors both judges define).'},
  {path: 'llm.requests', direction: 'none', kind: 'count', meaning: 'LLM ratings asked for (one per response measured).'},
  {path: 'llm.cached', direction: 'none', kind: 'count', meaning: 'LLM ratings answered from the on-disk cache, at no cost.'},
]
