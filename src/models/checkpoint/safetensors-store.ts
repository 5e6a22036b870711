/**
 * A {@link TensorStore} over a `.safetensors` file: an 8-byte little-endian header length, a
 * JSON header (`{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {...}}`,
 * offsets relative to the end of the header), then the raw bytes. The header is read and
 * checked once at open; tensors are read one at a time.
 */
import {open, type FileHandle} from 'node:fs/promises'

import {inputError} from '../../kernel/errors.js'
import type {TensorDType, TensorInfo} from '../tensors.js'
import {missingTensorMessage, type CheckpointStore} from './checkpoint-store.js'
import {DTYPE_SIZE, toFloat32} from './dtypes.js'
import {readRange} from './read-range.js'
import {elementCount} from './strided.js'

const DTYPES: Readonly<Record<string, TensorDType>> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
}

/** The format caps the header at 100 MB; a larger length means this is not a safetensors file. */
export const SAFETENSORS_MAX_HEADER = 100_000_000

interface SafetensorsEntry {
  info: TensorInfo
  /** Absolute byte range in the file. */
  start: number
  length: number
}

export class SafetensorsStore implements CheckpointStore {
  readonly format = 'safetensors' as const
  readonly file: string
  /** The header's `__metadata__` (string to string), empty when absent. */
  readonly metadata: Readonly<Record<string, string>>
  readonly #handle: FileHandle
  readonly #entries: Map<string, SafetensorsEntry>
  readonly #names: readonly string[]

  private constructor(file: string, handle: FileHandle, entries: Map<string, SafetensorsEntry>, metadata: Record<string, string>) {
    this.file = file
    this.#handle = handle
    this.#entries = entries
    this.#names = [...entries.keys()]
    this.metadata = metadata
  }

  static async open(file: string): Promise<SafetensorsStore> {
    const handle = await open(file, 'r')
    try {
      const {entries, metadata} = await readHeader(file, handle)
      return new SafetensorsStore(file, handle, entries, metadata)
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /** Names in header order (JSON object order; integer-like names would come first). */
  names(): readonly string[] {
    return this.#names
  }

  info(name: string): TensorInfo | undefined {
    return this.#entries.get(name)?.info
  }

  async readBytes(name: string): Promise<Uint8Array> {
    const entry = this.#entry(name)
    return readRange(this.#handle, entry.start, entry.length, `${this.file}: tensor "${name}"`)
  }

  async readFloat32(name: string): Promise<Float32Array> {
    const entry = this.#entry(name)
    return toFloat32(await this.readBytes(name), entry.info.dtype)
  }

  async close(): Promise<void> {
    await this.#handle.close()
  }

  #entry(name: string): SafetensorsEntry {
    const entry = this.#entries.get(name)
    if (entry === undefined) throw inputError(missingTensorMessage(this.file, name, this.#names), 'Check the key names: `alignctl models convert` expects the layout of the upstream model.')
    return entry
  }
}

async function readHeader(file: string, handle: FileHandle): Promise<{entries: Map<string, SafetensorsEntry>; metadata: Record<string, string>}> {
  const {size: fileSize} = await handle.stat()
  const bad = (what: string): Error => inputError(`${file}: not a valid safetensors file: ${what}.`, 'The file may be truncated or damaged: download it again.')
  if (fileSize < 8) throw bad('shorter than its 8-byte header length')
  const lengthBytes = await readRange(handle, 0, 8, `${file}: safetensors header length`)
  const headerLength = new DataView(lengthBytes.buffer).getBigUint64(0, true)
  if (headerLength > BigInt(SAFETENSORS_MAX_HEADER)) throw bad(`the header length ${headerLength} is over the format's limit of ${SAFETENSORS_MAX_HEADER} bytes (100 MB)`)
  if (8n + headerLength > BigInt(fileSize)) throw bad(`the header length ${headerLength} runs past the end of the file (${fileSize} bytes)`)

  return parseHeader(file, Number(headerLength), fileSize, await readRange(handle, 8, Number(headerLength), `${file}: safetensors header`), bad)
}

function parseHeader(
  file: string,
  headerLength: number,
  fileSize: number,
  headerBytes: Uint8Array,
  bad: (what: string) => Error,
): {entries: Map<string, SafetensorsEntry>; metadata: Record<string, string>} {
  let header: unknown
  try {
    header = JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(headerBytes))
  } catch (error) {
    throw bad(`the header is not JSON (${(error as Error).message})`)
  }

  if (!isRecord(header)) throw bad('the header is not a JSON object')
  const dataStart = 8 + headerLength
  const dataLength = fileSize - dataStart
  const entries = new Map<string, SafetensorsEntry>()
  let metadata: Record<string, string> = {}
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(raw) || !Object.values(raw).every((value) => typeof value === 'string')) throw bad('"__metadata__" is not a map of strings')
      metadata = raw as Record<string, string>
      continue
    }

    if (!isRecord(raw)) throw bad(`tensor "${name}" is not an object`)
    const {dtype: rawDType, shape, data_offsets: offsets} = raw
    const dtype = typeof rawDType === 'string' ? DTYPES[rawDType] : undefined
    if (dtype === undefined) {
      throw inputError(
        `${file}: tensor "${name}" has dtype ${JSON.stringify(rawDType)}, which alignctl does not read (it reads ${Object.keys(DTYPES).join(', ')}).`,
        'Convert the weights to F32, F16 or BF16 and save the file again.',
      )
    }

    if (!isDimensions(shape)) throw bad(`tensor "${name}" has no valid "shape"`)
    if (!isDimensions(offsets) || offsets.length !== 2) throw bad(`tensor "${name}" has no valid "data_offsets"`)
    const [begin, end] = offsets as [number, number]
    const expected = elementCount(shape) * DTYPE_SIZE[dtype]
    if (end < begin || end > dataLength) throw bad(`tensor "${name}" has data_offsets [${begin}, ${end}] outside the ${dataLength} data bytes`)
    if (end - begin !== expected) throw bad(`tensor "${name}" (${dtype}[${shape.join(', ')}]) needs ${expected} bytes but data_offsets give ${end - begin}`)
    entries.set(name, {info: {name, dtype, shape}, start: dataStart + begin, length: end - begin})
  }

  checkCoverage(entries, dataStart, dataLength, bad)
  return {entries, metadata}
}

/**
 * The format's rule: tensors' byte ranges do not overlap and cover the data section exactly,
 * with no hole and nothing after the last one.
 */
function checkCoverage(entries: ReadonlyMap<string, SafetensorsEntry>, dataStart: number, dataLength: number, bad: (what: string) => Error): void {
  const ranges = [...entries.values()].map((entry) => ({name: entry.info.name, begin: entry.start - dataStart, end: entry.start - dataStart + entry.length}))
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end)
  let covered = 0
  let previous: string | undefined
  for (const range of ranges) {
    if (range.begin < covered) throw bad(`tensor "${range.name}" (bytes ${range.begin} to ${range.end}) overlaps tensor "${previous}" (which ends at ${covered})`)
    if (range.begin > covered) throw bad(`bytes ${covered} to ${range.begin} of the data section belong to no tensor (a hole before "${range.name}")`)
    covered = range.end
    previous = range.name
  }

  if (covered !== dataLength) throw bad(`the tensors cover ${covered} of the ${dataLength} data bytes; the format requires them to cover all of it`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isDimensions(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => Number.isSafeInteger(item) && (item as number) >= 0)
}
