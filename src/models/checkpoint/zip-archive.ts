/**
 * A read-only view of a zip file's central directory with random access to stored entries.
 *
 * Why our own reader and not yauzl: torch.save writes every entry uncompressed, and what the
 * checkpoint reader needs is "bytes [a, b) of entry X" through one file handle. That is the
 * central directory, the zip64 records and the local header, about 150 lines with no
 * dependency, while yauzl's API is built around streams of whole entries. Entries are never
 * read whole unless asked (the pickle), so a 5 GB checkpoint costs only the tensor being read.
 * CRCs are not checked: a range read cannot check one, and a bad byte in a weight shows up
 * in the model's reference outputs instead.
 */
import {open, type FileHandle} from 'node:fs/promises'
import {inflateRawSync} from 'node:zlib'

import {inputError} from '../../kernel/errors.js'
import {readRange} from './read-range.js'

export interface ZipEntry {
  name: string
  /** 0 = stored, 8 = deflated. */
  method: number
  compressedSize: number
  size: number
  /** Offset of the entry's local header; its data follows a variable-length header. */
  localHeaderOffset: number
}

const SIG = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
} as const

const END_MIN = 22
const MAX_COMMENT = 0xffff
const ZIP64_LOCATOR_SIZE = 20
const LOCAL_HEADER_SIZE = 30
const CENTRAL_HEADER_SIZE = 46
const ZIP64_EXTRA_ID = 0x0001
const U32_MAX = 0xffffffff
const STORED = 0
const DEFLATED = 8
/** Deflate cannot expand data by more than about 1032:1; a larger declared ratio is a lie. */
const DEFLATE_MAX_RATIO = 1032
/**
 * The most alignctl inflates from one entry (only the pickle is ever read whole). A 7B-model
 * checkpoint's pickle is a few MB; this bound keeps a deflate bomb far from the memory limit.
 */
export const ZIP_MAX_INFLATED = 256 * 1024 * 1024

export class ZipArchive {
  readonly file: string
  readonly #handle: FileHandle
  readonly #entries: Map<string, ZipEntry>
  /** Data offsets, found from each local header on first use. */
  readonly #dataOffsets = new Map<string, number>()

  private constructor(file: string, handle: FileHandle, entries: Map<string, ZipEntry>) {
    this.file = file
    this.#handle = handle
    this.#entries = entries
  }

  /** Opens `file` and reads its central directory (not its entries). */
  static async open(file: string): Promise<ZipArchive> {
    const handle = await open(file, 'r')
    try {
      const entries = await readCentralDirectory(file, handle)
      return new ZipArchive(file, handle, entries)
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /** Entry names in central-directory order. */
  names(): string[] {
    return [...this.#entries.keys()]
  }

  entry(name: string): ZipEntry | undefined {
    return this.#entries.get(name)
  }

  /** Bytes [start, start + length) of a stored entry's data. */
  async readRange(entry: ZipEntry, start: number, length: number): Promise<Uint8Array> {
    if (entry.method !== STORED) {
      throw inputError(
        `${this.file}: zip entry "${entry.name}" is compressed (method ${entry.method}), so its tensors cannot be read in place.`,
        'torch.save writes uncompressed entries: load the checkpoint with torch and save it again with torch.save, without re-zipping it.',
      )
    }

    if (start < 0 || length < 0 || start + length > entry.size) {
      throw inputError(
        `${this.file}: zip entry "${entry.name}" holds ${entry.size} bytes, but bytes ${start} to ${start + length} were asked for.`,
        'The checkpoint is inconsistent (a tensor points past its storage); re-save it with torch.save.',
      )
    }

    const dataOffset = await this.#dataOffset(entry)
    return readRange(this.#handle, dataOffset + start, length, `${this.file}: zip entry "${entry.name}"`)
  }

  /** A whole entry, inflated when deflated: for small entries such as the pickle. */
  async readAll(entry: ZipEntry): Promise<Uint8Array> {
    if (entry.method === STORED) return this.readRange(entry, 0, entry.size)
    if (entry.method !== DEFLATED) {
      throw inputError(
        `${this.file}: zip entry "${entry.name}" uses compression method ${entry.method}, which alignctl does not read.`,
        'Re-save the checkpoint with torch.save.',
      )
    }

    if (entry.size > ZIP_MAX_INFLATED || entry.size > entry.compressedSize * DEFLATE_MAX_RATIO + 1024) {
      throw inputError(
        `${this.file}: zip entry "${entry.name}" declares ${entry.size} bytes once inflated from ${entry.compressedSize}, more than alignctl inflates (${ZIP_MAX_INFLATED} bytes, at most ${DEFLATE_MAX_RATIO}:1); it may be a decompression bomb.`,
        'Re-save the checkpoint with torch.save, which stores entries uncompressed.',
      )
    }

    const dataOffset = await this.#dataOffset(entry)
    const packed = await readRange(this.#handle, dataOffset, entry.compressedSize, `${this.file}: zip entry "${entry.name}"`)
    let inflated: Uint8Array
    try {
      // Never past the declared size: a bomb stops at that many bytes.
      inflated = inflateRawSync(packed, {maxOutputLength: Math.max(1, entry.size)})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw inputError(
          `${this.file}: zip entry "${entry.name}" inflates to more than the ${entry.size} bytes it declares; it may be a decompression bomb, and alignctl stopped inflating it.`,
          'Do not use this file; re-save the checkpoint with torch.save.',
        )
      }

      throw inputError(`${this.file}: zip entry "${entry.name}" does not inflate (${(error as Error).message}).`, 'The file is damaged: download or copy it again.')
    }

    if (inflated.length !== entry.size) {
      throw inputError(`${this.file}: zip entry "${entry.name}" inflates to ${inflated.length} bytes but declares ${entry.size}.`, 'The file is damaged: download or copy it again.')
    }

    return inflated
  }

  async close(): Promise<void> {
    await this.#handle.close()
  }

  async #dataOffset(entry: ZipEntry): Promise<number> {
    const known = this.#dataOffsets.get(entry.name)
    if (known !== undefined) return known
    const header = view(await readRange(this.#handle, entry.localHeaderOffset, LOCAL_HEADER_SIZE, `${this.file}: zip entry "${entry.name}"`))
    if (header.getUint32(0, true) !== SIG.local) throw this.#damaged(`zip entry "${entry.name}" has no local header at byte ${entry.localHeaderOffset}`)
    // The local extra field can differ from the central one (torch pads it to align data).
    const offset = entry.localHeaderOffset + LOCAL_HEADER_SIZE + header.getUint16(26, true) + header.getUint16(28, true)
    this.#dataOffsets.set(entry.name, offset)
    return offset
  }

  #damaged(what: string): Error {
    return damaged(this.file, what)
  }
}

function damaged(file: string, what: string): Error {
  return inputError(`${file}: not a readable zip file: ${what}.`, 'The file may be truncated or damaged: download or copy it again.')
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** A u64 as a JS number; offsets past 2^53 (8 PiB) cannot be real. */
function getU64(data: DataView, at: number): number {
  return Number(data.getBigUint64(at, true))
}

interface DirectoryLocation {
  count: number
  size: number
  offset: number
}

async function readCentralDirectory(file: string, handle: FileHandle): Promise<Map<string, ZipEntry>> {
  const {size: fileSize} = await handle.stat()
  const location = await findDirectory(file, handle, fileSize)
  if (location.offset + location.size > fileSize) throw damaged(file, 'the central directory runs past the end of the file')

  const directory = await readRange(handle, location.offset, location.size, `${file}: zip central directory`)
  const data = view(directory)
  const decoder = new TextDecoder('utf-8')
  const entries = new Map<string, ZipEntry>()
  let at = 0
  for (let i = 0; i < location.count; i++) {
    if (at + CENTRAL_HEADER_SIZE > directory.length || data.getUint32(at, true) !== SIG.central) {
      throw damaged(file, `central directory entry ${i} is malformed`)
    }

    const nameLength = data.getUint16(at + 28, true)
    const extraLength = data.getUint16(at + 30, true)
    const commentLength = data.getUint16(at + 32, true)
    const nameStart = at + CENTRAL_HEADER_SIZE
    if (nameStart + nameLength + extraLength > directory.length) throw damaged(file, `central directory entry ${i} is cut short`)
    const entry: ZipEntry = {
      name: decoder.decode(directory.subarray(nameStart, nameStart + nameLength)),
      method: data.getUint16(at + 10, true),
      compressedSize: data.getUint32(at + 20, true),
      size: data.getUint32(at + 24, true),
      localHeaderOffset: data.getUint32(at + 42, true),
    }
    applyZip64Extra(entry, directory.subarray(nameStart + nameLength, nameStart + nameLength + extraLength))
    if (![entry.size, entry.compressedSize, entry.localHeaderOffset].every(Number.isFinite)) throw damaged(file, `entry "${entry.name}" has a short zip64 field`)
    if (entry.localHeaderOffset + LOCAL_HEADER_SIZE > fileSize) throw damaged(file, `entry "${entry.name}" starts past the end of the file`)
    // Declared sizes are checked against what the file can hold before anything is allocated.
    if (entry.localHeaderOffset + LOCAL_HEADER_SIZE + entry.compressedSize > fileSize) {
      throw damaged(file, `entry "${entry.name}" declares ${entry.compressedSize} stored bytes, more than the file (${fileSize} bytes) holds after its header`)
    }

    if (entry.method === STORED && entry.size !== entry.compressedSize) {
      throw damaged(file, `stored entry "${entry.name}" declares ${entry.size} bytes but holds ${entry.compressedSize}`)
    }

    entries.set(entry.name, entry)
    at = nameStart + nameLength + extraLength + commentLength
  }

  return entries
}

/** Finds the end-of-central-directory record, following the zip64 locator when one is there. */
async function findDirectory(file: string, handle: FileHandle, fileSize: number): Promise<DirectoryLocation> {
  const tailLength = Math.min(fileSize, END_MIN + MAX_COMMENT + ZIP64_LOCATOR_SIZE)
  const tailStart = fileSize - tailLength
  const tail = await readRange(handle, tailStart, tailLength, `${file}: zip end record`)
  const data = view(tail)
  let end = -1
  for (let at = tailLength - END_MIN; at >= 0; at--) {
    if (data.getUint32(at, true) === SIG.end) {
      end = at
      break
    }
  }

  if (end === -1) throw damaged(file, 'no end-of-central-directory record')
  const count = data.getUint16(end + 10, true)
  const size = data.getUint32(end + 12, true)
  const offset = data.getUint32(end + 16, true)
  const locator = end - ZIP64_LOCATOR_SIZE
  if (locator >= 0 && data.getUint32(locator, true) === SIG.zip64Locator) {
    const recordOffset = getU64(data, locator + 8)
    if (recordOffset + 56 > fileSize) throw damaged(file, 'the zip64 locator points past the end of the file')
    const record = view(await readRange(handle, recordOffset, 56, `${file}: zip64 end record`))
    if (record.getUint32(0, true) !== SIG.zip64End) throw damaged(file, 'the zip64 locator points at no zip64 end record')
    return {count: getU64(record, 32), size: getU64(record, 40), offset: getU64(record, 48)}
  }

  return {count, size, offset}
}

/** Replaces the 0xFFFFFFFF placeholders with the 64-bit values of the zip64 extra field. */
function applyZip64Extra(entry: ZipEntry, extra: Uint8Array): void {
  const data = view(extra)
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = data.getUint16(at, true)
    const length = data.getUint16(at + 2, true)
    if (id === ZIP64_EXTRA_ID) {
      // Only the fields whose 32-bit value is the placeholder are present, in this order.
      let field = at + 4
      const next = (): number => {
        const value = field + 8 <= at + 4 + length && field + 8 <= extra.length ? getU64(data, field) : Number.NaN
        field += 8
        return value
      }

      if (entry.size === U32_MAX) entry.size = next()
      if (entry.compressedSize === U32_MAX) entry.compressedSize = next()
      if (entry.localHeaderOffset === U32_MAX) entry.localHeaderOffset = next()
      return
    }

    at += 4 + length
  }
}
