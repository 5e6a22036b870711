import {usageError} from '../kernel/errors.js'

/** A checkpoint alignctl knows how to fetch and convert: `alignctl models pull <name>`. */
export interface KnownModel {
  name: string
  description: string
  architecture: 'bert' | 'roberta'
  task: 'alignscore' | 'ctc-e'
  /** Hidden-state layer for `ctc-e` packs (HF `hidden_states[layer]`). */
  layer?: number
  /** Where the weights are. */
  weights: {repo: string; file: string; revision: string; prefix?: string}
  /** Where config.json and tokenizer.json are (the base model's repository). */
  base: {repo: string; revision: string}
  maxLength: number
  /** Approximate download size, for `models list`. */
  downloadBytes: number
}

const ROBERTA_BASE = {repo: 'FacebookAI/roberta-base', revision: 'main'}
const ROBERTA_LARGE = {repo: 'FacebookAI/roberta-large', revision: 'main'}

export const KNOWN_MODELS: readonly KnownModel[] = [
  {
    name: 'alignscore-base',
    description: 'AlignScore (Zha et al. 2023), RoBERTa-base with tri/bin/reg heads',
    architecture: 'roberta',
    task: 'alignscore',
    weights: {repo: 'yzha/AlignScore', file: 'AlignScore-base.ckpt', revision: 'main', prefix: 'base_model.'},
    base: ROBERTA_BASE,
    maxLength: 512,
    downloadBytes: 1_500_000_000,
  },
  {
    name: 'alignscore-large',
    description: 'AlignScore (Zha et al. 2023), RoBERTa-large with tri/bin/reg heads',
    architecture: 'roberta',
    task: 'alignscore',
    weights: {repo: 'yzha/AlignScore', file: 'AlignScore-large.ckpt', revision: 'main', prefix: 'base_model.'},
    base: ROBERTA_LARGE,
    maxLength: 512,
    downloadBytes: 4_300_000_000,
  },
  {
    name: 'ctc-e-bert',
    description: 'CTC embedding aligner: bert-base-uncased, layer 9',
    architecture: 'bert',
    task: 'ctc-e',
    layer: 9,
    weights: {repo: 'google-bert/bert-base-uncased', file: 'model.safetensors', revision: 'main'},
    base: {repo: 'google-bert/bert-base-uncased', revision: 'main'},
    maxLength: 512,
    downloadBytes: 440_000_000,
  },
  {
    name: 'ctc-e-roberta',
    description: 'CTC embedding aligner: roberta-large, layer 17',
    architecture: 'roberta',
    task: 'ctc-e',
    layer: 17,
    weights: {repo: 'FacebookAI/roberta-large', file: 'model.safetensors', revision: 'main'},
    base: ROBERTA_LARGE,
    maxLength: 512,
    downloadBytes: 1_420_000_000,
  },
  {
    name: 'ctc-e-roberta-mnli',
    description: 'CTC embedding aligner: roberta-large-mnli, layer 9',
    architecture: 'roberta',
    task: 'ctc-e',
    layer: 9,
    weights: {repo: 'FacebookAI/roberta-large-mnli', file: 'model.safetensors', revision: 'main'},
    base: {repo: 'FacebookAI/roberta-large-mnli', revision: 'main'},
    maxLength: 512,
    downloadBytes: 1_420_000_000,
  },
]

export function knownModel(name: string): KnownModel {
  const model = KNOWN_MODELS.find((m) => m.name === name)
  if (model === undefined) {
    throw usageError(`Unknown model "${name}". Known models: ${KNOWN_MODELS.map((m) => m.name).join(', ')}.`, 'Or convert a local checkpoint with `alignctl models convert`.')
  }
  return model
}
