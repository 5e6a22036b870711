import assert from 'node:assert/strict'
import {test} from 'node:test'

import {buildEncoder} from '../../../src/models/onnx/encoder.js'
import {parseEncoderConfig} from '../../../src/models/onnx/encoder-config.js'
import {outputPresets} from '../../../src/models/onnx/outputs.js'
import {randomEncoderWeights} from '../../../src/models/onnx/random-weights.js'
import {encoderPrefixes} from '../../../src/models/onnx/weights.js'
import {loadFixture} from '../../helpers/encoders.js'

const roberta = {
  model_type: 'roberta',
  num_hidden_layers: 2,
  hidden_size: 32,
  num_attention_heads: 4,
  intermediate_size: 64,
  vocab_size: 100,
  max_position_embeddings: 40,
  type_vocab_size: 1,
  layer_norm_eps: 1e-5,
  pad_token_id: 1,
  hidden_act: 'gelu',
}

test('config.json fields map to the encoder config, with HF defaults for absent ones', () => {
  assert.deepEqual(parseEncoderConfig(roberta), {
    modelType: 'roberta',
    family: 'bert',
    positionScheme: 'padding-offset',
    numLayers: 2,
    hiddenSize: 32,
    embeddingSize: 32,
    numHeads: 4,
    intermediateSize: 64,
    vocabSize: 100,
    maxPositions: 40,
    typeVocabSize: 1,
    layerNormEps: 1e-5,
    padTokenId: 1,
    activation: 'gelu',
  })
  const {type_vocab_size: _t, layer_norm_eps: _e, pad_token_id: _p, ...bert} = {...roberta, model_type: 'bert'}
  const parsed = parseEncoderConfig(bert)
  assert.deepEqual([parsed.positionScheme, parsed.typeVocabSize, parsed.layerNormEps, parsed.padTokenId], ['absolute', 2, 1e-12, 0])
})

test('every problem in a config.json is reported at once, naming the file', () => {
  assert.throws(
    () => parseEncoderConfig({...roberta, model_type: 'gpt2', hidden_size: 30, hidden_act: 'gelu_fast', num_hidden_layers: 0}, 'x/config.json'),
    (error: Error & {exitCode: number}) => {
      assert.equal(error.exitCode, 2)
      const lines = error.message.split('\n')
      assert.equal(lines.length, 4, error.message)
      assert.ok(lines.every((l) => l.startsWith('x/config.json: ')))
      assert.match(error.message, /"model_type" "gpt2" is not supported; known: bert, roberta, xlm-roberta, camembert, albert/)
      assert.match(error.message, /"num_hidden_layers" must be an integer ≥ 1, not 0/)
      assert.match(error.message, /"hidden_size" 30 is not a multiple of "num_attention_heads" 4/)
      assert.match(error.message, /"hidden_act" "gelu_fast" is not supported; only "gelu" \(exact, erf\) and "gelu_new" \(tanh approximation\) are/)
      return true
    },
  )
})

test('missing and misshapen tensors are all listed, with the prefixes the checkpoint does have', () => {
  const {store, config} = loadFixture('roberta')
  assert.deepEqual(encoderPrefixes(store), ['base_model.'])
  assert.throws(
    () => buildEncoder(store, config, {outputs: outputPresets.alignscore(), prefix: 'roberta.'}),
    (error: Error & {suggestions: string[]}) => {
      assert.match(error.message, /^roberta encoder at prefix "roberta\.": the checkpoint does not fit the model:\n {2}missing tensor "roberta\.embeddings\.word_embeddings\.weight"/)
      assert.deepEqual(error.suggestions, ['The checkpoint\'s encoder names start with "base_model."; set the prefix to match.'])
      return true
    },
  )
  assert.throws(() => buildEncoder(store, {...config, intermediateSize: 48}, {outputs: outputPresets.ctcE(2)}), (error: Error) => {
    assert.match(error.message, /tensor "base_model\.encoder\.layer\.0\.intermediate\.dense\.weight" has shape \[64, 32\]; the config says \[48, 32\]/)
    assert.match(error.message, /layer\.1\.output\.dense\.weight" has shape \[32, 64\]; the config says \[32, 48\]/)
    return true
  })
  assert.throws(() => buildEncoder(store, config, {outputs: outputPresets.ctcE(3)}), /layer 3 is out of range: the model has layers 0\.\.2/)
})

test('the prefix is found when the checkpoint has one encoder, and asked for when it has two', () => {
  const config = parseEncoderConfig(roberta)
  const one = randomEncoderWeights(config, {prefix: 'roberta.'})
  assert.equal(buildEncoder(one, config, {outputs: outputPresets.ctcE(1)}).initializers[0]!.name, 'roberta.embeddings.word_embeddings.weight+type0')
  const a = randomEncoderWeights(config, {prefix: 'a.'})
  const b = randomEncoderWeights(config, {prefix: 'b.'})
  const two = {...a, names: () => [...a.names(), ...b.names()]}
  assert.throws(() => buildEncoder(two, config, {outputs: outputPresets.ctcE(1)}), /holds 2 encoders \(prefixes "a\.", "b\."\); say which with the prefix option/)
})

test('ALBERT configs: factorised embeddings, gelu_new by default, one shared layer group only', () => {
  const albert = {...roberta, model_type: 'albert', embedding_size: 16, hidden_act: undefined, pad_token_id: 0, type_vocab_size: 2, layer_norm_eps: 1e-12}
  const parsed = parseEncoderConfig(albert)
  assert.deepEqual([parsed.family, parsed.positionScheme, parsed.embeddingSize, parsed.hiddenSize, parsed.activation], ['albert', 'absolute', 16, 32, 'gelu_new'])
  assert.equal(parseEncoderConfig({...albert, embedding_size: undefined}).embeddingSize, 128, "HF AlbertConfig's default")
  assert.equal(parseEncoderConfig({...albert, hidden_act: 'gelu'}).activation, 'gelu', 'albert v1')
  assert.equal(parseEncoderConfig({...roberta, embedding_size: 16}).embeddingSize, 32, 'BERT and RoBERTa embed at the hidden size')
  assert.throws(
    () => parseEncoderConfig({...albert, num_hidden_groups: 2, inner_group_num: 2}, 'a/config.json'),
    (error: Error) => {
      assert.match(error.message, /a\/config\.json: "num_hidden_groups" 2 is not supported; only 1 \(every layer shares one set of weights\) is/)
      assert.match(error.message, /a\/config\.json: "inner_group_num" 2 is not supported/)
      return true
    },
  )
})
