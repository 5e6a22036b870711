import {usageError} from '../kernel/errors.js'

/**
 * A checkpoint alignctl knows how to fetch and convert: `alignctl models pull <name>`.
 *
 * Integrity: every repository is pinned to a commit, so the files cannot change under the same
 * name. sha256 is pinned where it could be looked up without the hub (public pins of these
 * files in other projects, agreeing with each other); the other files are checked against the
 * hub's own checksum as they arrive (an LFS file's sha256 in `X-Linked-Etag`, a small file's git
 * blob sha1 in `ETag`), and their sha256 is recorded in the download folder and checked on every
 * later use. A file with neither (a mirror that sends no checksum) is named in a warning.
 */
export interface KnownModel {
  name: string
  description: string
  architecture: 'bert' | 'roberta'
  task: 'alignscore' | 'ctc-e'
  /** Hidden-state layer for `ctc-e` packs (HF `hidden_states[layer]`). */
  layer?: number
  /** Where the weights are: repository, file, commit, and the file's sha256 where alignctl pins it. */
  weights: {repo: string; file: string; revision: string; sha256?: string; prefix?: string}
  /** Where config.json and tokenizer.json are (the base model's repository, at a commit). */
  base: {repo: string; revision: string}
  maxLength: number
  /** Approximate download size, for `models list`. */
  downloadBytes: number
}

// Commits of the hub repositories, as pinned by many public projects (hub cache snapshot
// folders are named by commit). roberta-large-mnli's was found in one project only.
const ALIGNSCORE_REVISION = '8509e78d25bb914939fc585c626500c9b2944249'
const ROBERTA_BASE = {repo: 'FacebookAI/roberta-base', revision: 'e2da8e2f811d1448a5b465c236feacd80ffbac7b'}
const ROBERTA_LARGE = {repo: 'FacebookAI/roberta-large', revision: '722cf37b1afa9454edce342e7895e588b6ff1d59'}
const ROBERTA_LARGE_MNLI = {repo: 'FacebookAI/roberta-large-mnli', revision: '2a8f12d27941090092df78e4ba6f0928eb5eac98'}
const BERT_BASE_UNCASED = {repo: 'google-bert/bert-base-uncased', revision: '86b5e0934494bd15c9632b12f734a8a67f723594'}

export const KNOWN_MODELS: readonly KnownModel[] = [
  {
    name: 'alignscore-base',
    description: 'AlignScore (Zha et al. 2023), RoBERTa-base with tri/bin/reg heads',
    architecture: 'roberta',
    task: 'alignscore',
    // sha256 and size (1,966,965,771 bytes) as three independent public pins of this file at this commit record them.
    weights: {repo: 'yzha/AlignScore', file: 'AlignScore-base.ckpt', revision: ALIGNSCORE_REVISION, sha256: '6aedb637f0596ab29baef91e94466a57f032e02feea654978518919fe0981607', prefix: 'base_model.'},
    base: ROBERTA_BASE,
    maxLength: 512,
    downloadBytes: 1_500_000_000,
  },
  {
    name: 'alignscore-large',
    description: 'AlignScore (Zha et al. 2023), RoBERTa-large with tri/bin/reg heads',
    architecture: 'roberta',
    task: 'alignscore',
    weights: {repo: 'yzha/AlignScore', file: 'AlignScore-large.ckpt', revision: ALIGNSCORE_REVISION, prefix: 'base_model.'},
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
    weights: {...BERT_BASE_UNCASED, file: 'model.safetensors'},
    base: BERT_BASE_UNCASED,
    maxLength: 512,
    downloadBytes: 440_000_000,
  },
  {
    name: 'ctc-e-roberta',
    description: 'CTC embedding aligner: roberta-large, layer 17',
    architecture: 'roberta',
    task: 'ctc-e',
    layer: 17,
    weights: {...ROBERTA_LARGE, file: 'model.safetensors'},
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
    weights: {...ROBERTA_LARGE_MNLI, file: 'model.safetensors'},
    base: ROBERTA_LARGE_MNLI,
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
