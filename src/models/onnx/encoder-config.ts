/**
 * The encoder hyper-parameters the graph builder needs, read from a Hugging Face
 * `config.json`. Validated once, here, with every problem reported together.
 */
import {usageError} from '../../kernel/errors.js'

/** How position ids are made: BERT counts 0..L-1; RoBERTa counts non-padding tokens after the padding id. */
export type PositionScheme = 'absolute' | 'padding-offset'

/**
 * How the encoder's tensors are laid out: `bert` (BERT and RoBERTa: one set of weights per
 * layer under `encoder.layer.<i>.`) or `albert` (factorised embeddings of size E projected to H
 * by `encoder.embedding_hidden_mapping_in`, and one layer whose weights every layer shares).
 */
export type EncoderFamily = 'bert' | 'albert'

/** HF's activations: `gelu` is exact (erf); `gelu_new` is the tanh approximation ALBERT v2 uses. */
export type Activation = 'gelu' | 'gelu_new'

export interface EncoderConfig {
  /** config.json's model_type: 'bert', 'roberta' (or a RoBERTa variant such as 'xlm-roberta'). */
  modelType: string
  family: EncoderFamily
  positionScheme: PositionScheme
  numLayers: number
  hiddenSize: number
  /** Width of the embedding tables: hiddenSize, except for ALBERT (its `embedding_size`). */
  embeddingSize: number
  numHeads: number
  intermediateSize: number
  vocabSize: number
  maxPositions: number
  typeVocabSize: number
  layerNormEps: number
  padTokenId: number
  activation: Activation
}

const positionSchemes: Record<string, PositionScheme> = {
  bert: 'absolute',
  roberta: 'padding-offset',
  'xlm-roberta': 'padding-offset',
  camembert: 'padding-offset',
  albert: 'absolute',
}

/** Reads and checks a parsed config.json; `where` names the file in messages. */
export function parseEncoderConfig(json: unknown, where = 'config.json'): EncoderConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw usageError(`${where}: expected a JSON object`)
  const raw = json as Record<string, unknown>
  const problems: string[] = []
  const int = (key: string, min: number, fallback?: number): number => {
    const value = raw[key] ?? fallback
    if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value
    problems.push(`${where}: "${key}" must be an integer ≥ ${min}, not ${JSON.stringify(value)}`)
    return min
  }

  const modelType = typeof raw.model_type === 'string' ? raw.model_type : ''
  const positionScheme = positionSchemes[modelType]
  if (positionScheme === undefined) problems.push(`${where}: "model_type" ${JSON.stringify(raw.model_type)} is not supported; known: ${Object.keys(positionSchemes).join(', ')}`)
  const family: EncoderFamily = modelType === 'albert' ? 'albert' : 'bert'
  const hiddenSize = int('hidden_size', 1)
  const config: EncoderConfig = {
    modelType,
    family,
    positionScheme: positionScheme ?? 'absolute',
    numLayers: int('num_hidden_layers', 1),
    hiddenSize,
    // BERT's config has no embedding_size; ALBERT's default is 128 (HF AlbertConfig).
    embeddingSize: family === 'albert' ? int('embedding_size', 1, 128) : hiddenSize,
    numHeads: int('num_attention_heads', 1),
    intermediateSize: int('intermediate_size', 1),
    vocabSize: int('vocab_size', 1),
    maxPositions: int('max_position_embeddings', 1),
    typeVocabSize: int('type_vocab_size', 1, 2),
    layerNormEps: 1e-12,
    padTokenId: int('pad_token_id', 0, positionScheme === 'padding-offset' ? 1 : 0),
    activation: 'gelu',
  }
  const eps = raw.layer_norm_eps ?? 1e-12
  if (typeof eps === 'number' && eps > 0) config.layerNormEps = eps
  else problems.push(`${where}: "layer_norm_eps" must be a positive number, not ${JSON.stringify(eps)}`)
  if (config.hiddenSize % config.numHeads !== 0) problems.push(`${where}: "hidden_size" ${config.hiddenSize} is not a multiple of "num_attention_heads" ${config.numHeads}`)
  // HF's "gelu" is the exact erf form, "gelu_new" the tanh approximation (ALBERT's default);
  // other approximations would give other numbers.
  const act = raw.hidden_act ?? (family === 'albert' ? 'gelu_new' : 'gelu')
  if (act === 'gelu' || act === 'gelu_new') config.activation = act
  else problems.push(`${where}: "hidden_act" ${JSON.stringify(act)} is not supported; only "gelu" (exact, erf) and "gelu_new" (tanh approximation) are`)
  if (family === 'albert') {
    // HF's ALBERT can split the layers into groups with their own weights, and a group into
    // several inner layers; every published ALBERT has one group of one layer, shared by all.
    for (const key of ['num_hidden_groups', 'inner_group_num']) {
      const value = raw[key] ?? 1
      if (value !== 1) problems.push(`${where}: "${key}" ${JSON.stringify(value)} is not supported; only 1 (every layer shares one set of weights) is`)
    }
  }
  const positions = raw.position_embedding_type ?? 'absolute'
  if (positions !== 'absolute') problems.push(`${where}: "position_embedding_type" ${JSON.stringify(positions)} is not supported; only "absolute" is`)
  if (problems.length > 0) throw usageError(problems.join('\n'), 'Pass the config.json that came with the checkpoint (a BERT, RoBERTa or ALBERT encoder).')
  return config
}
