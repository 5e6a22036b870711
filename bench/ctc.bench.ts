/**
 * `npm run bench -- --case ctc`: CTC's E aligner, the reference's schedule against the engine's,
 * same graph, same run (issue 11 item 8).
 *
 * Workload: a document × summaries set as SummEval is (--documents D, each with --summaries S
 * summaries), scored for consistency, align(summary → document). Per row the E aligner embeds
 * both texts with bert_score's get_bert_embedding([text]): one text per forward pass, so no
 * padding, and the document again for every summary.
 * (a) reference: that schedule, row by row, one text per run (2·D·S runs);
 * (a') the same one-text-per-run schedule over the distinct texts only (D + D·S runs), to tell
 *      what batching gains from what encoding each document once gains;
 * (b) the engine: the distinct texts in one `run`, sorted by length, packed to the token budget
 *     and padded to each batch's longest, as the ctc metric calls it.
 * Graph: RoBERTa-base shape (H 768, 12 heads, I 3072) with random weights, cut after layer
 * --layer (default 9, as E-bert and E-roberta-mnli read), output hidden_states[k]; texts as E
 * encodes them (stripped, a prefix space for RoBERTa, cut to 512 tokens). Same worker pool size
 * and threads for (a), (a') and (b); they alternate --repeat times (default 2) and the fastest
 * run of each counts.
 *
 * Prints `ctc engine/reference throughput ratio: x`, `ctc engine/reference throughput ratio
 * (distinct texts): y`, `ctc engine padding efficiency: z` and `ctc ideal ratio` (tokens the
 * reference computes over tokens the engine computes, padding included).
 */
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {parseArgs} from 'node:util'

import type {TextRequest} from '../src/kernel/interfaces/index.js'
import {paddingEfficiency, planBatches} from '../src/engine/batching.js'
import {DEFAULT_BATCH_SIZE, DEFAULT_MAX_TOKENS, Engine} from '../src/engine/engine.js'
import {EnginePool} from '../src/engine/pool.js'
import type {RunResult} from '../src/engine/protocol.js'
import {loadTokenizer, type Encoding} from '../src/engine/tokenizer/index.js'
import {buildEncoder, outputPresets, randomEncoderWeights, robertaBaseConfig, writeModel} from '../src/models/onnx/index.js'
import {openPack, writeManifest} from '../src/models/pack.js'
import {robertaLikeTokenizerJson} from './roberta-tokenizer.js'
import {makeWorkload} from './workload.js'

const {values} = parseArgs({options: {documents: {type: 'string', default: '8'}, summaries: {type: 'string', default: '4'}, layer: {type: 'string', default: '9'}, repeat: {type: 'string', default: '2'}, 'model-dir': {type: 'string'}, threads: {type: 'string'}}})
const layer = Number(values.layer)
const config = robertaBaseConfig
const dir = values['model-dir'] ?? join('bench-models', `roberta-base-ctc-e-l${layer}`)
const MAX_LENGTH = 512
const H = config.hiddenSize

// 1. The pack, built once: a ctc-e graph that stops after layer k.
if (!existsSync(join(dir, 'alignctl-model.json'))) {
  mkdirSync(dir, {recursive: true})
  console.log(`building a RoBERTa-base-shaped ctc-e graph (layer ${layer}) with random weights in ${dir} ...`)
  await writeModel(buildEncoder(randomEncoderWeights(config), config, {outputs: outputPresets.ctcE(layer)}), join(dir, 'model.onnx'))
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(robertaLikeTokenizerJson()))
  await writeManifest(
    dir,
    {
      name: `bench-roberta-base-ctc-e-l${layer}`,
      architecture: 'roberta',
      task: 'ctc-e',
      layer,
      inputs: ['input_ids', 'attention_mask'].map((name) => ({name, type: 'int64' as const, dims: ['batch', 'sequence']})),
      outputs: [{name: 'hidden_states', type: 'float32', dims: ['batch', 'sequence', H]}],
      maxLength: MAX_LENGTH,
      tokenizer: {file: 'tokenizer.json'},
      precision: 'fp32',
      source: {converter: 'bench (random weights)'},
    },
    ['model.onnx', 'tokenizer.json'],
  )
}
const pack = await openPack(dir)
const tokenizer = loadTokenizer(pack.tokenizer)

// 2. Documents × summaries; each text as E's sent_encode sees it.
const documents = Number(values.documents)
const perDocument = Number(values.summaries)
const examples = makeWorkload(documents * perDocument, 11)
const request = (text: string): TextRequest => ({first: ` ${text.trim()}`, truncation: 'longest_first'})
const rows = Array.from({length: documents * perDocument}, (_, i) => ({document: Math.floor(i / perDocument), summary: examples[i]!.claim}))
const distinct: TextRequest[] = [...Array.from({length: documents}, (_, d) => request(examples[d]!.context)), ...rows.map((r) => request(r.summary))]
/** Indices into `distinct` in the reference's order: per row, the summary (input_text), then the document (context). */
const referenceOrder = rows.flatMap((r, i) => [documents + i, r.document])
const encodings: Encoding[] = distinct.map((r) => tokenizer.encode(r.first, {maxLength: MAX_LENGTH, strategy: r.truncation}))
const lengths = encodings.map((e) => e.ids.length)
const sum = (xs: readonly number[]) => xs.reduce((s, n) => s + n, 0)
const referenceTokens = sum(referenceOrder.map((i) => lengths[i]!))
const distinctTokens = sum(lengths)
console.log(
  `workload: ${documents} documents (${sum(lengths.slice(0, documents))} tokens, ${lengths.filter((n, i) => i < documents && n === MAX_LENGTH).length} cut at ${MAX_LENGTH}) × ${perDocument} summaries (mean ${(sum(lengths.slice(documents)) / rows.length).toFixed(0)} tokens) = ${rows.length} rows; ` +
    `reference encodes ${referenceOrder.length} texts (${referenceTokens} tokens), the engine ${distinct.length} distinct texts (${distinctTokens} tokens); layers 1..${layer}`,
)

const threads = values.threads === undefined ? undefined : Number(values.threads)
const pool = new EnginePool({workers: 1, ...(threads === undefined ? {} : {threads})})
const session = {model: pack.model, providers: ['cpu' as const], threads: pool.threads}
await pool.run({probe: true, session}, 'warm-up')
const alone: Float32Array[] = new Array(distinct.length)

/** One text per run, unpadded, in `order` (get_bert_embedding([text]) for each); `runtime` sums ONNX Runtime's own seconds. */
const oneByOneRuntime = {reference: Number.POSITIVE_INFINITY, distinct: Number.POSITIVE_INFINITY}
async function runOneByOne(order: readonly number[], key: keyof typeof oneByOneRuntime): Promise<number> {
  const started = performance.now()
  let runtime = 0
  for (const i of order) {
    const padded = tokenizer.pad([encodings[i]!])
    const dims = [...padded.dims]
    const result = await pool.run<RunResult>({session, feeds: {input_ids: {type: 'int64', dims, data: padded.inputIds}, attention_mask: {type: 'int64', dims, data: padded.attentionMask}}, fetches: ['hidden_states']}, 'one text')
    alone[i] = result.outputs['hidden_states']!.data as Float32Array
    runtime += result.seconds
  }
  const seconds = (performance.now() - started) / 1000
  oneByOneRuntime[key] = Math.min(oneByOneRuntime[key], runtime)
  return seconds
}

const engine = new Engine({device: 'cpu', workers: 1, ...(threads === undefined ? {} : {threads}), resolvePack: async () => pack})
const model = await engine.load(dir)
await model.run(distinct.slice(0, 2), {outputs: ['hidden_states']})
let engineOut: Awaited<ReturnType<typeof model.run>> = []
type Stats = {runtimeSeconds: number}
const runtimeOf = async (): Promise<number> => ((await engine.usage()).model as {stats: Stats}).stats.runtimeSeconds
let fastest = {seconds: Number.POSITIVE_INFINITY, runtime: 0}
async function runEngine(): Promise<number> {
  const before = await runtimeOf()
  const started = performance.now()
  engineOut = await model.run(distinct, {outputs: ['hidden_states']})
  const seconds = (performance.now() - started) / 1000
  const runtime = (await runtimeOf()) - before
  if (seconds < fastest.seconds) fastest = {seconds, runtime}
  return seconds
}

const distinctOrder = distinct.map((_, i) => i)
let referenceSeconds = Number.POSITIVE_INFINITY
let distinctSeconds = Number.POSITIVE_INFINITY
let engineSeconds = Number.POSITIVE_INFINITY
for (let r = 0; r < Number(values.repeat); r++) {
  referenceSeconds = Math.min(referenceSeconds, await runOneByOne(referenceOrder, 'reference'))
  distinctSeconds = Math.min(distinctSeconds, await runOneByOne(distinctOrder, 'distinct'))
  engineSeconds = Math.min(engineSeconds, await runEngine())
}
await engine.close()
await pool.destroy()

// 3. Numbers.
let maxDiff = 0
engineOut.forEach((o, i) => o['hidden_states']!.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - alone[i]![k]!)))))
const batches = planBatches(lengths, {batchSize: DEFAULT_BATCH_SIZE, maxTokens: DEFAULT_MAX_TOKENS})
const computed = sum(batches.map((b) => b.length * Math.max(...b.map((i) => lengths[i]!))))
const line = (label: string, seconds: number, runs: number, real: number, efficiency: number) =>
  console.log(`${label}: ${seconds.toFixed(2)} s, ${runs} runs, ${(rows.length / seconds).toFixed(2)} rows/s, ${(real / seconds).toFixed(0)} real tokens/s, padding efficiency ${efficiency.toFixed(3)}`)
line('(a) reference schedule (one text per run, document again per row)', referenceSeconds, referenceOrder.length, referenceTokens, 1)
line("(a') one text per run, distinct texts", distinctSeconds, distinct.length, distinctTokens, 1)
line('(b) engine schedule (distinct texts, length-aware batches)', engineSeconds, batches.length, distinctTokens, distinctTokens / computed)
console.log(`ONNX Runtime's own seconds (fastest run of each): (a) ${oneByOneRuntime.reference.toFixed(2)}, (a') ${oneByOneRuntime.distinct.toFixed(2)}, (b) ${fastest.runtime.toFixed(2)} of ${fastest.seconds.toFixed(2)}`)
console.log(`engine batches: ${batches.map((b) => `${b.length}×${Math.max(...b.map((i) => lengths[i]!))}`).join(', ')}`)
console.log(`max abs difference of hidden states (a') vs (b): ${maxDiff.toExponential(2)}`)
console.log(`ctc engine/reference throughput ratio: ${(referenceSeconds / engineSeconds).toFixed(3)}`)
console.log(`ctc engine/reference throughput ratio (distinct texts): ${(distinctSeconds / engineSeconds).toFixed(3)}`)
console.log(`ctc engine padding efficiency: ${paddingEfficiency(lengths, batches).toFixed(3)}`)
console.log(`ctc ideal ratio (tokens the reference computes / tokens the engine computes): ${(referenceTokens / computed).toFixed(3)}`)
