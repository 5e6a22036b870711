/**
 * The R aligner (ctc_score/models/bleurt_aligner_pt.py): BERT on the pair (context, input)
 * with `longest_first` truncation, one unbounded scalar dense(pooled) per pair; no token
 * scores, so no aggregation or stopword removal applies.
 */
import type {LoadedModel} from '../../../src/kernel/interfaces/index.js'
import type {AlignOutcome, AlignRequest, Aligner} from './types.js'

export const SCORE = 'score'

export class RegressionAligner implements Aligner {
  readonly kind = 'R' as const
  readonly #model: LoadedModel

  constructor(model: LoadedModel) {
    this.#model = model
  }

  async align(requests: readonly AlignRequest[], signal: AbortSignal): Promise<AlignOutcome[]> {
    if (requests.length === 0) return []
    const outputs = await this.#model.run(
      requests.map((r) => ({first: r.context, second: r.input, truncation: 'longest_first' as const})),
      {outputs: [SCORE], signal},
    )
    return outputs.map((o) => ({scalar: o[SCORE]![0]!}))
  }
}
