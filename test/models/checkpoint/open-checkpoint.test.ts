import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {ExitCode} from '../../../src/kernel/errors.js'
import {openCheckpoint} from '../../../src/models/checkpoint/open-checkpoint.js'
import {tempDir, tempFile} from '../../helpers/cli.js'
import {failure, fixture} from './fixtures.js'

describe('openCheckpoint', () => {
  for (const [name, format] of [
    ['plain-fp32.pt', 'pytorch'],
    ['half-fp16.bin', 'pytorch'],
    ['lightning.ckpt', 'pytorch'],
    ['fp32.safetensors', 'safetensors'],
  ] as const) {
    test(`${name} opens as ${format} by its content`, async () => {
      const store = await openCheckpoint(fixture(name))
      try {
        assert.equal(store.format, format)
        assert.equal(store.file, fixture(name))
        assert.ok(store.names().length > 0)
      } finally {
        await store.close()
      }
    })
  }

  test('the extension does not matter', async () => {
    const {copyFileSync} = await import('node:fs')
    const renamed = `${tempDir()}/weights.bin`
    copyFileSync(fixture('bf16.safetensors'), renamed)
    const store = await openCheckpoint(renamed)
    assert.equal(store.format, 'safetensors')
    await store.close()
  })

  const refusals: Array<[string, () => string, RegExp, RegExp]> = [
    ['a legacy (torch < 1.6) checkpoint', () => fixture('legacy.pt'), /legacy\.pt: a bare pickle stream, the format torch < 1\.6 saved checkpoints in/, /torch >= 1\.6/],
    ['a Git LFS pointer', () => tempFile('model.bin', 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n'), /model\.bin: a Git LFS pointer file/, /git lfs pull/],
    ['a missing file', () => `${tempDir()}/missing.ckpt`, /missing\.ckpt: no such file/, /alignctl models pull/],
    ['a directory', () => tempDir(), /a directory, not a checkpoint file/, /pytorch_model\.bin/],
    ['an empty file', () => tempFile('empty.pt', ''), /empty\.pt: the file is empty/, /again/],
    ['some other file', () => tempFile('notes.pt', 'hello, this is text'), /notes\.pt: neither a PyTorch zip checkpoint nor a safetensors file/, /torch\.save/],
  ]
  for (const [what, path, message, suggestion] of refusals) {
    test(`${what} is refused with a fix`, async () => {
      const error = await failure(openCheckpoint(path()))
      assert.equal(error.exitCode, ExitCode.usage)
      assert.match(error.message, message)
      assert.match(error.suggestions.join(' '), suggestion)
    })
  }
})
