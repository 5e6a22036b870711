// Checkpoints whose pickles would run os.system (posix.system) or eval: refused as a whole
// wherever the payload sits, and never run. The marker file is what the payload would write.
import assert from 'node:assert/strict'
import {existsSync, rmSync} from 'node:fs'
import {after, before, describe, test} from 'node:test'

import {ExitCode} from '../../../src/kernel/errors.js'
import {openCheckpoint} from '../../../src/models/checkpoint/open-checkpoint.js'
import {TorchCheckpointStore} from '../../../src/models/checkpoint/torch-store.js'
import {expected, failure, fixture} from './fixtures.js'

const marker = expected.pwnedMarker
const assertNothingRan = () => assert.equal(existsSync(marker), false, `the payload ran: ${marker} exists`)

describe('malicious checkpoints', () => {
  before(() => rmSync(marker, {force: true}))
  after(assertNothingRan)

  test('a pickle whose top-level object is a call to os.system is refused, naming the global', async () => {
    const error = await failure(openCheckpoint(fixture('malicious-top-level.pt')))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /malicious-top-level\.pt \(malicious-top-level\/data\.pkl\): the pickle references posix\.system \(at the top level \(called\)\)/)
    assertNothingRan()
  })

  test('payloads beside real tensors refuse the whole file, naming each global and its key', async () => {
    const error = await failure(TorchCheckpointStore.open(fixture('malicious-in-dict.pt')))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /references posix\.system \(at \["\w+"\] \(called\)\), builtins\.eval \(at \["eval"\] \(called\)\)/)
    assertNothingRan()
  })

  test('strict mode refuses the file at the first unlisted global', async () => {
    const error = await failure(openCheckpoint(fixture('malicious-in-dict.pt'), {strict: true}))
    assert.match(error.message, /references posix\.system, which is not on alignctl's list/)
    assertNothingRan()
  })

  test('a tensor whose storage comes from os.system refuses the file at open', async () => {
    const error = await failure(TorchCheckpointStore.open(fixture('malicious-tensor.pt')))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /malicious-tensor\.pt \([^)]*data\.pkl\): the pickle references posix\.system/)
    assertNothingRan()
  })
})
