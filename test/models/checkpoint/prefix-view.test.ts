import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {openCheckpoint} from '../../../src/models/checkpoint/open-checkpoint.js'
import {selectPrefix, topLevelPrefixes} from '../../../src/models/checkpoint/prefix-view.js'
import {expectedFile, failure, fixture} from './fixtures.js'

describe('selectPrefix', () => {
  test('AlignScore layout: the encoder and each head as their own views', async () => {
    const store = await openCheckpoint(fixture('lightning.ckpt'))
    try {
      assert.deepEqual(topLevelPrefixes(store), ['base_model', 'mlm_head', 'tri_layer', 'bin_layer', 'reg_layer'])
      const encoder = selectPrefix(store, 'base_model.')
      assert.deepEqual(encoder.names(), ['position_ids', 'embeddings.word_embeddings.weight', 'embeddings.LayerNorm.weight', 'embeddings.LayerNorm.bias'])
      assert.deepEqual(encoder.info('position_ids'), {name: 'position_ids', dtype: 'int64', shape: [1, 8]})
      const tri = selectPrefix(store, 'tri_layer.')
      assert.deepEqual(tri.names(), ['weight', 'bias'])
      const want = expectedFile('lightning.ckpt').tensors['tri_layer.bias']!
      assert.deepEqual([...(await tri.readFloat32('bias'))], want.values)
      await tri.close() // a view does not close the store
      assert.equal((await store.readBytes('tri_layer.bias')).length, 12)

      const kept = selectPrefix(store, 'reg_layer.', {strip: false})
      assert.deepEqual(kept.names(), ['reg_layer.weight', 'reg_layer.bias'])
      assert.equal(kept.info('tri_layer.bias'), undefined)
      assert.match((await failure(kept.readBytes('tri_layer.bias'))).message, /no tensor named "tri_layer\.bias" among the tensors under "reg_layer\."/)
    } finally {
      await store.close()
    }
  })
})
