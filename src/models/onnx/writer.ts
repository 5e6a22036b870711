/**
 * Writes an {@link OnnxModel} to disk one tensor at a time. protobufjs encodes the small parts
 * (model fields, graph nodes, each tensor's header); the weights are appended by hand as
 * length-delimited fields, so no step holds more than one tensor's bytes. Protobuf caps a
 * message at 2 GiB, so past a threshold the weights go to a side file (`model.onnx.data`)
 * that the model points into with location/offset/length, as ONNX's external data does.
 */
import {open, rename, rm, type FileHandle} from 'node:fs/promises'
import {basename} from 'node:path'

import {byteLength, tensorHeader, type Initializer, type OnnxModel} from './graph.js'
import {DataLocation, encodeGraph, encodeModelFields, encodeTensor, FieldNumber} from './proto.js'

export interface WriteOptions {
  /** Total weight bytes above which weights go to the side file. Default 2e9: under protobuf's 2 GiB cap with room for the graph. */
  externalDataThreshold?: number
  /** In external mode, tensors smaller than this stay inline (default 1024 bytes). */
  externalMinBytes?: number
  /** Side-file offsets are multiples of this (default 4096), so the runtime can map weights page by page. */
  alignment?: number
  /** ModelProto.producer_version (the producer name is always "alignctl"). */
  producerVersion?: string
  /** Called after each tensor with the weight bytes written so far and in all. */
  onProgress?: (written: number, total: number) => void
}

export interface WriteResult {
  modelPath: string
  modelBytes: number
  /** The side file, when weights were written externally. */
  dataPath?: string
  dataBytes: number
}

const defaults = {externalDataThreshold: 2e9, externalMinBytes: 1024, alignment: 4096}
const protobufLimit = 2 ** 31 - 1

/** Writes `model` to `path` (and `path.data` when external); files appear only when complete. */
export async function writeModel(model: OnnxModel, path: string, options: WriteOptions = {}): Promise<WriteResult> {
  const settings = {...defaults, ...options}
  if (!(settings.alignment >= 1 && Number.isInteger(settings.alignment))) throw new RangeError(`alignment must be a positive integer, not ${settings.alignment}`)
  const total = model.initializers.reduce((n, t) => n + byteLength(t.dataType, t.dims), 0)
  const external = total > settings.externalDataThreshold
  const dataPath = `${path}.data`
  const layout = planLayout(model, external ? {location: basename(dataPath), minBytes: settings.externalMinBytes, alignment: settings.alignment} : undefined, options)
  if (layout.modelBytes > protobufLimit) {
    throw new RangeError(`the model would be ${layout.modelBytes} bytes inline, over protobuf's 2 GiB limit; lower externalDataThreshold (now ${settings.externalDataThreshold})`)
  }

  const partial = `${path}.partial`
  const partialData = `${dataPath}.partial`
  const modelFile = await open(partial, 'w')
  const dataFile = external ? await open(partialData, 'w') : undefined
  try {
    await writeLayout(layout, modelFile, dataFile, (written) => settings.onProgress?.(written, total))
    await modelFile.close()
    await dataFile?.close()
    if (dataFile) await rename(partialData, dataPath)
    else await rm(dataPath, {force: true})
    await rename(partial, path)
  } catch (error) {
    await modelFile.close().catch(() => {})
    await dataFile?.close().catch(() => {})
    await rm(partial, {force: true})
    await rm(partialData, {force: true})
    throw error
  }
  return {modelPath: path, modelBytes: layout.modelBytes, ...(external ? {dataPath} : {}), dataBytes: layout.dataBytes}
}

/** The whole model as one buffer, weights inline: for small models and tests. */
export async function serializeModel(model: OnnxModel, options: Pick<WriteOptions, 'producerVersion'> = {}): Promise<Uint8Array> {
  const layout = planLayout(model, undefined, options)
  if (layout.modelBytes > protobufLimit) throw new RangeError(`the model is ${layout.modelBytes} bytes, over protobuf's 2 GiB limit; write it to a file with external data`)
  const out = new Uint8Array(layout.modelBytes)
  let at = 0
  const sink: Sink = {
    write: async (chunk) => {
      out.set(chunk, at)
      at += chunk.length
    },
  }
  await writeLayout(layout, sink, undefined, () => {})
  return out
}

interface ExternalPlan {
  location: string
  minBytes: number
  alignment: number
}

interface TensorPlan {
  init: Initializer
  length: number
  /** Field key + length + TensorProto header; the data follows when inline. */
  prefix: Uint8Array
  /** Offset in the side file, when external. */
  offset?: number
}

interface Layout {
  head: Uint8Array
  tensors: TensorPlan[]
  modelBytes: number
  dataBytes: number
}

function planLayout(model: OnnxModel, external: ExternalPlan | undefined, options: WriteOptions): Layout {
  const tensors: TensorPlan[] = []
  let dataBytes = 0
  let graphBytes = 0
  for (const init of model.initializers) {
    const length = byteLength(init.dataType, init.dims)
    const header = tensorHeader(init)
    let prefix: Uint8Array
    let offset: number | undefined
    if (external && length >= external.minBytes) {
      offset = Math.ceil(dataBytes / external.alignment) * external.alignment
      dataBytes = offset + length
      header.externalData = [
        {key: 'location', value: external.location},
        {key: 'offset', value: String(offset)},
        {key: 'length', value: String(length)},
      ]
      header.dataLocation = DataLocation.EXTERNAL
      const body = encodeTensor(header)
      prefix = concat([key(FieldNumber.graphInitializer), varint(body.length), body])
    } else {
      const body = encodeTensor(header)
      const rawKey = concat([key(FieldNumber.tensorRawData), varint(length)])
      prefix = concat([key(FieldNumber.graphInitializer), varint(body.length + rawKey.length + length), body, rawKey])
    }
    graphBytes += prefix.length + (offset === undefined ? length : 0)
    tensors.push({init, length, prefix, ...(offset === undefined ? {} : {offset})})
  }

  const {graph, metadata} = model
  const graphCore = encodeGraph({...graph, initializer: []})
  graphBytes += graphCore.length
  // Protobuf fields may come in any order, so the graph field goes last, after the model's own fields.
  const modelFields = encodeModelFields({
    irVersion: model.irVersion,
    opsetImport: model.opsetImport,
    producerName: 'alignctl',
    producerVersion: options.producerVersion ?? '',
    ...(graph.docString === undefined ? {} : {docString: graph.docString}),
    metadataProps: Object.entries(metadata).map(([k, value]) => ({key: k, value})),
  })
  const head = concat([modelFields, key(FieldNumber.modelGraph), varint(graphBytes), graphCore])
  return {head, tensors, modelBytes: head.length + graphBytes - graphCore.length, dataBytes}
}

interface Sink {
  write(chunk: Uint8Array): Promise<unknown>
}

async function writeLayout(layout: Layout, model: Sink | FileHandle, data: FileHandle | undefined, progress: (written: number) => void): Promise<void> {
  await model.write(layout.head)
  let written = 0
  let dataAt = 0
  for (const tensor of layout.tensors) {
    await model.write(tensor.prefix)
    const bytes = await tensor.init.read()
    if (bytes.length !== tensor.length) throw new Error(`tensor "${tensor.init.name}" produced ${bytes.length} bytes, expected ${tensor.length} for shape [${tensor.init.dims.join(', ')}]`)
    if (tensor.offset === undefined) {
      await model.write(bytes)
    } else {
      if (!data) throw new Error('internal: external tensor without a data file')
      if (tensor.offset > dataAt) await data.write(new Uint8Array(tensor.offset - dataAt))
      await data.write(bytes)
      dataAt = tensor.offset + bytes.length
    }
    written += tensor.length
    progress(written)
  }
}

function key(field: number): Uint8Array {
  return varint((field << 3) | 2)
}

/** Base-128 varint of a non-negative safe integer (lengths past 2^32 included). */
function varint(value: number): Uint8Array {
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return Uint8Array.from(bytes)
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

