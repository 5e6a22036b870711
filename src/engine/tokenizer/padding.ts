/**
 * Dynamic padding: a batch becomes row-major [batch, sequence] arrays, padded on the right
 * to its longest member (or to `minLength`), ready for onnxruntime-node tensors
 * (`new Tensor('int64', batch.inputIds, batch.dims)`).
 */

/** Element type of the id tensors: ONNX exports of BERT/RoBERTa take int64. */
export type IdDType = 'int64' | 'int32'

/** The typed array that holds each {@link IdDType}. */
export interface IdArrayTypes {
  int64: BigInt64Array
  int32: Int32Array
}

/** What padding needs of an encoding. */
export interface PaddableEncoding {
  ids: readonly number[]
  typeIds: readonly number[]
}

export interface PadOptions<D extends IdDType = 'int64'> {
  /** Id written into padded positions of `inputIds`. */
  padId: number
  /** Type id written into padded positions of `tokenTypeIds`; HF's `pad_token_type_id`, default 0. */
  padTypeId?: number
  /** Also return `tokenTypeIds` (models with a token_type_ids input, such as BERT); default false. */
  typeIds?: boolean
  /** Pad every row to at least this length (HF `padding="max_length"`); default: the longest row. */
  minLength?: number
  /** Element type of the arrays; default int64. */
  dtype?: D
}

export interface PaddedBatch<D extends IdDType = 'int64'> {
  dtype: D
  /** [batch, sequence]: the tensor shape. */
  dims: readonly [number, number]
  inputIds: IdArrayTypes[D]
  /** 1 over real tokens, 0 over padding. */
  attentionMask: IdArrayTypes[D]
  /** Present when `typeIds` was asked for. */
  tokenTypeIds?: IdArrayTypes[D]
  /** Real tokens per row. */
  lengths: Int32Array
}

/** Pads `encodings` into one batch; see {@link PadOptions}. */
export function padBatch<D extends IdDType = 'int64'>(encodings: readonly PaddableEncoding[], options: PadOptions<D>): PaddedBatch<D> {
  const dtype = (options.dtype ?? 'int64') as D
  const lengths = Int32Array.from(encodings, (e) => e.ids.length)
  const width = lengths.reduce((max, n) => Math.max(max, n), options.minLength ?? 0)
  const rows = encodings.length
  const padTypeId = options.padTypeId ?? 0
  const wide = dtype === 'int64'
  const make = (): IdArrayTypes[D] => (wide ? new BigInt64Array(rows * width) : new Int32Array(rows * width)) as IdArrayTypes[D]
  const inputIds = make()
  const attentionMask = make()
  const tokenTypeIds = options.typeIds ? make() : undefined
  // Chosen once per batch so the loop below stays monomorphic for its array type.
  const put = wide
    ? (array: IdArrayTypes[D], at: number, value: number) => {
        ;(array as BigInt64Array)[at] = BigInt(value)
      }
    : (array: IdArrayTypes[D], at: number, value: number) => {
        ;(array as Int32Array)[at] = value
      }

  encodings.forEach((encoding, row) => {
    const base = row * width
    const length = encoding.ids.length
    for (let i = 0; i < width; i++) {
      const real = i < length
      put(inputIds, base + i, real ? encoding.ids[i]! : options.padId)
      put(attentionMask, base + i, real ? 1 : 0)
      if (tokenTypeIds) put(tokenTypeIds, base + i, real ? encoding.typeIds[i]! : padTypeId)
    }
  })

  const batch: PaddedBatch<D> = {dtype, dims: [rows, width], inputIds, attentionMask, lengths}
  if (tokenTypeIds) batch.tokenTypeIds = tokenTypeIds
  return batch
}
