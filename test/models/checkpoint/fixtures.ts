// Shared by the checkpoint tests: fixture paths, the values expected.json records (written
// by scripts/fixtures/checkpoints.py) and assertions over a TensorStore.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {AlignctlError} from '../../../src/kernel/errors.js'
import type {TensorDType, TensorStore} from '../../../src/models/tensors.js'

export const CHECKPOINTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/checkpoints')

export const fixture = (name: string): string => join(CHECKPOINTS, name)

export type ExpectedNumber = number | 'inf' | '-inf' | 'nan'

export interface ExpectedTensor {
  dtype: TensorDType
  shape: number[]
  /** Elements as float32 (ints as their value), row-major. */
  values: ExpectedNumber[]
  /** Raw little-endian bytes in the tensor's dtype, row-major. */
  hex: string
}

export interface ExpectedFile {
  format: 'pytorch' | 'safetensors'
  stateDictKey?: string
  unlistedGlobals?: string[]
  metadata?: Record<string, string>
  tensors: Record<string, ExpectedTensor>
}

export interface Expected {
  pwnedMarker: string
  files: Record<string, ExpectedFile>
  pickles: Record<string, unknown>
}

export const expected: Expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as Expected

export function expectedFile(name: string): ExpectedFile {
  const file = expected.files[name]
  assert.ok(file, `expected.json has no entry for ${name}`)
  return file
}

const toNumber = (value: ExpectedNumber): number =>
  value === 'inf' ? Number.POSITIVE_INFINITY : value === '-inf' ? Number.NEGATIVE_INFINITY : value === 'nan' ? Number.NaN : value

/** Every tensor of `want`: names in order, dtype, shape, raw bytes and float32 values, exactly. */
export async function assertStoreMatches(store: TensorStore, want: ExpectedFile): Promise<void> {
  assert.deepEqual(store.names(), Object.keys(want.tensors))
  for (const [name, tensor] of Object.entries(want.tensors)) {
    assert.deepEqual(store.info(name), {name, dtype: tensor.dtype, shape: tensor.shape}, name)
    assert.equal(Buffer.from(await store.readBytes(name)).toString('hex'), tensor.hex, `${name}: bytes`)
    const floats = await store.readFloat32(name)
    assert.ok(floats instanceof Float32Array, `${name}: a Float32Array`)
    // Object.is tells -0 from 0 and matches NaN with NaN.
    assert.deepEqual([...floats], tensor.values.map((value) => Math.fround(toNumber(value))), `${name}: values`)
  }
}

/** The AlignctlError a promise (or function) fails with. */
export async function failure(action: Promise<unknown> | (() => unknown)): Promise<AlignctlError> {
  try {
    await (typeof action === 'function' ? action() : action)
  } catch (error) {
    assert.ok(error instanceof AlignctlError, `expected an AlignctlError, got ${String(error)}`)
    return error
  }

  assert.fail('expected a failure')
}
