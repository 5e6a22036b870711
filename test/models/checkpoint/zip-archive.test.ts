import assert from 'node:assert/strict'
import {rmSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'

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
