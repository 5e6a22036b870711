// Times encoder graphs with onnxruntime-node on the CPU: `node --import tsx scripts/bench-encoder.ts
// <model.onnx>... [--batch 8] [--sequence 128] [--rounds 10] [--threads 2]`. After a warm-up
// run each, the models take turns (A B C A B C ...), so that load from other processes falls on
// all of them alike; prints the best, 25th percentile and median wall time per batch (on a
// shared machine the low percentiles are the ones to compare), and the ops of each
// graph after ONNX Runtime's optimizer, to check what it fused.
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import * as ort from 'onnxruntime-node'

import {decodeModel} from '../src/models/onnx/proto.js'

const {values, positionals} = parseArgs({
  allowPositionals: true,
  options: {
    batch: {type: 'string', default: '8'},
    sequence: {type: 'string', default: '128'},
    rounds: {type: 'string', default: '10'},
    threads: {type: 'string', default: '2'},
  },
})
const batch = Number(values.batch)
const sequence = Number(values.sequence)
const rounds = Number(values.rounds)

const models = []
for (const path of positionals) {
  const optimized = join(mkdtempSync(join(tmpdir(), 'alignctl-bench-')), 'optimized.onnx')
  const session = await ort.InferenceSession.create(path, {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: Number(values.threads),
    interOpNumThreads: 1,
    optimizedModelFilePath: optimized,
    logSeverityLevel: 3,
  })
  const ids = BigInt64Array.from({length: batch * sequence}, (_, i) => (i % sequence === 0 ? 0n : BigInt(3 + ((i * 7919) % 50000))))
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', ids, [batch, sequence]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * sequence).fill(1n), [batch, sequence]),
  }
  if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(batch * sequence), [batch, sequence])
  await session.run(feeds)
  const ops = new Map<string, number>()
  for (const node of decodeModel(readFileSync(optimized)).graph.node) ops.set(node.opType, (ops.get(node.opType) ?? 0) + 1)
  models.push({path, session, feeds, ops, times: [] as number[]})
}

for (let round = 0; round < rounds; round++) {
  for (const model of models) {
    const started = performance.now()
    await model.session.run(model.feeds)
    model.times.push(performance.now() - started)
  }
}

for (const {path, times, ops} of models) {
  const sorted = [...times].sort((a, b) => a - b)
  const opList = [...ops].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op}×${n}`).join(' ')
  const at = (q: number): string => sorted[Math.floor(q * (rounds - 1))]!.toFixed(0)
  console.log(`${path}: batch ${batch}×${sequence}, best ${at(0)} ms, 25th percentile ${at(0.25)} ms, median ${at(0.5)} ms over ${rounds} runs`)
  console.log(`  runs (ms): ${times.map((t) => t.toFixed(0)).join(' ')}`)
  console.log(`  optimized graph: ${opList}`)
}
