/** What every part of an encoder graph (embeddings, layers, heads) is built with. */
import type {EncoderConfig} from './encoder-config.js'
import type {GraphBuilder} from './graph.js'
import type {DataType} from './proto.js'
import type {WeightSource} from './weights.js'

export interface BuildContext {
  b: GraphBuilder
  w: WeightSource
  config: EncoderConfig
  /** Prepended to the encoder's own tensor names: 'roberta.', 'base_model.', or ''. */
  prefix: string
  /** FLOAT or FLOAT16: the type of weights and activations. */
  float: DataType
  /** int8 graphs: how the layers' activations are quantized (see {@link Int8Activations}). */
  int8Activations: Int8Activations
  /** `static` int8 only: each Linear's calibrated max |input|, by its stem (`layer0/query`). */
  activationRanges?: Readonly<Record<string, number>>
  /** Float graphs only: every Linear also outputs `amax/<stem>`, the max |input| over the batch (calibration). */
  calibrationOutputs?: boolean
}

/**
 * `per-token` (what packs use): one scale per token, so a row's numbers do not depend on its
 * batch. `per-token-asymmetric`: the same with each token's [min, max] mapped to 0..255 (a zero
 * point per token), measured against it. `per-batch`: ONNX Runtime's DynamicQuantizeMatMul, one scale per activation tensor,
 * kept only to measure against. `static`: one constant scale per Linear from calibrated ranges
 * (`activationRanges`, from a float graph with `calibrationOutputs`), measured against per-token
 * (src/models/onnx/README.md).
 */
export type Int8Activations = 'per-token' | 'per-token-asymmetric' | 'per-batch' | 'static'

/** The graph inputs, by role. */
export interface EncoderInputs {
  inputIds: string
  attentionMask: string
  tokenTypeIds?: string
}
