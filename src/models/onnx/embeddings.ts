/**
 * The embedding block: word + token type + position embeddings, then LayerNorm, as HF's
 * BertEmbeddings and RobertaEmbeddings compute it (absolute positions only). ALBERT's tables
 * are narrower (embedding_size E); its encoder first projects them to the hidden size with
 * `encoder.embedding_hidden_mapping_in`, and HF's hidden_states[0] is that projection.
 */
import type {BuildContext, EncoderInputs} from './context.js'
import {attr} from './graph.js'
import {DataType} from './proto.js'

export function buildEmbeddings(ctx: BuildContext, inputs: EncoderInputs): string {
  const {b, w, config, prefix} = ctx
  const H = config.embeddingSize
  const at = `${prefix}embeddings`
  const wordShape = [config.vocabSize, H]
  const typeShape = [config.typeVocabSize, H]

  let x: string
  if (inputs.tokenTypeIds === undefined) {
    // Without a token_type_ids input every token has type 0, so its embedding row is added to
    // the word table once, at conversion. HF adds word + type before position, so this is the
    // same float32 sum in the same order, not an approximation.
    const table = w.derived(b, `${at}.word_embeddings.weight+type0`, [{name: `${at}.word_embeddings.weight`, shape: wordShape}, {name: `${at}.token_type_embeddings.weight`, shape: typeShape}], wordShape, ([words, types]) => {
      const out = new Float32Array(words!)
      for (let row = 0; row < config.vocabSize; row++) for (let i = 0; i < H; i++) out[row * H + i] = out[row * H + i]! + types![i]!
      return out
    })
    x = b.op('Gather', [table, inputs.inputIds], {name: 'embeddings/word'})
  } else {
    const words = b.op('Gather', [w.tensor(b, `${at}.word_embeddings.weight`, wordShape), inputs.inputIds], {name: 'embeddings/word'})
    const types = b.op('Gather', [w.tensor(b, `${at}.token_type_embeddings.weight`, typeShape), inputs.tokenTypeIds], {name: 'embeddings/type'})
    x = b.op('Add', [words, types], {name: 'embeddings/word+type'})
  }

  const positionTable = w.tensor(b, `${at}.position_embeddings.weight`, [config.maxPositions, H])
  let positions: string
  if (config.positionScheme === 'padding-offset') {
    positions = b.op('Gather', [positionTable, paddingOffsetPositions(ctx, inputs.inputIds)], {name: 'embeddings/position'})
  } else {
    // Positions 0..L-1 are the table's first L rows, the same for every row of the batch.
    const length = b.op('Shape', [inputs.inputIds], {name: 'embeddings/length', attributes: {start: attr.int(1), end: attr.int(2)}})
    positions = b.op('Slice', [positionTable, b.constant([0], DataType.INT64), length, b.constant([0], DataType.INT64)], {name: 'embeddings/position'})
  }
  x = b.op('Add', [x, positions], {name: 'embeddings/sum'})
  const normed = layerNorm(ctx, x, `${at}.LayerNorm`, 'embeddings/LayerNorm', H)
  if (config.family !== 'albert') return normed
  const mapping = w.linear(b, `${prefix}encoder.embedding_hidden_mapping_in`, H, config.hiddenSize)
  const projected = b.op('MatMul', [normed, mapping.weight], {name: 'embeddings/mapping_in/MatMul'})
  return b.op('Add', [projected, mapping.bias], {name: 'embeddings/mapping_in/Add'})
}

/**
 * RoBERTa's position ids (HF create_position_ids_from_input_ids): non-padding tokens count
 * up from pad_token_id + 1; padding tokens get pad_token_id. Decided by input_ids, not by the
 * attention mask.
 */
function paddingOffsetPositions(ctx: BuildContext, inputIds: string): string {
  const {b, config} = ctx
  const isPad = b.op('Equal', [inputIds, b.constant([config.padTokenId], DataType.INT64, [])], {name: 'positions/is_pad'})
  const notPad = b.op('Cast', [b.op('Not', [isPad], {name: 'positions/not_pad'})], {name: 'positions/mask', attributes: {to: attr.int(DataType.INT64)}})
  const counts = b.op('CumSum', [notPad, b.constant([1], DataType.INT64, [])], {name: 'positions/cumsum'})
  const masked = b.op('Mul', [counts, notPad], {name: 'positions/masked'})
  return b.op('Add', [masked, b.constant([config.padTokenId], DataType.INT64, [])], {name: 'positions/ids'})
}

/** LayerNorm over the last axis (`size` wide, default the hidden size) with the checkpoint's weight and bias at `module`. */
export function layerNorm(ctx: BuildContext, x: string, module: string, name: string, size = ctx.config.hiddenSize): string {
  const {b, w, config} = ctx
  const shape = [size]
  return b.op('LayerNormalization', [x, w.tensor(b, `${module}.weight`, shape), w.tensor(b, `${module}.bias`, shape)], {name, attributes: {axis: attr.int(-1), epsilon: attr.float(config.layerNormEps)}})
}
