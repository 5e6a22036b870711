import assert from 'node:assert/strict'
import {test} from 'node:test'

import {buildEncoder} from '../../../src/models/onnx/encoder.js'
import type {Kernels} from '../../../src/models/onnx/layers.js'
import {outputPresets, type OutputSpec} from '../../../src/models/onnx/outputs.js'
import type {Precision} from '../../../src/models/onnx/weights.js'
import {serializeModel} from '../../../src/models/onnx/writer.js'
import {loadFixture, maxAbsDiff, runGraph, unpaddedRow, type FixtureModel} from '../../helpers/encoders.js'

/**
 * float32 must match the PyTorch reference to 1e-4 (the issue's bar). float16 weights and
 * activations drift more (seen: ≤ 3.5e-3 on outputs up to 3 in size); int8 layer weights with
 * activations quantized per call more still (seen: ≤ 1.6e-2 on logits, ≤ 4.7e-2 on hidden states).
 */
const tolerance: Record<Precision, number> = {float32: 1e-4, float16: 1e-2, int8: 1e-1}

/** Every output kind, and which reference output it must equal. */
const cases: Record<FixtureModel, {outputs: OutputSpec[]; expect: Record<string, string>}> = {
  roberta: {
    outputs: [
      ...outputPresets.alignscore(),
      ...outputPresets.ctcD(),
      {kind: 'token-linear', module: '_classifier', outFeatures: 2, output: 'token_logits_with_bias'},
      {kind: 'hidden-state', layer: 0, output: 'hidden_0'},
      {kind: 'hidden-state', layer: 1, output: 'hidden_1'},
      {kind: 'hidden-state', layer: 2, output: 'hidden_2'},
      {kind: 'pooled', output: 'pooled'},
    ],
    expect: {
      tri_logits: 'tri_layer.pooled',
      bin_logits: 'bin_layer.pooled',
      reg: 'reg_layer.pooled',
      token_logits: '_classifier.tokens_nobias',
      token_logits_with_bias: '_classifier.tokens',
      hidden_0: 'hidden_states.0',
      hidden_1: 'hidden_states.1',
      hidden_2: 'hidden_states.2',
      pooled: 'pooled',
    },
  },
  bert: {
    outputs: [...outputPresets.ctcR(), {kind: 'hidden-state', layer: 1, output: 'hidden_1'}, {kind: 'hidden-state', layer: 2, output: 'hidden_2'}],
    expect: {score: 'dense.pooled', hidden_1: 'hidden_states.1', hidden_2: 'hidden_states.2'},
  },
  // scripts/fixtures/albert.py: E 16 ≠ H 32, one layer shared by 3, gelu_new, pooler `_model.pooler`.
  albert: {
    outputs: [
      ...outputPresets.ctcD(),
      {kind: 'pooled-linear', module: '_classifier', outFeatures: 2, output: 'classifier_on_pooled'},
      {kind: 'hidden-state', layer: 0, output: 'hidden_0'},
      {kind: 'hidden-state', layer: 1, output: 'hidden_1'},
      {kind: 'hidden-state', layer: 3, output: 'hidden_3'},
      {kind: 'pooled', output: 'pooled'},
    ],
    expect: {
      token_logits: '_classifier.tokens_nobias',
      classifier_on_pooled: '_classifier.pooled',
      hidden_0: 'hidden_states.0',
      hidden_1: 'hidden_states.1',
      hidden_3: 'hidden_states.3',
      pooled: 'pooled',
    },
  },
}

for (const model of ['roberta', 'bert', 'albert'] as const) {
  for (const kernels of ['plain', 'fused'] as Kernels[]) {
    for (const precision of ['float32', 'float16', 'int8'] as Precision[]) {
      test(`${model} ${kernels} ${precision}: every output matches the PyTorch reference`, async () => {
        const {store, config, reference} = loadFixture(model)
        const {outputs, expect} = cases[model]
        const graph = buildEncoder(store, config, {outputs, prefix: reference.prefix, kernels, precision})
        const results = await runGraph(await serializeModel(graph), reference.inputs)
        for (const [output, key] of Object.entries(expect)) {
          const want = reference.outputs[key]!
          assert.deepEqual(results[output]!.dims, want.shape, `${output} shape`)
          const diff = maxAbsDiff(results[output]!.data, want.data)
          if (process.env.ALIGNCTL_PRINT_DRIFT) console.log(`${model} ${kernels} ${precision} ${output}: ${diff.toExponential(2)}`)
          assert.ok(diff <= tolerance[precision], `${output}: max abs diff ${diff} > ${tolerance[precision]}`)
        }
        if (outputs.some((o) => o.kind === 'token-linear' && o.splitBias === true)) {
          const bias = await store.readFloat32('_classifier.bias')
          assert.ok(maxAbsDiff(results.token_logits_bias!.data, bias) <= tolerance[precision], 'token_logits_bias is the classifier bias')
        }
      })
    }
  }

  // Float graphs; int8 ones have their own, stricter test below (1e-6, batch 1 against batch 64).
  test(`${model}: padded rows give the numbers of the same rows alone, unpadded`, async () => {
    const {store, config, reference} = loadFixture(model)
    for (const kernels of ['plain', 'fused'] as Kernels[]) {
      const graph = await serializeModel(buildEncoder(store, config, {outputs: cases[model].outputs, prefix: reference.prefix, kernels}))
      const batched = await runGraph(graph, reference.inputs)
      for (const [row, length] of reference.lengths.entries()) {
        const alone = await runGraph(graph, unpaddedRow(reference.inputs, row, length))
        for (const [name, single] of Object.entries(alone)) {
          const {dims, data} = batched[name]!
          if (dims.length === 1) continue // the split-off bias has no batch axis
          // Rows of [batch, ...] outputs; for [batch, sequence, ...] only the first `length` tokens.
          const perRow = data.length / dims[0]!
          const width = dims.length === 3 ? dims[2]! : perRow
          const slice = data.subarray(row * perRow, row * perRow + (dims.length === 3 ? length * width : perRow))
          const diff = maxAbsDiff(slice, single.data)
          assert.ok(diff <= 1e-5, `${kernels} ${name} row ${row}: padded vs alone differ by ${diff}`)
        }
      }
    }
  })
}

/** Every output of `row` in a batched result, the first `length` tokens of per-token outputs. */
function rowOf(result: {dims: readonly number[]; data: Float32Array}, row: number, length: number): Float32Array {
  const {dims, data} = result
  const perRow = data.length / dims[0]!
  return data.subarray(row * perRow, row * perRow + (dims.length === 3 ? length * dims[2]! : perRow))
}

/**
 * The fixture's rows scored alone (batch 1, no padding) and inside a batch of 64 whose other
 * rows are different texts padded to a longer length: the largest difference over every
 * output and row.
 */
async function batchDependence(model: FixtureModel, graph: Uint8Array): Promise<number> {
  const {reference} = loadFixture(model)
  const rows = reference.inputs
  const width = rows.input_ids[0]!.length + 5
  const pad = model === 'bert' ? 0 : 1
  const batch: typeof rows = {input_ids: [], attention_mask: [], token_type_ids: []}
  const placed: Array<{row: number; at: number}> = []
  for (let i = 0; i < 64; i++) {
    const row = i % reference.lengths.length
    const length = reference.lengths[row]!
    // Every 7th slot holds a fixture row; the others are neighbours with other ids and lengths.
    const own = i % 7 === 3
    if (own) placed.push({row, at: i})
    const ids = own ? rows.input_ids[row]!.slice(0, length) : Array.from({length: 2 + ((i * 5) % (width - 2))}, (_, t) => (t === 0 ? 0 : 5 + ((i * 31 + t * 17) % 40)))
    const types = own ? rows.token_type_ids[row]!.slice(0, length) : ids.map(() => 0)
    batch.input_ids.push([...ids, ...Array<number>(width - ids.length).fill(pad)])
    batch.attention_mask.push([...ids.map(() => 1), ...Array<number>(width - ids.length).fill(0)])
    batch.token_type_ids.push([...types, ...Array<number>(width - ids.length).fill(0)])
  }
  const together = await runGraph(graph, batch)
  let worst = 0
  for (const {row, at} of placed) {
    const length = reference.lengths[row]!
    const alone = await runGraph(graph, unpaddedRow(rows, row, length))
    for (const [name, single] of Object.entries(alone)) {
      if (single.dims.length === 1) continue // the split-off bias has no batch axis
      worst = Math.max(worst, maxAbsDiff(rowOf(together[name]!, at, length), single.data))
    }
  }
  return worst
}

for (const model of ['roberta', 'bert', 'albert'] as const) {
  test(`${model} int8: a row's numbers are the same alone (batch 1) and among 63 other padded rows (batch 64)`, async () => {
    const {store, config, reference} = loadFixture(model)
    const variants = [['plain', 'per-token'], ['fused', 'per-token'], ['plain', 'per-token-asymmetric']] as const
    for (const [kernels, int8Activations] of variants) {
      const graph = await serializeModel(buildEncoder(store, config, {outputs: cases[model].outputs, prefix: reference.prefix, kernels, precision: 'int8', int8Activations}))
      const diff = await batchDependence(model, graph)
      assert.ok(diff <= 1e-6, `${kernels} ${int8Activations}: a row's int8 outputs move by ${diff} with its batch`)
    }
  })
}

test('static int8: calibration outputs give each Linear its max |input|; the calibrated graph is batch-invariant and close to float32', async () => {
  const {store, config, reference} = loadFixture('roberta')
  const options = {outputs: cases.roberta.outputs, prefix: reference.prefix}
  assert.throws(() => buildEncoder(store, config, {...options, precision: 'int8', int8Activations: 'static'}), /activationRanges/)
  assert.throws(() => buildEncoder(store, config, {...options, calibrationOutputs: true, kernels: 'fused'}), /plain kernels/)
  const calibration = await serializeModel(buildEncoder(store, config, {...options, kernels: 'plain', calibrationOutputs: true}))
  const ranges: Record<string, number> = {}
  for (const [row, length] of reference.lengths.entries()) {
    for (const [name, value] of Object.entries(await runGraph(calibration, unpaddedRow(reference.inputs, row, length)))) {
      if (name.startsWith('amax/')) ranges[name.slice(5)] = Math.max(ranges[name.slice(5)] ?? 0, value.data[0]!)
    }
  }
  // 2 layers × (query, key, value, attention output, intermediate, output).
  assert.equal(Object.keys(ranges).length, 12)
  // Layer 0's Q/K/V read the embedding output, hidden_states[0] of the reference.
  const embeddings = reference.outputs['hidden_states.0']!
  let most = 0
  const H = embeddings.shape[2]!
  const width = embeddings.shape[1]!
  reference.lengths.forEach((length, row) => {
    for (let i = 0; i < length * H; i++) most = Math.max(most, Math.abs(embeddings.data[row * width * H + i]!))
  })
  for (const part of ['query', 'key', 'value']) assert.ok(Math.abs(ranges[`layer0/${part}`]! - most) <= 1e-4 * most, `layer0/${part}: ${ranges[`layer0/${part}`]} vs ${most}`)

  const graph = await serializeModel(buildEncoder(store, config, {...options, precision: 'int8', int8Activations: 'static', activationRanges: ranges}))
  assert.ok((await batchDependence('roberta', graph)) <= 1e-6)
  const results = await runGraph(graph, reference.inputs)
  assert.ok(maxAbsDiff(results['reg']!.data, reference.outputs['reg_layer.pooled']!.data) <= 0.1)
})

test('the batch test can fail: DynamicQuantizeMatMul (one scale per batch tensor) moves rows with their neighbours', async () => {
  const {store, config, reference} = loadFixture('roberta')
  const graph = await serializeModel(buildEncoder(store, config, {outputs: cases.roberta.outputs, prefix: reference.prefix, precision: 'int8', int8Activations: 'per-batch'}))
  assert.ok((await batchDependence('roberta', graph)) > 1e-4)
})

test('a graph for hidden_states[k] stops after layer k and reads only the tensors it needs', async () => {
  const {store, config, reference} = loadFixture('roberta')
  const graph = buildEncoder(store, config, {outputs: outputPresets.ctcE(1), prefix: reference.prefix})
  assert.equal(store.reads.length, 0, 'building reads no tensor data')
  const results = await runGraph(await serializeModel(graph), reference.inputs)
  assert.ok(maxAbsDiff(results.hidden_states!.data, reference.outputs['hidden_states.1']!.data) <= 1e-4)
  assert.equal(new Set(store.reads).size, store.reads.length, 'each tensor is read once')
  assert.ok(!store.reads.some((n) => n.includes('encoder.layer.1.') || n.includes('pooler') || n.includes('tri_layer')), 'no layer-1, pooler or head tensor is read')
  assert.equal(graph.metadata['alignctl.layers'], '1')
})

test('ALBERT: the shared layer is stored once, however many layers use it', async () => {
  const {store, config, reference} = loadFixture('albert')
  for (const kernels of ['plain', 'fused'] as Kernels[]) {
    const graph = buildEncoder(store, config, {outputs: outputPresets.ctcD(), prefix: reference.prefix, kernels})
    const names = graph.initializers.map((i) => i.name).filter((n) => !n.startsWith('const/'))
    assert.equal(new Set(names).size, names.length)
    // Embeddings (3 tables + LayerNorm + mapping_in), one layer's 16 tensors or their fused forms, the classifier.
    assert.ok(names.every((n) => !/encoder\.layer\./.test(n)), names.join(', '))
    const layerTensors = names.filter((n) => n.includes('albert_layer_groups.0.albert_layers.0.'))
    assert.equal(layerTensors.length, kernels === 'fused' ? 12 : 16, `${kernels}: ${layerTensors.join(', ')}`)
    const layerOps = graph.graph.node!.filter((n) => n.opType === (kernels === 'fused' ? 'Attention' : 'Softmax'))
    assert.equal(layerOps.length, config.numLayers, 'the layer runs num_hidden_layers times')
    assert.ok(graph.graph.node!.some((n) => n.opType === (kernels === 'fused' ? 'FastGelu' : 'Tanh')), 'gelu_new')
  }
})
