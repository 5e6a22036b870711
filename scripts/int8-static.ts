// Static int8 (one activation scale per Linear, calibrated once) against per-token dynamic int8
// (what packs use), on the trained fixtures (scripts/fixtures/trained_encoder.py):
//   node --import tsx scripts/int8-static.ts [--calibrate fixtures/ctc/rows.jsonl]
// Calibration: every string field of every row of the --calibrate file (JSONL), consecutive fields
// paired as (first, second), each pair run alone (no padding) through the float32 graph with
// calibrationOutputs; a Linear's range is the max |input| seen. Evaluation: the 65 pairs of
// fixtures/alignscore/pairs.jsonl (context, claim), run one at a time through fp32, per-token and
// static int8, and int8 − fp32 printed for what the metrics compute: AlignScore softmax(tri)[0]
// and reg, CTC D's claim score (mean token probability), E's claim score on hidden_states[2]
// (mean best cosine to a context token), R's score. Static is also calibrated on the evaluated
// pairs themselves (its best case).
//   node --import tsx scripts/int8-static.ts --base --out bench-models
// writes RoBERTa-base-shaped graphs (random weights, AlignScore heads) for scripts/bench-encoder.ts:
// fp32 fused, per-token int8, static int8 calibrated on the bench feed itself.
import {mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import * as ort from 'onnxruntime-node'

import {loadTokenizer} from '../src/engine/tokenizer/index.js'
import {openCheckpoint} from '../src/models/checkpoint/index.js'
import {buildEncoder, type EncoderOptions} from '../src/models/onnx/encoder.js'
import {parseEncoderConfig, type EncoderConfig} from '../src/models/onnx/encoder-config.js'
import {outputPresets, type OutputSpec} from '../src/models/onnx/outputs.js'
import {randomEncoderWeights, robertaBaseConfig} from '../src/models/onnx/random-weights.js'
import {serializeModel, writeModel} from '../src/models/onnx/writer.js'
import type {TensorStore} from '../src/models/tensors.js'

const {values} = parseArgs({
  options: {
    calibrate: {type: 'string', default: 'fixtures/ctc/rows.jsonl'},
    base: {type: 'boolean', default: false},
    out: {type: 'string', default: 'bench-models'},
  },
})

type Feeds = Record<string, ort.Tensor>
interface Row {
  ids: number[]
  types: number[]
}

function feedsOf(rows: readonly Row[]): Feeds {
  const width = Math.max(...rows.map((r) => r.ids.length))
  const flat = (pick: (r: Row, i: number) => number): BigInt64Array => BigInt64Array.from(rows.flatMap((r) => Array.from({length: width}, (_, i) => BigInt(pick(r, i)))))
  const dims = [rows.length, width]
  return {
    input_ids: new ort.Tensor('int64', flat((r, i) => r.ids[i] ?? 0), dims),
    attention_mask: new ort.Tensor('int64', flat((r, i) => (i < r.ids.length ? 1 : 0)), dims),
    token_type_ids: new ort.Tensor('int64', flat((r, i) => r.types[i] ?? 0), dims),
  }
}

async function session(model: Uint8Array | string): Promise<ort.InferenceSession> {
  const options = {logSeverityLevel: 3, graphOptimizationLevel: 'all', intraOpNumThreads: 2} as const
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options)
}

async function run(s: ort.InferenceSession, feeds: Feeds): Promise<Record<string, Float32Array>> {
  const wanted = Object.fromEntries(Object.entries(feeds).filter(([name]) => s.inputNames.includes(name)))
  const results = await s.run(wanted)
  return Object.fromEntries(Object.entries(results).map(([name, t]) => [name, t.data as Float32Array]))
}

/** Each Linear's max |input| over the rows, each run alone. */
async function calibrate(store: TensorStore, config: EncoderConfig, options: Pick<EncoderOptions, 'outputs' | 'prefix'>, rows: readonly Row[]): Promise<Record<string, number>> {
  const s = await session(await serializeModel(buildEncoder(store, config, {...options, precision: 'float32', kernels: 'plain', calibrationOutputs: true})))
  const ranges: Record<string, number> = {}
  for (const row of rows) {
    for (const [name, data] of Object.entries(await run(s, feedsOf([row])))) {
      if (name.startsWith('amax/')) ranges[name.slice(5)] = Math.max(ranges[name.slice(5)] ?? 0, data[0]!)
    }
  }
  await s.release()
  return ranges
}

function textsOf(file: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const texts = Object.values(JSON.parse(line) as Record<string, unknown>)
      .flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []))
      .filter((t) => t.trim() !== '' && !/^[a-z]+-[a-z0-9-]+$/.test(t))
    for (let i = 0; i + 1 < texts.length; i++) pairs.push([texts[i]!, texts[i + 1]!])
  }
  return pairs
}

const softmax = (logits: ArrayLike<number>, at: number, n: number, k: number): number => {
  let sum = 0
  for (let i = 0; i < n; i++) sum += Math.exp(logits[at + i]!)
  return Math.exp(logits[at + k]!) / sum
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

async function trained(): Promise<void> {
  const evalPairs = readFileSync('fixtures/alignscore/pairs.jsonl', 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as {context: string; claim: string})
    .filter((p) => p.context.trim() !== '')
  const calibration = textsOf(values.calibrate!)

  const models = [
    {
      name: 'roberta',
      folder: 'fixtures/trained',
      checkpoint: 'encoder.ckpt',
      prefix: 'base_model.',
      outputs: [...outputPresets.alignscore(), ...outputPresets.ctcD(), {kind: 'hidden-state', layer: 2, output: 'hidden_2'}] as OutputSpec[],
    },
    {name: 'r-bert', folder: 'fixtures/trained/r-bert', checkpoint: 'regressor.ckpt', prefix: 'bert.', outputs: outputPresets.ctcR()},
  ]
  for (const m of models) {
    const config = parseEncoderConfig(JSON.parse(readFileSync(join(m.folder, 'config.json'), 'utf8')), 'config.json')
    const tokenizer = loadTokenizer(join(m.folder, 'tokenizer.json'))
    const maxLength = m.name === 'r-bert' ? config.maxPositions : 512
    const encode = ([a, b]: readonly [string, string]): Row => {
      const e = tokenizer.encodePair(a, b, {maxLength, strategy: 'longest_first'})
      return {ids: e.ids, types: e.typeIds}
    }
    const store = await openCheckpoint(join(m.folder, m.checkpoint))
    const evalRows = evalPairs.map((p) => encode([p.context, p.claim]))
    const base = {outputs: m.outputs, prefix: m.prefix}
    const onCalibration = await calibrate(store, config, base, calibration.map(encode))
    const onEval = await calibrate(store, config, base, evalRows)
    const graphs = {
      fp32: await serializeModel(buildEncoder(store, config, {...base, precision: 'float32'})),
      'per-token': await serializeModel(buildEncoder(store, config, {...base, precision: 'int8'})),
      [`static (calibrated on ${values.calibrate}, ${calibration.length} pairs)`]: await serializeModel(buildEncoder(store, config, {...base, precision: 'int8', int8Activations: 'static', activationRanges: onCalibration})),
      'static (calibrated on the evaluated pairs)': await serializeModel(buildEncoder(store, config, {...base, precision: 'int8', int8Activations: 'static', activationRanges: onEval})),
    }
    await store.close()
    const scores: Record<string, Array<Record<string, number>>> = {}
    for (const [label, graph] of Object.entries(graphs)) {
      const s = await session(graph)
      scores[label] = []
      for (const row of evalRows) {
        const out = await run(s, feedsOf([row]))
        scores[label]!.push(m.name === 'r-bert' ? {'R score': out['score']![0]!} : robertaScores(out, row, config.hiddenSize))
      }
      await s.release()
    }
    console.log(`${m.name}: int8 − fp32 over ${evalRows.length} pairs of fixtures/alignscore/pairs.jsonl (max / mean |Δ|); calibration ranges: ${Object.keys(onCalibration).length} Linears`)
    for (const [label, rows] of Object.entries(scores)) {
      if (label === 'fp32') continue
      const parts = Object.keys(rows[0]!).map((key) => {
        const diffs = rows.map((r, i) => Math.abs(r[key]! - scores['fp32']![i]![key]!))
        return `${key} ${Math.max(...diffs).toExponential(2)} / ${mean(diffs).toExponential(1)}`
      })
      console.log(`  ${label}: ${parts.join(', ')}`)
    }
  }
}

/** What AlignScore and CTC's D and E aligners compute from the RoBERTa's outputs for one pair <s> context </s></s> claim </s>. */
function robertaScores(out: Record<string, Float32Array>, row: Row, H: number): Record<string, number> {
  const end = row.ids.indexOf(2)
  const context = Array.from({length: end - 1}, (_, i) => 1 + i)
  const claim = Array.from({length: row.ids.length - end - 3}, (_, i) => end + 2 + i)
  const logits = out['token_logits']!
  const bias = out['token_logits_bias']!
  const probability = (t: number): number => 1 / (1 + Math.exp(logits[t * 2]! + bias[0]! - logits[t * 2 + 1]! - bias[1]!))
  const h = out['hidden_2']!
  const cosine = (a: number, b: number): number => {
    let dot = 0
    let na = 0
    let nb = 0
    for (let i = 0; i < H; i++) {
      dot += h[a * H + i]! * h[b * H + i]!
      na += h[a * H + i]! ** 2
      nb += h[b * H + i]! ** 2
    }
    return dot / Math.sqrt(na * nb)
  }
  return {
    'AlignScore softmax(tri)[0]': softmax(out['tri_logits']!, 0, 3, 0),
    'AlignScore reg': out['reg']![0]!,
    'D claim score': claim.length === 0 ? 0 : mean(claim.map(probability)),
    'E claim score (layer 2)': claim.length === 0 || context.length === 0 ? 0 : mean(claim.map((t) => Math.max(...context.map((c) => cosine(t, c))))),
  }
}

async function baseSize(): Promise<void> {
  const config = robertaBaseConfig
  const store = randomEncoderWeights(config, {heads: {tri_layer: 3, bin_layer: 2, reg_layer: 1}, seed: 0})
  const outputs = outputPresets.alignscore()
  // The feed scripts/bench-encoder.ts times: 8 rows of 128 ids, no padding.
  const ids = Array.from({length: 8}, (_, r) => Array.from({length: 128}, (_, i) => (i === 0 ? 0 : 3 + (((r * 128 + i) * 7919) % 50000))))
  const rows = ids.map((r) => ({ids: r, types: r.map(() => 0)}))
  const ranges = await calibrate(store, config, {outputs}, rows)
  const write = async (name: string, options: Partial<EncoderOptions>): Promise<void> => {
    mkdirSync(join(values.out!, name), {recursive: true})
    const result = await writeModel(buildEncoder(store, config, {outputs, metadata: {'alignctl.random_weights': 'true'}, ...options}), join(values.out!, name, 'model.onnx'))
    console.log(`${result.modelPath}: ${(result.modelBytes / 2 ** 20).toFixed(1)} MiB`)
  }
  await write('fp32-fused', {precision: 'float32', kernels: 'fused'})
  await write('int8-token-plain', {precision: 'int8', kernels: 'plain'})
  await write('int8-static-plain', {precision: 'int8', kernels: 'plain', int8Activations: 'static', activationRanges: ranges})
}

await (values.base ? baseSize() : trained())
