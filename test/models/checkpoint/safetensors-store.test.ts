import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {ExitCode} from '../../../src/kernel/errors.js'
import {openCheckpoint} from '../../../src/models/checkpoint/open-checkpoint.js'
import {SafetensorsStore} from '../../../src/models/checkpoint/safetensors-store.js'
import {tempFile} from '../../helpers/cli.js'
import {assertStoreMatches, expectedFile, failure, fixture} from './fixtures.js'

/** A safetensors file from a header object and data bytes. */
function safetensors(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Buffer {
  const json = Buffer.from(JSON.stringify(header))
  const length = Buffer.alloc(8)
  length.writeBigUInt64LE(lengthOverride ?? BigInt(json.length))
  return Buffer.concat([length, json, data])
}

async function openFailure(content: Buffer): Promise<string> {
  const error = await failure(SafetensorsStore.open(tempFile('bad.safetensors', content)))
  assert.equal(error.exitCode, ExitCode.usage)
  return error.message
}

describe('SafetensorsStore', () => {
  for (const name of ['fp32.safetensors', 'fp16.safetensors', 'bf16.safetensors', 'ints.safetensors']) {
    test(`${name}: every tensor and the metadata`, async () => {
      const want = expectedFile(name)
      const store = await SafetensorsStore.open(fixture(name))
      try {
        assert.equal(store.format, 'safetensors')
        assert.deepEqual(store.metadata, want.metadata)
        await assertStoreMatches(store, want)
      } finally {
        await store.close()
      }
    })
  }

  test('an unknown name: info is undefined, reads fail naming the file', async () => {
    const store = await SafetensorsStore.open(fixture('fp32.safetensors'))
    try {
      assert.equal(store.info('nope'), undefined)
      assert.match((await failure(store.readFloat32('nope'))).message, /fp32\.safetensors: no tensor named "nope" \(the file has 3/)
    } finally {
      await store.close()
    }
  })

  test('damaged headers are refused, naming the file and the tensor', async () => {
    const w = {dtype: 'F32', shape: [2], data_offsets: [0, 8]}
    assert.match(await openFailure(Buffer.from([1, 2, 3])), /bad\.safetensors: not a valid safetensors file: shorter than its 8-byte header length/)
    assert.match(await openFailure(safetensors({w}, new Uint8Array(8), 10_000n)), /the header length 10000 runs past the end of the file/)
    assert.match(await openFailure(Buffer.concat([safetensors({w}).subarray(0, 8), Buffer.from('{"w": nope...'.padEnd(JSON.stringify({w}).length))])), /the header is not JSON/)
    assert.match(await openFailure(safetensors([1, 2])), /the header is not a JSON object/)
    assert.match(await openFailure(safetensors({w}, new Uint8Array(4))), /tensor "w" has data_offsets \[0, 8\] outside the 4 data bytes/)
    assert.match(await openFailure(safetensors({w: {...w, shape: [3]}}, new Uint8Array(8))), /tensor "w" \(float32\[3\]\) needs 12 bytes but data_offsets give 8/)
    assert.match(await openFailure(safetensors({w: {...w, shape: [-1]}}, new Uint8Array(8))), /tensor "w" has no valid "shape"/)
    assert.match(await openFailure(safetensors({w: {...w, dtype: 'F8_E4M3'}}, new Uint8Array(8))), /tensor "w" has dtype "F8_E4M3", which alignctl does not read/)
    assert.match(await openFailure(safetensors({__metadata__: {n: 1}})), /"__metadata__" is not a map of strings/)
  })
})

describe('SafetensorsStore byte ranges and header limits', () => {
  const a = {dtype: 'F32', shape: [2], data_offsets: [0, 8]}

  test('overlapping tensors are refused', async () => {
    assert.match(await openFailure(safetensors({a, b: a}, new Uint8Array(8))), /not a valid safetensors file: tensor "(a|b)" \(bytes 0 to 8\) overlaps tensor "(a|b)"/)
    assert.match(await openFailure(safetensors({a: {...a, data_offsets: [0, 8]}, b: {...a, data_offsets: [4, 12]}}, new Uint8Array(12))), /tensor "b" \(bytes 4 to 12\) overlaps tensor "a"/)
  })

  test('a hole in the data section, or bytes after the last tensor, are refused', async () => {
    assert.match(await openFailure(safetensors({a: {...a, data_offsets: [4, 12]}}, new Uint8Array(12))), /bytes 0 to 4 of the data section belong to no tensor \(a hole before "a"\)/)
    assert.match(await openFailure(safetensors({a}, new Uint8Array(20))), /the tensors cover 8 of the 20 data bytes/)
  })

  test('a header length over 100 MB or past the file names safetensors and the problem', async () => {
    for (const length of [200_000_000n, 2n ** 62n]) {
      const file = tempFile('huge-header.safetensors', safetensors({a}, new Uint8Array(8), length))
      const error = await failure(openCheckpoint(file))
      assert.equal(error.exitCode, ExitCode.usage)
      assert.match(error.message, new RegExp(`huge-header\\.safetensors: not a valid safetensors file: the header length ${length} is over the format's limit of 100000000 bytes`))
    }

    const past = await failure(openCheckpoint(tempFile('past.safetensors', safetensors({a}, new Uint8Array(8), 50_000n))))
    assert.match(past.message, /past\.safetensors: not a valid safetensors file: the header length 50000 runs past the end of the file/)
  })
})
