import assert from 'node:assert/strict'
import {readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {writeFailure, writeFileAtomically} from '../../src/kernel/write-files.js'
import {tempDir} from '../helpers/cli.js'
import {setWriteFault} from '../helpers/write-faults.mjs'

const options = {what: 'scores.jsonl', elsewhere: 'choose another folder with --out'}

describe('writeFileAtomically', () => {
  afterEach(() => setWriteFault(null))

  test('writes streamed chunks whole, beside no temp file', async () => {
    const dir = tempDir()
    const file = join(dir, 'scores.jsonl')
    // More than one flush (1 MiB) worth of lines.
    const lines = Array.from({length: 30_000}, (_, i) => `{"row":${i},"pad":"${'x'.repeat(40)}"}\n`)
    await writeFileAtomically(file, lines, options)
    assert.equal(readFileSync(file, 'utf8'), lines.join(''))
    assert.deepEqual(readdirSync(dir), ['scores.jsonl'])
  })

  for (const code of ['ENOSPC', 'EIO', 'EROFS']) {
    test(`${code} halfway: the old file stays byte for byte, the temp file is gone, the error names the file (exit 3)`, async () => {
      const dir = tempDir()
      const file = join(dir, 'scores.jsonl')
      writeFileSync(file, 'the previous run\n')
      setWriteFault({match: 'scores\\.jsonl\\.', afterBytes: 1500, code})
      const lines = Array.from({length: 100}, (_, i) => `{"row":${i}}\n`.repeat(20))
      await assert.rejects(writeFileAtomically(file, lines, options), (error: AlignctlError) => {
        assert.equal(error.exitCode, ExitCode.runtime)
        assert.ok(error.message.startsWith(`${file}: cannot write scores.jsonl: `), error.message)
        assert.ok(error.message.endsWith(`(${code}).`), error.message)
        return true
      })
      assert.equal(readFileSync(file, 'utf8'), 'the previous run\n')
      assert.deepEqual(readdirSync(dir), ['scores.jsonl'])
    })
  }

  test('an error that is not the file system\'s passes as it is, and the temp file is removed', async () => {
    const dir = tempDir()
    const file = join(dir, 'out.jsonl')
    const broken = (function* () {
      yield 'a line\n'
      throw new TypeError('Do not know how to serialize a BigInt')
    })()
    await assert.rejects(writeFileAtomically(file, broken, options), TypeError)
    assert.deepEqual(readdirSync(dir), [])
  })
})

describe('writeFailure', () => {
  const cases: Array<[string, RegExp, RegExp]> = [
    ['ENOSPC', /the disk is full \(ENOSPC\)/, /^Free some space on that disk, or choose/],
    ['EDQUOT', /the disk quota is used up \(EDQUOT\)/, /^Free some space/],
    ['EIO', /input\/output error \(EIO\)/, /^Check that the folder is writable, or choose/],
    ['EROFS', /read-only \(EROFS\)/, /^Check that the folder is writable/],
    ['EACCES', /permission denied \(EACCES\)/, /^Check that the folder is writable/],
    ['ENOENT', /its folder does not exist \(ENOENT\)/, /^Create that folder first, or choose/],
  ]
  for (const [code, message, fix] of cases) {
    test(code, () => {
      const error = writeFailure('/x/report.json', 'report.json', Object.assign(new Error(code), {code}), 'choose another folder with --out')
      assert.match(error.message, /^\/x\/report\.json: cannot write report\.json: /)
      assert.match(error.message, message)
      assert.match(error.suggestions[0]!, fix)
      assert.equal(error.exitCode, ExitCode.runtime)
    })
  }
})
