import assert from 'node:assert/strict'
import {readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {constants as zlibConstants, deflateRawSync} from 'node:zlib'

import {ExitCode} from '../../../src/kernel/errors.js'
import {ZipArchive} from '../../../src/models/checkpoint/zip-archive.js'
import {TorchCheckpointStore} from '../../../src/models/checkpoint/torch-store.js'
import {tempDir} from '../../helpers/cli.js'
import {assertStoreMatches, expectedFile, failure, fixture} from './fixtures.js'
import {writeZip64} from './zip-writer.js'

async function entriesOf(file: string): Promise<Map<string, Uint8Array>> {
  const archive = await ZipArchive.open(file)
  try {
    const out = new Map<string, Uint8Array>()
    for (const name of archive.names()) out.set(name, await archive.readAll(archive.entry(name)!))
    return out
  } finally {
    await archive.close()
  }
}

describe('ZipArchive', () => {
  test('the zip64 rewrite holds the same entries as the torch-written zip', async () => {
    const plain = await entriesOf(fixture('plain-fp32.pt'))
    assert.deepEqual(await entriesOf(fixture('zip64.pt')), plain)
    assert.ok(plain.has('plain-fp32/data.pkl'))
  })

  test('ranges read only the bytes asked for, and out-of-range reads are refused', async () => {
    const archive = await ZipArchive.open(fixture('plain-fp32.pt'))
    try {
      const entry = archive.entry('plain-fp32/version')!
      assert.equal(new TextDecoder().decode(await archive.readRange(entry, 0, entry.size)).trim(), '3')
      const error = await failure(archive.readRange(entry, 1, entry.size))
      assert.match(error.message, /plain-fp32\.pt: zip entry "plain-fp32\/version" holds 2 bytes, but bytes 1 to 3 were asked for/)
    } finally {
      await archive.close()
    }
  })

  test('a file that is not a zip, or is cut short, is refused naming the file', async () => {
    const notZip = await failure(ZipArchive.open(fixture('fp32.safetensors')))
    assert.match(notZip.message, /fp32\.safetensors: not a readable zip file: no end-of-central-directory record/)
  })

  test('a checkpoint over 4 GB (zip64 offsets, a sparse file) reads its tensors without loading the file', async (t) => {
    const dir = tempDir('alignctl-zip64')
    const file = join(dir, 'big.pt')
    t.after(() => rmSync(dir, {recursive: true, force: true}))
    const plain = await entriesOf(fixture('plain-fp32.pt'))
    const renamed = [...plain].map(([name, data]) => ({name: name.replace(/^plain-fp32\//, 'big/'), data}))
    const hole = 4.5 * 2 ** 30
    // The storages lie past the 4 GB mark, behind a hole that costs no disk.
    await writeZip64(file, [renamed[0]!, {name: 'big/filler', data: {hole}}, ...renamed.slice(1)])
    assert.ok(statSync(file).size > hole)

    const before = process.memoryUsage().rss
    const store = await TorchCheckpointStore.open(file)
    try {
      await assertStoreMatches(store, expectedFile('plain-fp32.pt'))
    } finally {
      await store.close()
    }

    const grew = process.memoryUsage().rss - before
    assert.ok(grew < 256 * 2 ** 20, `memory grew by ${grew} bytes`)
  })
})

describe('ZipArchive against hostile sizes', () => {
  /** A raw deflate stream inflating to `mib` MiB of zeros, built from one repeated sync-flushed block. */
  const deflateBomb = (mib: number): Uint8Array => {
    const block = deflateRawSync(new Uint8Array(1 << 20), {finishFlush: zlibConstants.Z_SYNC_FLUSH})
    const parts: Uint8Array[] = Array.from({length: mib}, () => block)
    parts.push(Uint8Array.from([0x03, 0x00])) // a final, empty fixed-Huffman block
    return Buffer.concat(parts)
  }

  const openEntry = async (entry: Parameters<typeof writeZip64>[1][number]) => {
    const file = join(tempDir(), 'hostile.zip')
    await writeZip64(file, [entry])
    return file
  }

  test('a deflate bomb declaring a small size stops at that size (exit 2), without inflating the rest', async () => {
    const file = await openEntry({name: 'archive/data.pkl', data: deflateBomb(2048), method: 8, declaredSize: 1000n})
    const archive = await ZipArchive.open(file)
    try {
      const before = process.memoryUsage().rss
      const error = await failure(archive.readAll(archive.entry('archive/data.pkl')!))
      assert.equal(error.exitCode, ExitCode.usage)
      assert.match(error.message, /hostile\.zip: zip entry "archive\/data\.pkl" inflates to more than the 1000 bytes it declares; it may be a decompression bomb/)
      assert.ok(process.memoryUsage().rss - before < 600 * 1024 * 1024)
    } finally {
      await archive.close()
    }
  })

  test('a deflate bomb declaring its true size (2 GiB) is refused before inflating', async () => {
    const file = await openEntry({name: 'archive/data.pkl', data: deflateBomb(2048), method: 8, declaredSize: 2n ** 31n})
    const error = await failure(TorchCheckpointStore.open(file))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /declares 2147483648 bytes once inflated from \d+, more than alignctl inflates/)
  })

  test('a size past what deflate can produce from the compressed bytes is refused', async () => {
    const file = await openEntry({name: 'archive/data.pkl', data: deflateRawSync(Buffer.from('x')), method: 8, declaredSize: 10_000_000n})
    const error = await failure(TorchCheckpointStore.open(file))
    assert.match(error.message, /declares 10000000 bytes once inflated from 3, more than alignctl inflates/)
  })

  test('declared sizes past what the file can hold (2^62) are exit-2 errors, not "Invalid typed array length"', async () => {
    const stored = await openEntry({name: 'archive/data.pkl', data: Buffer.from('abc'), declaredSize: 2n ** 62n})
    const error = await failure(ZipArchive.open(stored))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /hostile\.zip: not a readable zip file: stored entry "archive\/data\.pkl" declares \d+ bytes but holds 3/)

    const file = join(tempDir(), 'huge.zip')
    await writeZip64(file, [{name: 'archive/data.pkl', data: {hole: 16}}])
    // Patch the central directory's compressed size to 2^62: the entry claims more than the file.
    const bytes = readFileSync(file)
    const at = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
    bytes.writeBigUInt64LE(2n ** 62n, at + 46 + 'archive/data.pkl'.length + 4)
    bytes.writeBigUInt64LE(2n ** 62n, at + 46 + 'archive/data.pkl'.length + 12)
    writeFileSync(file, bytes)
    const huge = await failure(ZipArchive.open(file))
    assert.equal(huge.exitCode, ExitCode.usage)
    assert.match(huge.message, /declares \d+ stored bytes, more than the file \(\d+ bytes\) holds/)
  })
})
