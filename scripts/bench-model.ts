// Writes a RoBERTa-base-shaped encoder with seeded random weights (AlignScore heads), for
// speed measurements: `npm run bench:model -- --out bench-models/roberta-base [--kernels plain|fused]
// [--precision float32|float16|int8] [--int8-activations per-token|per-token-asymmetric|per-batch] [--layers 12]`. About 500 MB in float32; not committed.
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {buildEncoder} from '../src/models/onnx/encoder.js'
import {outputPresets} from '../src/models/onnx/outputs.js'
import {randomEncoderWeights, robertaBaseConfig} from '../src/models/onnx/random-weights.js'
import {writeModel} from '../src/models/onnx/writer.js'

const {values} = parseArgs({
  options: {
    out: {type: 'string', default: 'bench-models/roberta-base'},
    kernels: {type: 'string'},
    precision: {type: 'string', default: 'float32'},
    layers: {type: 'string', default: String(robertaBaseConfig.numLayers)},
    seed: {type: 'string', default: '0'},
    'int8-activations': {type: 'string', default: 'per-token'},
  },
})
const kernels = values.kernels
if (kernels !== undefined && kernels !== 'plain' && kernels !== 'fused') throw new Error(`--kernels must be plain or fused, not ${kernels}`)
const precision = values.precision
if (precision !== 'float32' && precision !== 'float16' && precision !== 'int8') throw new Error(`--precision must be float32, float16 or int8, not ${precision}`)

const int8Activations = values['int8-activations']
if (int8Activations !== 'per-token' && int8Activations !== 'per-token-asymmetric' && int8Activations !== 'per-batch') throw new Error(`--int8-activations must be per-token, per-token-asymmetric or per-batch, not ${int8Activations}`)

const config = {...robertaBaseConfig, numLayers: Number(values.layers)}
const heads = {tri_layer: 3, bin_layer: 2, reg_layer: 1}
const store = randomEncoderWeights(config, {heads, seed: Number(values.seed)})
const model = buildEncoder(store, config, {outputs: outputPresets.alignscore(), precision, int8Activations, ...(kernels === undefined ? {} : {kernels}), metadata: {'alignctl.random_weights': 'true'}})
mkdirSync(values.out, {recursive: true})
const started = performance.now()
const result = await writeModel(model, join(values.out, 'model.onnx'))
console.log(`${result.modelPath}: ${(result.modelBytes / 2 ** 20).toFixed(1)} MiB (${precision}, ${kernels ?? 'default'} kernels, ${config.numLayers} layers) in ${((performance.now() - started) / 1000).toFixed(1)} s`)
