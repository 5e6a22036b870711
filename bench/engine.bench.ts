/**
 * `npm run bench`: the engine's schedule against the reference schedule on one model, same run.
 *
 * (a) reference: every pair padded to 512, batches of 32, batches never span examples, input
 *     order (AlignScore's inference.py); (b) the engine: all pairs together, sorted by length,
 *     packed to a token budget, padded to each batch's longest. Same RoBERTa-base-shaped graph
 *     with random weights, same worker pool, same threads. Prints machine-readable lines:
 *     `engine/naive throughput ratio: x`, `engine padding efficiency: y`, `ideal ratio: z`.
 *
 * The two schedules alternate (a, b, a, b, ...) --repeat times and the fastest run of each
 * counts, so a noisy neighbour on a shared machine hurts both alike.
 *
 * Options: --examples N (default 16), --layers L (default 12), --repeat R (default 2),
 * --model-dir DIR, --threads T, --runtimes (also time the engine on worker_threads, to compare
 * with its default child processes), --int8 (also time the engine on an int8 build of the same
 * weights, and state how far its AlignScore probabilities drift from float32).
 */
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {parseArgs} from 'node:util'

import {chunkContext} from '../metrics/alignscore/chunks.js'
import {splitSentences} from '../metrics/alignscore/punkt/index.js'
import type {TextRequest} from '../src/kernel/interfaces/index.js'
import {paddingEfficiency, planBatches} from '../src/engine/batching.js'
import {DEFAULT_BATCH_SIZE, DEFAULT_MAX_TOKENS, Engine} from '../src/engine/engine.js'
import {EnginePool} from '../src/engine/pool.js'
import type {RunResult} from '../src/engine/protocol.js'
import {loadTokenizer, type Encoding} from '../src/engine/tokenizer/index.js'
import {buildEncoder, outputPresets, randomEncoderWeights, robertaBaseConfig, writeModel} from '../src/models/onnx/index.js'
import {INT8_QUANTIZATION, openPack, writeManifest} from '../src/models/pack.js'
import {robertaLikeTokenizerJson} from './roberta-tokenizer.js'
import {makeWorkload} from './workload.js'

const {values} = parseArgs({options: {examples: {type: 'string', default: '16'}, repeat: {type: 'string', default: '2'}, runtimes: {type: 'boolean', default: false}, int8: {type: 'boolean', default: false}, layers: {type: 'string', default: '12'}, 'model-dir': {type: 'string'}, threads: {type: 'string'}}})
const layers = Number(values.layers)
const config = {...robertaBaseConfig, numLayers: layers}
const dir = values['model-dir'] ?? join('bench-models', `roberta-base-l${layers}`)
const MAX_LENGTH = 512
const REFERENCE_BATCH = 32

// 1. The model pack: built once, reused by later runs.
/** Builds the bench pack once (later runs reuse it): random weights, AlignScore heads. */
async function buildPack(dir: string, precision: 'float32' | 'int8'): Promise<void> {
  if (existsSync(join(dir, 'alignctl-model.json'))) return
  mkdirSync(dir, {recursive: true})
  console.log(`building a RoBERTa-base-shaped ${precision} graph with random weights in ${dir} ...`)
  const store = randomEncoderWeights(config, {heads: {tri_layer: 3, bin_layer: 2, reg_layer: 1}})
  await writeModel(buildEncoder(store, config, {outputs: outputPresets.alignscore(), precision}), join(dir, 'model.onnx'))
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(robertaLikeTokenizerJson()))
  await writeManifest(
    dir,
    {
      name: 'bench-roberta-base',
      architecture: 'roberta',
      task: 'alignscore',
      inputs: ['input_ids', 'attention_mask'].map((name) => ({name, type: 'int64' as const, dims: ['batch', 'sequence']})),
      outputs: [
        {name: 'tri_logits', type: 'float32', dims: ['batch', 3]},
        {name: 'bin_logits', type: 'float32', dims: ['batch', 2]},
        {name: 'reg', type: 'float32', dims: ['batch', 1]},
      ],
      maxLength: MAX_LENGTH,
      tokenizer: {file: 'tokenizer.json'},
      precision: precision === 'int8' ? 'int8' : 'fp32',
      ...(precision === 'int8' ? {quantization: INT8_QUANTIZATION} : {}),
      source: {converter: 'bench (random weights)'},
    },
    ['model.onnx', 'tokenizer.json'],
  )
}
await buildPack(dir, 'float32')
const pack = await openPack(dir)
const tokenizer = loadTokenizer(pack.tokenizer)

// 2. The workload as AlignScore's nli_sp mode makes it: chunk × claim-sentence pairs per example,
//    with the reference's per-32 longest_first fallback decided once for both schedules.
const examples = makeWorkload(Number(values.examples)).map(({context, claim}) => {
  const chunks = chunkContext(context, splitSentences(context))
  const sentences = splitSentences(claim)
  const pairs = chunks.flatMap((chunk) => sentences.map((sentence) => ({first: chunk, second: sentence})))
  const groups: TextRequest[][] = []
  for (let i = 0; i < pairs.length; i += REFERENCE_BATCH) {
    const group = pairs.slice(i, i + REFERENCE_BATCH)
    const onlyFirst = group.every((p) => tokenizer.encodePair(p.first, p.second, {maxLength: MAX_LENGTH, strategy: 'only_first'}).truncation.outcome !== 'cannot-fit')
    groups.push(group.map((p) => ({...p, truncation: onlyFirst ? 'only_first' : 'longest_first'})))
  }
  return groups
})
const requests = examples.flat(2)
const encode = (r: TextRequest): Encoding => tokenizer.encodePair(r.first, r.second!, {maxLength: MAX_LENGTH, strategy: r.truncation})
const lengths = requests.map((r) => encode(r).ids.length)
const realTokens = lengths.reduce((s, n) => s + n, 0)
const words = examples.length
console.log(`workload: ${words} examples, ${requests.length} pairs, ${realTokens} real tokens (mean ${(realTokens / requests.length).toFixed(0)}), ${layers} layers`)

const threads = values.threads === undefined ? undefined : Number(values.threads)

// 3. Both schedules on one pool size and thread count; each warmed up before timing.
const pool = new EnginePool({workers: 1, ...(threads === undefined ? {} : {threads})})
const session = {model: pack.model, providers: ['cpu' as const], threads: pool.threads}
await pool.run({probe: true, session}, 'warm-up')
const referenceBatches: number[][] = []
let index = 0
for (const groups of examples) for (const group of groups) referenceBatches.push(group.map(() => index++))
const referenceOut = new Float32Array(requests.length * 3)

/** (a) The reference schedule on the engine's own pool. */
async function runReference(): Promise<number> {
  const started = performance.now()
  for (const batch of referenceBatches) {
    const padded = tokenizer.pad(batch.map((i) => encode(requests[i]!)), {minLength: MAX_LENGTH})
    const dims = [...padded.dims]
    const result = await pool.run<RunResult>({session, feeds: {input_ids: {type: 'int64', dims, data: padded.inputIds}, attention_mask: {type: 'int64', dims, data: padded.attentionMask}}, fetches: ['tri_logits']}, 'reference batch')
    referenceOut.set(result.outputs['tri_logits']!.data as Float32Array, batch[0]! * 3)
  }
  return (performance.now() - started) / 1000
}

// (b) The engine, as metrics call it.
type Stats = {tokenizeSeconds: number; runtimeSeconds: number}
const engine = new Engine({device: 'cpu', workers: 1, ...(threads === undefined ? {} : {threads}), resolvePack: async () => pack})
const model = await engine.load(dir)
const statsOf = async (e: Engine): Promise<Stats> => ((await e.usage()).model as {stats: Stats}).stats
await model.run(requests.slice(0, 2), {outputs: ['tri_logits']})
let engineOut: Awaited<ReturnType<typeof model.run>> = []
let fastest = {seconds: Number.POSITIVE_INFINITY, tokenize: 0, runtime: 0}
async function runEngine(): Promise<number> {
  const before = await statsOf(engine)
  const started = performance.now()
  engineOut = await model.run(requests, {outputs: ['tri_logits']})
  const seconds = (performance.now() - started) / 1000
  const after = await statsOf(engine)
  if (seconds < fastest.seconds) fastest = {seconds, tokenize: after.tokenizeSeconds - before.tokenizeSeconds, runtime: after.runtimeSeconds - before.runtimeSeconds}
  return seconds
}

let referenceSeconds = Number.POSITIVE_INFINITY
let engineSeconds = Number.POSITIVE_INFINITY
for (let r = 0; r < Number(values.repeat); r++) {
  referenceSeconds = Math.min(referenceSeconds, await runReference())
  engineSeconds = Math.min(engineSeconds, await runEngine())
}
const rss = peakRssMiB()
await engine.close()
await pool.destroy()

// Optional: the same engine schedule on worker_threads, to weigh the cost of child processes
// (inputs and outputs copied across the process boundary) against crash isolation.
let threadSeconds: number | undefined
if (values.runtimes) {
  const threaded = new Engine({device: 'cpu', workers: 1, runtime: 'worker_threads', ...(threads === undefined ? {} : {threads}), resolvePack: async () => pack})
  const threadedModel = await threaded.load(dir)
  await threadedModel.run(requests.slice(0, 2), {outputs: ['tri_logits']})
  threadSeconds = Number.POSITIVE_INFINITY
  for (let r = 0; r < Number(values.repeat); r++) {
    const started = performance.now()
    await threadedModel.run(requests, {outputs: ['tri_logits']})
    threadSeconds = Math.min(threadSeconds, (performance.now() - started) / 1000)
  }
  await threaded.close()
}

// 5. Numbers.
let maxDiff = 0
engineOut.forEach((o, i) => o['tri_logits']!.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - referenceOut[i * 3 + k]!)))))
const engineBatches = planBatches(lengths, {batchSize: DEFAULT_BATCH_SIZE, maxTokens: DEFAULT_MAX_TOKENS})
const referenceComputed = referenceBatches.reduce((s, b) => s + b.length * MAX_LENGTH, 0)
const engineComputed = engineBatches.reduce((s, b) => s + b.length * Math.max(...b.map((i) => lengths[i]!)), 0)
const flops = (batches: number[][], width: (b: number[]) => number) => batches.reduce((s, b) => s + b.length * sequenceFlops(width(b)), 0)
const referenceFlops = flops(referenceBatches, () => MAX_LENGTH)
const engineFlops = flops(engineBatches, (b) => Math.max(...b.map((i) => lengths[i]!)))

const line = (label: string, seconds: number, computed: number, f: number) =>
  console.log(`${label}: ${seconds.toFixed(2)} s, ${(requests.length / seconds).toFixed(2)} pairs/s, ${(realTokens / seconds).toFixed(0)} real tokens/s, padding efficiency ${(realTokens / computed).toFixed(3)}, ${(f / seconds / 1e9).toFixed(1)} GFLOP/s`)
line('(a) reference schedule', referenceSeconds, referenceComputed, referenceFlops)
line('(b) engine schedule', engineSeconds, engineComputed, engineFlops)
console.log(`engine, fastest run: ${fastest.seconds.toFixed(2)} s = tokenize+plan ${fastest.tokenize.toFixed(2)} s + ONNX Runtime ${fastest.runtime.toFixed(2)} s + other (copies across the process boundary, padding, scheduling) ${(fastest.seconds - fastest.tokenize - fastest.runtime).toFixed(2)} s`)
if (threadSeconds !== undefined) console.log(`engine on worker_threads: ${threadSeconds.toFixed(2)} s (child processes: ${engineSeconds.toFixed(2)} s)`)

// Optional: the same weights quantized to int8, same schedule.
if (values.int8) {
  // Named by the quantization, so that a pack built by an older alignctl (per-batch activations) is not reused.
  const int8Dir = `${dir}-int8-${INT8_QUANTIZATION.activations}`
  await buildPack(int8Dir, 'int8')
  const int8Pack = await openPack(int8Dir)
  const quantized = new Engine({device: 'cpu', workers: 1, ...(threads === undefined ? {} : {threads}), resolvePack: async () => int8Pack})
  const int8Model = await quantized.load(int8Dir)
  await int8Model.run(requests.slice(0, 2), {outputs: ['tri_logits']})
  let int8Seconds = Number.POSITIVE_INFINITY
  let int8Out: typeof engineOut = []
  for (let r = 0; r < Number(values.repeat); r++) {
    const started = performance.now()
    int8Out = await int8Model.run(requests, {outputs: ['tri_logits']})
    int8Seconds = Math.min(int8Seconds, (performance.now() - started) / 1000)
  }
  await quantized.close()
  const probability = (logits: Float32Array) => {
    const m = Math.max(...logits)
    const e = [...logits].map((v) => Math.exp(v - m))
    return e[0]! / e.reduce((a, b) => a + b, 0)
  }
  const drift = int8Out.map((o, i) => Math.abs(probability(o['tri_logits']!) - probability(engineOut[i]!['tri_logits']!)))
  console.log(`engine on int8: ${int8Seconds.toFixed(2)} s (float32: ${engineSeconds.toFixed(2)} s, ${(engineSeconds / int8Seconds).toFixed(2)}× faster); softmax(tri)[0] drift max ${Math.max(...drift).toExponential(2)}, mean ${(drift.reduce((a, b) => a + b, 0) / drift.length).toExponential(2)}`)
}
console.log(`max abs difference of outputs (a) vs (b): ${maxDiff.toExponential(2)}`)
console.log(`peak RSS: main ${rss.main} MiB, workers ${rss.children} MiB`)
console.log(`engine/naive throughput ratio: ${(referenceSeconds / engineSeconds).toFixed(3)}`)
console.log(`engine padding efficiency: ${paddingEfficiency(lengths, engineBatches).toFixed(3)}`)
console.log(`ideal ratio: ${(referenceComputed / realTokens).toFixed(3)}`)

/** Encoder FLOPs for one sequence of `n` tokens (matmuls only: projections, FFN, attention). */
function sequenceFlops(n: number): number {
  const H = config.hiddenSize
  const I = config.intermediateSize
  return config.numLayers * (2 * n * (4 * H * H + 2 * H * I) + 4 * n * n * H)
}

/** Peak resident memory of this process and of its child processes (the workers), from /proc. */
function peakRssMiB(): {main: number; children: number} {
  const hwm = (pid: string) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
  let children = 0
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]
      if (ppid === String(process.pid)) children += hwm(pid)
    } catch {
      // The process ended while we looked.
    }
  }
  return {main: Math.round(hwm(String(process.pid))), children: Math.round(children)}
}
