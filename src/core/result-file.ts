import {createReadStream} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'

import type {RowResult} from './runner.js'

/** `{"row":` — how every result line of a partial file starts (JSON.stringify of a RowResult). */
const ROW_PREFIX = Buffer.from('{"row":')
/** Bytes read at a time when results are read back; two such windows are kept. */
const WINDOW = 1 << 20

/**
 * A metric's results read back by row from its partial file (PartialResults), without holding
 * them: an index of where each row's line is (two numbers a row), and reads through two
 * buffered windows, which serve rows in row order with few reads because the file is nearly
 * in row order (batches in order, rows restored by `--resume` first, in order, and bad input
 * rows a batch ahead of the rows around them).
 */
export class ResultFile {
  readonly file: string
  #offsets: Float64Array
  #lengths: Uint32Array
  #handle: FileHandle | undefined
  readonly #windows: Array<{start: number; bytes: Buffer}> = []
  /** One more than the largest row in the file. */
  #end = 0

  private constructor(file: string) {
    this.file = file
    this.#offsets = new Float64Array(1024).fill(-1)
    this.#lengths = new Uint32Array(1024)
  }

  /** Scans the file once for where each result line is; a later line for a row replaces an earlier one. */
  static async index(file: string): Promise<ResultFile> {
    const index = new ResultFile(file)
    let position = 0
    let lineStart = 0
    let head: Buffer[] = []
    let headLength = 0
    for await (const chunk of createReadStream(file, {highWaterMark: WINDOW}) as AsyncIterable<Buffer>) {
      let from = 0
      while (from < chunk.length) {
        const newline = chunk.indexOf(10, from)
        const stop = newline === -1 ? chunk.length : newline
        // The first bytes of the line, enough for the row number.
        if (headLength < 32) {
          const piece = chunk.subarray(from, Math.min(stop, from + 32 - headLength))
          head.push(piece)
          headLength += piece.length
        }
        if (newline === -1) break
        const end = position + newline
        index.#add(Buffer.concat(head, headLength), lineStart, end - lineStart)
        lineStart = end + 1
        head = []
        headLength = 0
        from = newline + 1
      }
      position += chunk.length
    }
    // A last line without its newline was cut short by a crash: not a result.
    return index
  }

  #add(head: Buffer, offset: number, length: number): void {
    if (length === 0 || head.compare(ROW_PREFIX, 0, ROW_PREFIX.length, 0, Math.min(head.length, ROW_PREFIX.length)) !== 0) return
    let row = 0
    let i = ROW_PREFIX.length
    for (; i < head.length && head[i]! >= 48 && head[i]! <= 57; i++) row = row * 10 + (head[i]! - 48)
    if (i === ROW_PREFIX.length) return
    if (row >= this.#offsets.length) {
      let size = this.#offsets.length
      while (size <= row) size *= 2
      const offsets = new Float64Array(size).fill(-1)
      offsets.set(this.#offsets)
      const lengths = new Uint32Array(size)
      lengths.set(this.#lengths)
      this.#offsets = offsets
      this.#lengths = lengths
    }
    this.#offsets[row] = offset
    this.#lengths[row] = length
    this.#end = Math.max(this.#end, row + 1)
  }

  /** One more than the largest row with a result. */
  get end(): number {
    return this.#end
  }

  has(row: number): boolean {
    return row < this.#end && this.#offsets[row]! >= 0
  }

  /** The row's result, or undefined when the file has none. */
  async get(row: number): Promise<RowResult | undefined> {
    if (!this.has(row)) return undefined
    const offset = this.#offsets[row]!
    const length = this.#lengths[row]!
    const bytes = await this.#bytes(offset, length)
    return JSON.parse(bytes.toString('utf8')) as RowResult
  }

  async #bytes(offset: number, length: number): Promise<Buffer> {
    const held = this.#windows.find((w) => offset >= w.start && offset + length <= w.start + w.bytes.length)
    if (held !== undefined) return held.bytes.subarray(offset - held.start, offset - held.start + length)
    this.#handle ??= await open(this.file, 'r')
    const size = Math.max(WINDOW, length)
    const bytes = Buffer.allocUnsafe(size)
    const {bytesRead} = await this.#handle.read(bytes, 0, size, offset)
    const window = {start: offset, bytes: bytes.subarray(0, bytesRead)}
    // Two windows: the rows restored by --resume and the rows scored after them are read in turn.
    this.#windows.unshift(window)
    this.#windows.length = Math.min(this.#windows.length, 2)
    return window.bytes.subarray(0, length)
  }

  async close(): Promise<void> {
    await this.#handle?.close()
    this.#handle = undefined
    this.#windows.length = 0
  }
}
