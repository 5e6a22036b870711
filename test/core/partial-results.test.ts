// Saved rows survive a full disk: a batch whose write fails is taken back whole, and --resume
// reads every batch saved before it.
import assert from 'node:assert/strict'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {PartialResults, partialFile, type RunFingerprint} from '../../src/core/partial-results.js'
import {tempDir} from '../helpers/cli.js'
import {setWriteFault} from '../helpers/write-faults.mjs'

const fingerprint: RunFingerprint = {metric: 'm', version: '1', params: {}, inputs: {default: 'a'.repeat(64)}, model: null, packs: null, map: {}, csvHeader: 'auto', shard: null}
const rows = (from: number, to: number) => Array.from({length: to - from}, (_, i) => ({row: from + i, value: {score: (from + i) / 10}}))

describe('partial results on a failing disk', () => {
  afterEach(() => setWriteFault(null))

  test('a batch cut short by ENOSPC is taken back; the batches before it resume', async () => {
    const out = tempDir()
    const file = partialFile(out, 'm')
    const saved = await PartialResults.open(file, fingerprint, {resume: false, fresh: false})
    await saved.save(rows(0, 3))
    const before = readFileSync(file, 'utf8')
    setWriteFault({match: '\\.partial/m\\.jsonl$', afterBytes: 20, code: 'ENOSPC'})
    await assert.rejects(saved.save(rows(3, 6)), (error: AlignctlError) => {
      assert.equal(error.exitCode, ExitCode.runtime)
      assert.equal(error.message, `${file}: cannot write the saved rows: the disk is full (ENOSPC).`)
      assert.deepEqual(error.suggestions, ['Free some space on that disk, or choose another folder with --out; then run with --resume to continue from the rows saved so far.'])
      return true
    })
    assert.equal(readFileSync(file, 'utf8'), before, 'cut back to the earlier batches, byte for byte')

    setWriteFault(null)
    const resumed = await PartialResults.open(file, fingerprint, {resume: true, fresh: false})
    assert.deepEqual([...resumed.completed.keys()], [0, 1, 2])
  })

  test('reopening for --resume on a full disk keeps the saved rows as they were, with no temp file', async () => {
    const out = tempDir()
    const file = partialFile(out, 'm')
    const saved = await PartialResults.open(file, fingerprint, {resume: false, fresh: false})
    await saved.save(rows(0, 4))
    const before = readFileSync(file, 'utf8')
    setWriteFault({match: '\\.partial/m\\.jsonl', afterBytes: 10, code: 'EDQUOT'})
    await assert.rejects(PartialResults.open(file, fingerprint, {resume: true, fresh: false}), /cannot write the saved rows: the disk quota is used up \(EDQUOT\)/)
    assert.equal(readFileSync(file, 'utf8'), before)
    assert.deepEqual(readdirSync(join(out, '.partial')), ['m.jsonl'])
  })
})
