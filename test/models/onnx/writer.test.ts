import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'

import {buildEncoder} from '../../../src/models/onnx/encoder.js'
import {GraphBuilder} from '../../../src/models/onnx/graph.js'
import {outputPresets} from '../../../src/models/onnx/outputs.js'
import {DataLocation, DataType, decodeModel} from '../../../src/models/onnx/proto.js'
import {serializeModel, writeModel} from '../../../src/models/onnx/writer.js'
import {loadFixture, maxAbsDiff, runGraph} from '../../helpers/encoders.js'

const dir = mkdtempSync(join(tmpdir(), 'alignctl-onnx-'))
after(() => rmSync(dir, {recursive: true, force: true}))

function alignscoreGraph() {
  const {store, config, reference} = loadFixture('roberta')
  return {graph: buildEncoder(store, config, {outputs: outputPresets.alignscore(), prefix: reference.prefix}), reference}
}

test('a model under the threshold is one file, the same bytes as serializeModel', async () => {
  const {graph} = alignscoreGraph()
  const path = join(dir, 'inline', 'model.onnx')
  mkdirSync(join(dir, 'inline'))
  const result = await writeModel(graph, path)
  assert.equal(result.dataPath, undefined)
  assert.deepEqual(readdirSync(join(dir, 'inline')), ['model.onnx'])
  assert.equal(statSync(path).size, result.modelBytes)
  assert.deepEqual(new Uint8Array(readFileSync(path)), await serializeModel(graph))
})

test('past the threshold, weights go to model.onnx.data at aligned offsets, and ONNX Runtime reads them', async () => {
  const {graph, reference} = alignscoreGraph()
  const folder = join(dir, 'external')
  mkdirSync(folder)
  const path = join(folder, 'model.onnx')
  const progress: number[] = []
  const result = await writeModel(graph, path, {externalDataThreshold: 0, externalMinBytes: 256, alignment: 64, onProgress: (written) => progress.push(written)})
  assert.equal(result.dataPath, join(folder, 'model.onnx.data'))
  assert.deepEqual(readdirSync(folder).sort(), ['model.onnx', 'model.onnx.data'])
  assert.equal(statSync(result.dataPath!).size, result.dataBytes)
  assert.equal(progress.length, graph.initializers.length)

  const decoded = decodeModel(readFileSync(path))
  const data = readFileSync(result.dataPath!)
  let external = 0
  for (const tensor of decoded.graph.initializer ?? []) {
    const size = tensor.dims.reduce((n, d) => n * d, tensor.dataType === DataType.INT64 ? 8 : 4)
    if (size < 256) {
      assert.equal(tensor.rawData?.length, size, `${tensor.name} stays inline`)
      continue
    }
    external++
    assert.equal(tensor.dataLocation, DataLocation.EXTERNAL)
    assert.equal(tensor.rawData?.length ?? 0, 0)
    const fields = Object.fromEntries((tensor.externalData ?? []).map((e) => [e.key, e.value]))
    assert.equal(fields.location, 'model.onnx.data')
    assert.equal(Number(fields.offset) % 64, 0, `${tensor.name} offset is aligned`)
    assert.equal(Number(fields.length), size)
    assert.ok(Number(fields.offset) + size <= data.length)
  }
  assert.ok(external > 10, `most weights are external (${external})`)

  // The word-embedding table (with token type 0 folded in) round-trips byte for byte.
  const words = decoded.graph.initializer!.find((t) => t.name === 'base_model.embeddings.word_embeddings.weight+type0')!
  const offset = Number(words.externalData!.find((e) => e.key === 'offset')!.value)
  const stored = new Float32Array(data.buffer.slice(data.byteOffset + offset, data.byteOffset + offset + 100 * 32 * 4))
  const {store} = loadFixture('roberta')
  const table = await store.readFloat32('base_model.embeddings.word_embeddings.weight')
  const type0 = await store.readFloat32('base_model.embeddings.token_type_embeddings.weight')
  assert.equal(stored[5 * 32 + 7], Math.fround(table[5 * 32 + 7]! + type0[7]!))

  const fromFile = await runGraph(path, reference.inputs)
  const inMemory = await runGraph(await serializeModel(graph), reference.inputs)
  for (const name of ['tri_logits', 'bin_logits', 'reg']) assert.equal(maxAbsDiff(fromFile[name]!.data, inMemory[name]!.data), 0)
})

test('a failed write leaves no files behind', async () => {
  const b = new GraphBuilder('broken', 17)
  const x = b.input('x', DataType.FLOAT, ['n'])
  const w = b.initializer('w', DataType.FLOAT, [1024], () => new Uint8Array(12))
  b.node('Add', [x, w], {outputs: ['y']})
  b.output('y', DataType.FLOAT, [1024])
  const folder = join(dir, 'failed')
  mkdirSync(folder)
  await assert.rejects(writeModel(b.build(), join(folder, 'model.onnx'), {externalDataThreshold: 0}), /produced 12 bytes, expected 4096/)
  assert.deepEqual(readdirSync(folder), [])
  assert.ok(!existsSync(join(folder, 'model.onnx.data')))
})

test('graph inputs and outputs carry dynamic batch and sequence axes; opsets name what the ops use', async () => {
  const {store, config, reference} = loadFixture('bert')
  const fused = decodeModel(await serializeModel(buildEncoder(store, config, {outputs: outputPresets.ctcR(), prefix: reference.prefix, kernels: 'fused'})))
  assert.deepEqual(fused.graph.input.map((i) => i.name), ['input_ids', 'attention_mask', 'token_type_ids'])
  for (const input of fused.graph.input) {
    assert.equal(input.type.tensorType.elemType, DataType.INT64)
    assert.deepEqual(input.type.tensorType.shape.dim, [{dimParam: 'batch'}, {dimParam: 'sequence'}])
  }
  assert.deepEqual(fused.graph.output.map((o) => [o.name, o.type.tensorType.elemType, o.type.tensorType.shape.dim]), [['score', DataType.FLOAT, [{dimParam: 'batch'}, {dimValue: 1}]]])
  assert.deepEqual(fused.opsetImport.map((o) => [o.domain ?? '', o.version]).sort(), [['', 17], ['com.microsoft', 1]])
  const epsilons = new Set(fused.graph.node.filter((n) => n.opType.endsWith('LayerNormalization')).map((n) => n.attribute!.find((a) => a.name === 'epsilon')!.f))
  assert.deepEqual([...epsilons], [Math.fround(1e-12)])

  const plain = decodeModel(await serializeModel(buildEncoder(store, config, {outputs: outputPresets.ctcR(), prefix: reference.prefix, kernels: 'plain', precision: 'float16'})))
  assert.deepEqual(plain.opsetImport.map((o) => o.domain ?? ''), [''])
  assert.ok(plain.graph.initializer!.filter((t) => t.name.endsWith('.weight.T')).every((t) => t.dataType === DataType.FLOAT16))
  assert.equal(plain.metadataProps!.find((p) => p.key === 'alignctl.precision')!.value, 'float16')
})

test('default kernels: ONNX Runtime Attention with float weights, plain attention around per-token QuantizeLinear + MatMulIntegerToFloat with int8 ones', async () => {
  const {store, config, reference} = loadFixture('roberta')
  const opsOf = async (precision: 'float32' | 'int8') => {
    const model = decodeModel(await serializeModel(buildEncoder(store, config, {outputs: outputPresets.alignscore(), prefix: reference.prefix, precision})))
    return {model, ops: new Set(model.graph.node.map((n) => n.opType))}
  }
  const float = await opsOf('float32')
  assert.ok(float.ops.has('Attention') && float.ops.has('SkipLayerNormalization') && float.ops.has('BiasGelu'))
  const int8 = await opsOf('int8')
  assert.ok(int8.ops.has('QuantizeLinear') && int8.ops.has('MatMulIntegerToFloat') && !int8.ops.has('DynamicQuantizeMatMul') && int8.ops.has('Softmax') && !int8.ops.has('MultiHeadAttention'))
  assert.equal(int8.model.metadataProps!.find((p) => p.key === 'alignctl.int8_activations')!.value, 'per-token')
  const byName = new Map(int8.model.graph.initializer!.map((t) => [t.name, t]))
  assert.equal(byName.get('base_model.encoder.layer.0.intermediate.dense.weight.T.int8')!.dataType, DataType.INT8)
  assert.deepEqual(byName.get('base_model.encoder.layer.0.intermediate.dense.weight.scale')!.dims, [64])
  assert.equal(byName.get('base_model.pooler.dense.weight.T')!.dataType, DataType.FLOAT, 'pooler and heads stay float32')
})
