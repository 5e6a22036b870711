import type {StatDeclaration} from '../../src/kernel/interfaces/index.js'
import {ASPECTS, type Aspect} from './schemas.js'

const MEANINGS: Record<Aspect, string> = {
  consistency: 'Mean consistency of the summaries with their documents: how much of each summary the document supports (align(summary → document)).',
  relevance: 'Mean relevance of the summaries: consistency times how well the summary covers the reference summaries (align(reference → summary), averaged over references).',
  preservation: 'Mean preservation of the input sentence in the output: harmonic mean of the alignments in both directions.',
  engagingness: 'Mean engagingness of the responses: how much of each response the fact and the dialog history support (a sum over tokens by default, so longer responses score higher).',
  groundedness: 'Mean groundedness of the responses in the fact (a sum over tokens by default, so longer responses score higher).',
  'factual-consistency': 'Mean factual consistency of the hypotheses with their grounding texts (align(hypothesis → grounding)).',
}

/** One mean per aspect computed (the per-row value sits under the same key in scores.jsonl), and the row count. */
export const ctcStats: readonly StatDeclaration[] = [
  ...ASPECTS.map((aspect): StatDeclaration => ({path: aspect, direction: 'higher', kind: 'quality', meanOf: aspect, meaning: MEANINGS[aspect]})),
  {path: 'n', direction: 'none', kind: 'count', meaning: 'Rows scored (rows with an error are not counted).'},
  {path: 'tokenThresholds.*', direction: 'none', kind: 'descriptive', meaning: 'Token score under which report.html marks a token of the scored text as poorly aligned (D: 0.5; E: the lowest tenth of the run\'s token scores).'},
]
