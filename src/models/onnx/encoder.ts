/**
 * Builds a BERT, RoBERTa or ALBERT encoder graph from a checkpoint's tensors and its config.json:
 * embeddings, the transformer layers, and the requested outputs. Nothing is read from the
 * checkpoint here beyond names and shapes; the writer streams the weights.
 */
import {usageError} from '../../kernel/errors.js'
import type {TensorStore} from '../tensors.js'
import type {BuildContext, EncoderInputs, Int8Activations} from './context.js'
import {buildEmbeddings} from './embeddings.js'
import type {EncoderConfig} from './encoder-config.js'
import {GraphBuilder, type OnnxModel} from './graph.js'
import {buildLayer, buildMask, type Kernels} from './layers.js'
import {buildOutputs, layersNeeded, type OutputSpec} from './outputs.js'
import {DataType} from './proto.js'
import {encoderPrefixes, WeightSource, type Precision} from './weights.js'

export interface EncoderOptions {
  /** What the graph returns; see {@link outputPresets}. At least one. */
  outputs: readonly OutputSpec[]
  /**
   * What precedes `embeddings.`, `encoder.` and `pooler.` in the checkpoint's tensor names:
   * '' for a saved RobertaModel/BertModel, 'roberta.' or 'bert.' for HF task models,
   * 'base_model.' for AlignScore. Default: the one prefix the checkpoint has.
   */
  prefix?: string
  /** float32 (default), float16 (weights and activations), or int8 (the layers' Linear weights; see {@link Precision}). Inputs stay int64 and outputs float32 in every case. */
  precision?: Precision
  /** int8 only: activation scales per token (default, batch-invariant) or per batch tensor (for measurement). */
  int8Activations?: Int8Activations
  /** int8 `static` only: each Linear's max |input| over calibration text, by stem; from a float graph built with `calibrationOutputs`. */
  activationRanges?: Readonly<Record<string, number>>
  /** float32 `plain` only: every layer Linear also outputs `amax/<stem>` = max |input| over the batch, for calibrating `static` int8. */
  calibrationOutputs?: boolean
  /** 'plain' standard ops or 'fused' ONNX Runtime contrib ops; default {@link defaultKernels} for the precision. */
  kernels?: Kernels
  /** Add a token_type_ids input. Default: when the config has type_vocab_size > 1 (BERT). */
  tokenTypeInput?: boolean
  /** Graph name (default: the model type). */
  name?: string
  /** Extra entries for the model's metadata_props. */
  metadata?: Record<string, string>
}

/**
 * The faster spelling per precision, measured on a 2-core CPU with onnxruntime-node 1.30,
 * RoBERTa-base shape, batch 8 × 128 (src/models/onnx/README.md): fused by 3–4 % with float
 * weights, plain by about 2 % with int8 ones.
 */
export function defaultKernels(precision: Precision): Kernels {
  return precision === 'int8' ? 'plain' : 'fused'
}

export function buildEncoder(store: TensorStore, config: EncoderConfig, options: EncoderOptions): OnnxModel {
  if (options.outputs.length === 0) throw new RangeError('an encoder graph needs at least one output')
  for (const spec of options.outputs) {
    if (spec.kind === 'hidden-state' && !(Number.isInteger(spec.layer) && spec.layer >= 0 && spec.layer <= config.numLayers)) {
      throw usageError(`hidden-state layer ${spec.layer} is out of range: the model has layers 0..${config.numLayers} (0 is the embedding output)`)
    }
  }
  const prefix = options.prefix ?? onlyPrefix(store)
  const precision = options.precision ?? 'float32'
  const kernels = options.kernels ?? defaultKernels(precision)
  const b = new GraphBuilder(options.name ?? config.modelType, 17)
  const w = new WeightSource(store, precision)
  const int8Activations = options.int8Activations ?? 'per-token'
  if (options.calibrationOutputs && (precision !== 'float32' || kernels !== 'plain')) throw new RangeError('calibrationOutputs needs a float32 graph with plain kernels')
  if ((int8Activations === 'static') !== (options.activationRanges !== undefined) && precision === 'int8') throw new RangeError('static int8 activations need activationRanges, and only they use them')
  const ctx: BuildContext = {
    b, w, config, prefix, float: w.dataType, int8Activations,
    ...(options.activationRanges === undefined ? {} : {activationRanges: options.activationRanges}),
    ...(options.calibrationOutputs ? {calibrationOutputs: true} : {}),
  }

  const axes = ['batch', 'sequence']
  const inputs: EncoderInputs = {
    inputIds: b.input('input_ids', DataType.INT64, axes),
    attentionMask: b.input('attention_mask', DataType.INT64, axes),
  }
  if (options.tokenTypeInput ?? config.typeVocabSize > 1) inputs.tokenTypeIds = b.input('token_type_ids', DataType.INT64, axes)

  const hidden = [buildEmbeddings(ctx, inputs)]
  const layers = layersNeeded(options.outputs, config.numLayers)
  const mask = layers > 0 ? buildMask(ctx, inputs.attentionMask, kernels) : {}
  for (let i = 0; i < layers; i++) hidden.push(buildLayer(ctx, hidden[i]!, i, mask, kernels))
  buildOutputs(ctx, options.outputs, hidden)

  w.check(`${config.modelType} encoder${prefix === '' ? '' : ` at prefix "${prefix}"`}`)
  return b.build({
    'alignctl.model_type': config.modelType,
    'alignctl.precision': precision,
    'alignctl.kernels': kernels,
    ...(precision === 'int8' ? {'alignctl.int8_activations': int8Activations} : {}),
    'alignctl.layers': String(layers),
    ...options.metadata,
  })
}

function onlyPrefix(store: TensorStore): string {
  const found = encoderPrefixes(store)
  if (found.length === 1) return found[0]!
  if (found.length === 0) throw usageError('the checkpoint has no tensor named "…embeddings.word_embeddings.weight": it is not a BERT, RoBERTa or ALBERT encoder')
  throw usageError(`the checkpoint holds ${found.length} encoders (prefixes ${found.map((p) => JSON.stringify(p)).join(', ')}); say which with the prefix option`)
}
