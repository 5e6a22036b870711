/**
 * A test-only TensorStore over the raw fixture format of scripts/fixtures/encoders.py:
 * weights.bin (little-endian float32 tensors back to back) and weights.json (name → shape, offset).
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {TensorInfo, TensorStore} from '../../src/models/tensors.js'

interface RawIndex {
  dtype: 'float32'
  tensors: Record<string, {shape: number[]; offset: number}>
}

export class RawTensorStore implements TensorStore {
  readonly #index: RawIndex
  readonly #data: Buffer
  /** Every read, in order: lets tests check that tensors are read lazily and once. */
  readonly reads: string[] = []

  constructor(folder: string) {
    this.#index = JSON.parse(readFileSync(join(folder, 'weights.json'), 'utf8')) as RawIndex
    this.#data = readFileSync(join(folder, 'weights.bin'))
  }

  names(): readonly string[] {
    return Object.keys(this.#index.tensors)
  }

  info(name: string): TensorInfo | undefined {
    const entry = this.#index.tensors[name]
    return entry && {name, dtype: 'float32', shape: entry.shape}
  }

  async readFloat32(name: string): Promise<Float32Array> {
    const bytes = await this.readBytes(name)
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
  }

  async readBytes(name: string): Promise<Uint8Array> {
    const entry = this.#index.tensors[name]
    if (!entry) throw new Error(`no tensor ${name}`)
    this.reads.push(name)
    const length = entry.shape.reduce((n, d) => n * d, 4)
    return new Uint8Array(this.#data.subarray(entry.offset, entry.offset + length))
  }

  async close(): Promise<void> {}
}
