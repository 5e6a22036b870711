// Checkpoints whose pickles would run os.system (posix.system) or eval: refused or skipped,
// and never run. The marker file is what the payload would write.
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
    assert.match(error.message, /malicious-top-level\.pt: no state dict of tensors found: its top-level object is a call to posix\.system, which alignctl never runs/)
    assertNothingRan()
  })

  test('payloads beside real tensors stay inert: the tensors read, the payloads are named', async () => {
    const store = await TorchCheckpointStore.open(fixture('malicious-in-dict.pt'))
    try {
      assert.deepEqual(store.unlistedGlobals, ['posix.system', 'builtins.eval'])
      assert.deepEqual([...(await store.readFloat32('weight'))], [1, 1])
      const error = await failure(store.readBytes('eval'))
      assert.match(error.message, /"eval" in the state dict is not a tensor but an object built by builtins\.eval/)
    } finally {
      await store.close()
    }

    assertNothingRan()
  })

  test('strict mode refuses the file at the first unlisted global', async () => {
    const error = await failure(openCheckpoint(fixture('malicious-in-dict.pt'), {strict: true}))
    assert.match(error.message, /references posix\.system, which is not on alignctl's list/)
    assertNothingRan()
  })

  test('a tensor whose storage comes from os.system fails when read, naming the global', async () => {
    const store = await TorchCheckpointStore.open(fixture('malicious-tensor.pt'))
    try {
      assert.deepEqual(store.names(), ['weight', 'bias'])
      assert.deepEqual([...(await store.readFloat32('weight'))], [1, 1])
      for (const read of [() => store.info('bias'), () => store.readBytes('bias'), () => store.readFloat32('bias')]) {
        const error = await failure(read)
        assert.equal(error.exitCode, ExitCode.usage)
        assert.match(error.message, /malicious-tensor\.pt: tensor "bias" is built by posix\.system, which is not on alignctl's list of globals for rebuilding tensors; alignctl never runs code/)
      }
    } finally {
      await store.close()
    }

    assertNothingRan()
  })
})
