/**
 * bert_score's published rescale baselines (bert_score/rescale_baseline/en/<model>.tsv, the
 * F column of the layer row), for the E models CTC uses at the layers it uses.
 */
export interface PublishedBaseline {
  aligner: 'E-bert' | 'E-roberta' | 'E-roberta-mnli'
  model: string
  /** Hub repositories the model is published under. */
  repos: readonly string[]
  layer: number
  baseline: number
}

export const PUBLISHED_BASELINES: readonly PublishedBaseline[] = [
  {aligner: 'E-bert', model: 'bert-base-uncased', repos: ['bert-base-uncased', 'google-bert/bert-base-uncased'], layer: 9, baseline: 0.35219112},
  {aligner: 'E-roberta', model: 'roberta-large', repos: ['roberta-large', 'FacebookAI/roberta-large'], layer: 17, baseline: 0.83122575},
  {aligner: 'E-roberta-mnli', model: 'roberta-large-mnli', repos: ['roberta-large-mnli', 'FacebookAI/roberta-large-mnli'], layer: 9, baseline: 0.76359564},
]

/** The known pack `alignctl models pull` makes for each E aligner. */
export const E_DEFAULT_PACKS = {'E-bert': 'ctc-e-bert', 'E-roberta': 'ctc-e-roberta', 'E-roberta-mnli': 'ctc-e-roberta-mnli'} as const
