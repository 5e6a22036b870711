import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {ExitCode} from '../../../src/kernel/errors.js'
import {TorchCheckpointStore} from '../../../src/models/checkpoint/torch-store.js'
import {tempFile} from '../../helpers/cli.js'
import {assertStoreMatches, expectedFile, failure, fixture} from './fixtures.js'
import {call, dict, pickle, tensor, writeCheckpoint} from './hostile-pickle.js'

async function withStore<T>(name: string, use: (store: TorchCheckpointStore) => Promise<T>, options = {}): Promise<T> {
  const store = await TorchCheckpointStore.open(fixture(name), options)
  try {
    return await use(store)
  } finally {
    await store.close()
  }
}

describe('TorchCheckpointStore', () => {
  for (const name of ['plain-fp32.pt', 'protocol5.pt', 'zip64.pt', 'half-fp16.bin', 'bf16.pt', 'layouts.pt']) {
    test(`${name}: every tensor matches torch`, async () => {
      await withStore(name, async (store) => {
        assert.equal(store.format, 'pytorch')
        assert.equal(store.stateDictKey, undefined)
        assert.deepEqual(store.unlistedGlobals, [])
        await assertStoreMatches(store, expectedFile(name))
      })
    })
  }

  test('a Lightning checkpoint: the state_dict key, optimizer state and hyper-parameters skipped', async () => {
    const want = expectedFile('lightning.ckpt')
    await withStore('lightning.ckpt', async (store) => {
      assert.equal(store.stateDictKey, 'state_dict')
      assert.deepEqual(store.unlistedGlobals, want.unlistedGlobals)
      await assertStoreMatches(store, want)
      assert.ok(store.names().some((name) => name.startsWith('mlm_head.')))
      assert.ok(store.names().includes('base_model.position_ids'))
    })
  })

  test('tied weights read the same storage', async () => {
    await withStore('lightning.ckpt', async (store) => {
      const embeddings = await store.readFloat32('base_model.embeddings.word_embeddings.weight')
      assert.deepEqual(await store.readFloat32('mlm_head.decoder.weight'), embeddings)
    })
  })

  test('stateDictKey picks a dict by name, and names the keys when it is wrong', async () => {
    await withStore('lightning.ckpt', async (store) => assert.equal(store.names().length, Object.keys(expectedFile('lightning.ckpt').tensors).length), {stateDictKey: 'state_dict'})
    const error = await failure(TorchCheckpointStore.open(fixture('lightning.ckpt'), {stateDictKey: 'weights'}))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /lightning\.ckpt: the checkpoint has no dict under "weights" \(no such key\)/)
    assert.match(error.suggestions.join(' '), /"state_dict"/)
  })

  test('strict mode refuses the hyper-parameter objects, naming the first global', async () => {
    const error = await failure(TorchCheckpointStore.open(fixture('lightning.ckpt'), {strict: true}))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /lightning\.ckpt \(lightning\/data\.pkl\): the pickle references argparse\.Namespace/)
  })

  test('strict mode accepts a plain state dict', async () => {
    await withStore('plain-fp32.pt', async (store) => assert.equal(store.names().length, 10), {strict: true})
  })

  test('an unknown tensor name is an error naming the file and some names; info is undefined', async () => {
    await withStore('plain-fp32.pt', async (store) => {
      assert.equal(store.info('nope'), undefined)
      const error = await failure(store.readBytes('nope'))
      assert.match(error.message, /plain-fp32\.pt: no tensor named "nope" \(the file has 10, such as "embeddings\.weight"/)
    })
  })

  test('a deflated zip: the pickle inflates, but tensors are refused with a fix', async () => {
    await withStore('deflated.pt', async (store) => {
      assert.deepEqual(store.names(), Object.keys(expectedFile('plain-fp32.pt').tensors))
      const error = await failure(store.readBytes('dense.bias'))
      assert.match(error.message, /deflated\.pt: zip entry "plain-fp32\/data\/\d+" is compressed \(method 8\)/)
      assert.match(error.suggestions.join(' '), /torch\.save/)
    })
  })

  test('non-tensor entries are left out of names and explained when asked for', async () => {
    const file = await writeCheckpoint(tempFile('other.pt', ''), pickle(dict(['weight', tensor('0', 2)], ['args', call('argparse', 'Namespace')])), [[1, 1]])
    const store = await TorchCheckpointStore.open(file)
    try {
      assert.deepEqual(store.names(), ['weight'])
      assert.equal(store.info('args'), undefined)
      const error = await failure(store.readBytes('args'))
      assert.match(error.message, /"args" in the state dict is not a tensor but an object built by argparse\.Namespace/)
    } finally {
      await store.close()
    }
  })
})
