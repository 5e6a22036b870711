import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {describe, test} from 'node:test'

import * as ort from 'onnxruntime-node'

import {ZipArchive} from '../../../src/models/checkpoint/zip-archive.js'
import {openPack, type PackManifest, type PackValue} from '../../../src/models/pack.js'
import {FIXTURES, runCli, tempDir, type CliResult} from '../../helpers/cli.js'
import {maxAbsDiff, runGraph, type FixtureModel, type Reference} from '../../helpers/encoders.js'
import {writeZip64} from '../../models/checkpoint/zip-writer.js'

/**
 * `alignctl models convert` end to end on real checkpoint layouts: the tiny random encoders of
 * scripts/fixtures/encoders.py saved as a transformers-style pytorch_model.bin (torch zip) and a
 * model.safetensors, each converted for every arch its weights support. The pack's model.onnx
 * must give the outputs an independent PyTorch forward pass gave (fixtures/encoders/<model>/
 * reference.json): 1e-4 in float32, 1e-2 with --precision fp16 and 0.1 with int8 (the bars of
 * test/models/onnx/encoder.test.ts).
 * AlignScore's Lightning .ckpt layout is converted by test/metrics/alignscore/parity.test.ts.
 */
const TOLERANCE = {fp32: 1e-4, fp16: 1e-2, int8: 0.1} as const

const TOKENIZER: Record<FixtureModel, string> = {
  roberta: join(FIXTURES, 'tokenizers/roberta-bpe/tokenizer.json'),
  bert: join(FIXTURES, 'tokenizers/bert-wordpiece/tokenizer.json'),
  // Copied into the pack as is; no ALBERT (SentencePiece) tokenizer is needed to test the graph.
  albert: join(FIXTURES, 'tokenizers/bert-wordpiece/tokenizer.json'),
}

type Arch = PackManifest['task']

/** Each checkpoint file, the encoder prefix its names use, and what that layout supports. */
interface Layout {
  model: FixtureModel
  file: string
  /** Encoder prefix in the file (see CHECKPOINTS in scripts/fixtures/encoders.py, ctc_checkpoints.py, albert.py). */
  prefix: string
  /** Archs other than ctc-e whose heads the file has. */
  archs: Array<Exclude<Arch, 'ctc-e' | 'probe'>>
  /** ctc-e layers to convert. */
  layers: number[]
}
const LAYOUTS: Layout[] = [
  {model: 'roberta', file: 'pytorch_model.bin', prefix: 'roberta.', archs: ['alignscore', 'ctc-d'], layers: [0, 2]},
  {model: 'roberta', file: 'model.safetensors', prefix: '', archs: ['alignscore', 'ctc-d'], layers: [1, 2]},
  {model: 'bert', file: 'pytorch_model.bin', prefix: 'bert.', archs: ['ctc-r'], layers: [1, 2]},
  {model: 'bert', file: 'model.safetensors', prefix: 'bert.', archs: ['ctc-r'], layers: [0, 2]},
  // CTC's own checkpoints (scripts/fixtures/ctc_checkpoints.py): the D aligner's state dict
  // (`_roberta.*`, `_classifier.*`, with and without the old position_ids buffer) and the R
  // aligner's BLEURT-PT conversion (`bert.*`, `dense.*`, TF kernels as transposed views).
  {model: 'roberta', file: 'ctc-d.pt', prefix: '_roberta.', archs: ['ctc-d'], layers: [2]},
  {model: 'roberta', file: 'ctc-d-no-position-ids.pt', prefix: '_roberta.', archs: ['ctc-d'], layers: []},
  {model: 'bert', file: 'bleurt-pt.pt', prefix: 'bert.', archs: ['ctc-r'], layers: [1]},
  // The hub layouts the E aligner's models ship in: roberta-large (MLM head, no pooler),
  // roberta-large-mnli (classification head, no pooler), bert-base-uncased (pre-training heads,
  // gamma/beta), and a bare BertModel with gamma/beta.
  {model: 'roberta', file: 'roberta-large-layout.safetensors', prefix: 'roberta.', archs: [], layers: [1, 2]},
  {model: 'roberta', file: 'roberta-large-mnli-layout.safetensors', prefix: 'roberta.', archs: [], layers: [2]},
  {model: 'bert', file: 'bert-base-uncased-layout.safetensors', prefix: 'bert.', archs: [], layers: [1, 2]},
  {model: 'bert', file: 'bare-legacy.pt', prefix: '', archs: [], layers: [2]},
  // D-mix-albert (scripts/fixtures/albert.py): the D aligner with ALBERT as `_model`, and the
  // hub's AlbertForSequenceClassification layout (`albert.*`, its own classifier, unused).
  {model: 'albert', file: 'd-mix-albert.pt', prefix: '_model.', archs: ['ctc-d'], layers: [0, 3]},
  {model: 'albert', file: 'model.safetensors', prefix: 'albert.', archs: [], layers: [3]},
]
const layout = (file: string, model: FixtureModel): Layout => LAYOUTS.find((l) => l.file === file && l.model === model)!

/** Each arch's outputs: manifest entry (with `hidden` for the hidden size) and the reference.json output it must equal. */
function expectedOutputs(arch: Arch, layer: number | undefined): Array<PackValue & {reference: string}> {
  switch (arch) {
    case 'alignscore':
      return [
        {name: 'tri_logits', type: 'float32', dims: ['batch', 3], reference: 'tri_layer.pooled'},
        {name: 'bin_logits', type: 'float32', dims: ['batch', 2], reference: 'bin_layer.pooled'},
        {name: 'reg', type: 'float32', dims: ['batch', 1], reference: 'reg_layer.pooled'},
      ]
    case 'ctc-d':
      // The bias is split off (word logits are sums of token logits); its reference is tokens − tokens_nobias.
      return [
        {name: 'token_logits', type: 'float32', dims: ['batch', 'sequence', 2], reference: '_classifier.tokens_nobias'},
        {name: 'token_logits_bias', type: 'float32', dims: [2], reference: '_classifier.bias'},
      ]
    case 'ctc-e':
      return [{name: 'hidden_states', type: 'float32', dims: ['batch', 'sequence', 32], reference: `hidden_states.${layer}`}]
    case 'ctc-r':
      return [{name: 'score', type: 'float32', dims: ['batch', 1], reference: 'dense.pooled'}]
    case 'probe':
      throw new Error('models convert makes no probe packs')
  }
}

function reference(model: FixtureModel): Reference {
  return JSON.parse(readFileSync(join(FIXTURES, 'encoders', model, 'reference.json'), 'utf8')) as Reference
}

/** A reference output's values; `_classifier.bias` is recovered from the reference's with- and without-bias logits of token 0. */
function referenceValues(ref: Reference, name: string): {shape: number[]; data: number[]} {
  if (name !== '_classifier.bias') return ref.outputs[name]!
  const withBias = ref.outputs['_classifier.tokens']!
  const noBias = ref.outputs['_classifier.tokens_nobias']!
  const labels = withBias.shape.at(-1)!
  return {shape: [labels], data: withBias.data.slice(0, labels).map((v, i) => v - noBias.data[i]!)}
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

interface Conversion {
  layout: Layout
  arch: Arch
  layer?: number
  precision?: 'fp16' | 'int8'
  kernels?: 'plain' | 'fused'
  /** Pass --prefix with the layout's prefix even where the default would find it. */
  prefix?: boolean
}

function describeConversion(c: Conversion): string {
  const flags = [c.layer === undefined ? '' : ` --layer ${c.layer}`, c.precision ? ` --precision ${c.precision}` : '', c.kernels ? ` --kernels ${c.kernels}` : '', c.prefix ? ` --prefix '${c.layout.prefix}'` : '']
  return `${c.layout.model}/${c.layout.file} --arch ${c.arch}${flags.join('')}`
}

async function convert(c: Conversion, out: string): Promise<CliResult> {
  const dir = join(FIXTURES, 'encoders', c.layout.model)
  return runCli([
    'models',
    'convert',
    ...['--checkpoint', join(dir, c.layout.file), '--config', join(dir, 'config.json'), '--tokenizer', TOKENIZER[c.layout.model]],
    ...['--arch', c.arch, '--out', out],
    ...(c.layer === undefined ? [] : ['--layer', String(c.layer)]),
    ...(c.precision ? ['--precision', c.precision] : []),
    ...(c.kernels === undefined ? [] : ['--kernels', c.kernels]),
    ...(c.prefix ? ['--prefix', c.layout.prefix] : []),
  ])
}

/** Every conversion: each file × each arch it supports, ctc-e at its layers, plus fp16, int8 and --kernels plain. */
const CONVERSIONS: Conversion[] = LAYOUTS.flatMap((layout) => [
  // alignscore defaults to AlignScore's base_model. prefix; these layouts need theirs given.
  ...layout.archs.map((arch) => ({layout, arch, prefix: arch === 'alignscore'})),
  ...layout.layers.map((layer) => ({layout, arch: 'ctc-e' as const, layer})),
])
CONVERSIONS.push(
  {layout: LAYOUTS[0]!, arch: 'alignscore', prefix: true, precision: 'fp16'},
  {layout: LAYOUTS[1]!, arch: 'ctc-d', precision: 'fp16'},
  {layout: LAYOUTS[3]!, arch: 'ctc-r', precision: 'fp16'},
  {layout: LAYOUTS[0]!, arch: 'alignscore', prefix: true, precision: 'int8'},
  {layout: LAYOUTS[3]!, arch: 'ctc-r', precision: 'int8'},
  {layout: LAYOUTS[1]!, arch: 'alignscore', prefix: true, kernels: 'plain'},
  {layout: LAYOUTS[2]!, arch: 'ctc-r', prefix: true},
  {layout: layout('ctc-d.pt', 'roberta'), arch: 'ctc-d', precision: 'int8'},
  {layout: layout('bleurt-pt.pt', 'bert'), arch: 'ctc-r', precision: 'fp16'},
  {layout: layout('d-mix-albert.pt', 'albert'), arch: 'ctc-d', precision: 'fp16'},
  {layout: layout('d-mix-albert.pt', 'albert'), arch: 'ctc-d', kernels: 'plain'},
  {layout: layout('d-mix-albert.pt', 'albert'), arch: 'ctc-d', prefix: true},
)

describe('models convert: each checkpoint layout and arch gives a pack whose outputs match the PyTorch reference', () => {
  for (const c of CONVERSIONS) {
    test(describeConversion(c), async () => {
      const {model} = c.layout
      const source = join(FIXTURES, 'encoders', model)
      const out = join(tempDir(), `${model}-${c.arch}`)
      const result = await convert(c, out)
      assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`)
      assert.match(result.stdout, /Wrote .*\(model\.onnx, tokenizer\.json, config\.json\)/)
      assert.deepEqual(readdirSync(join(out, '..')), [basename(out)], 'only the pack is left: no staging folder')

      // The manifest: what the pack holds, checked field by field, then by the loader (schema, sizes, hashes).
      const manifest = JSON.parse(readFileSync(join(out, 'alignctl-model.json'), 'utf8')) as PackManifest
      const precision = c.precision ?? 'fp32'
      const outputs = expectedOutputs(c.arch, c.layer)
      assert.equal(manifest.schema, 'alignctl.model/v1')
      assert.equal(manifest.name, basename(out))
      assert.equal(manifest.architecture, model)
      assert.equal(manifest.task, c.arch)
      assert.equal(manifest.layer, c.layer, 'layer recorded for ctc-e only')
      assert.deepEqual(manifest.inputs, [
        {name: 'input_ids', type: 'int64', dims: ['batch', 'sequence']},
        {name: 'attention_mask', type: 'int64', dims: ['batch', 'sequence']},
        ...(model !== 'roberta' ? [{name: 'token_type_ids', type: 'int64', dims: ['batch', 'sequence']}] : []),
      ])
      assert.deepEqual(
        manifest.outputs,
        outputs.map(({reference: _, ...value}) => value),
      )
      // RoBERTa: 40 positions − pad id 1 − 1; BERT and ALBERT: all 40.
      assert.equal(manifest.maxLength, model === 'roberta' ? 38 : 40)
      assert.deepEqual(manifest.tokenizer, {file: 'tokenizer.json'})
      assert.equal(manifest.precision, precision)
      assert.equal(manifest.source.checkpoint, c.layout.file)
      assert.match(manifest.source.converter, /^alignctl \d+\.\d+\.\d+/)
      assert.deepEqual(
        manifest.files.map((f) => f.path),
        ['model.onnx', 'tokenizer.json', 'config.json'],
      )
      for (const file of manifest.files) {
        const path = join(out, file.path)
        assert.match(file.sha256, /^[0-9a-f]{64}$/)
        assert.equal(file.sha256, sha256(path), `${file.path} sha256`)
        assert.equal(file.size, statSync(path).size, `${file.path} size`)
      }
      assert.deepEqual(readFileSync(join(out, 'tokenizer.json')), readFileSync(TOKENIZER[model]), 'tokenizer.json copied as is')
      assert.deepEqual(readFileSync(join(out, 'config.json')), readFileSync(join(source, 'config.json')), 'config.json copied as is')
      assert.deepEqual(readdirSync(out).sort(), ['alignctl-model.json', 'config.json', 'model.onnx', 'tokenizer.json'])
      const pack = await openPack(out, {verify: 'sha256'})
      assert.equal(pack.model, join(out, 'model.onnx'))

      // The graph's own signature agrees with the manifest.
      const session = await ort.InferenceSession.create(pack.model, {logSeverityLevel: 3})
      try {
        assert.deepEqual([...session.inputNames], manifest.inputs.map((i) => i.name))
        assert.deepEqual([...session.outputNames], manifest.outputs.map((o) => o.name))
      } finally {
        await session.release()
      }

      // Reference inputs straight into the graph; every output against the PyTorch numbers.
      const ref = reference(model)
      const results = await runGraph(pack.model, ref.inputs)
      const [batch, sequence] = [ref.inputs.input_ids.length, ref.inputs.input_ids[0]!.length]
      for (const output of outputs) {
        const got = results[output.name]
        assert.ok(got, `no output ${output.name}`)
        assert.ok(got.data instanceof Float32Array, `${output.name} is float32 whatever the precision`)
        const want = referenceValues(ref, output.reference)
        const dims = output.dims.map((d) => (d === 'batch' ? batch : d === 'sequence' ? sequence : d))
        assert.deepEqual([...got.dims], dims, `${output.name} dims`)
        assert.deepEqual([...got.dims], want.shape, `${output.name} shape = reference ${output.reference}`)
        const diff = maxAbsDiff(got.data, want.data)
        if (process.env.ALIGNCTL_PRINT_DRIFT) console.log(`${describeConversion(c)} ${output.name}: ${diff.toExponential(2)}`)
        assert.ok(diff <= TOLERANCE[precision], `${output.name} vs ${output.reference}: max abs diff ${diff} > ${TOLERANCE[precision]}`)
      }
    })
  }
})

/** A copy of a safetensors file without `drop`: header rewritten, data repacked. */
function safetensorsWithout(file: string, drop: string): Buffer {
  const raw = readFileSync(file)
  const headerLength = Number(raw.readBigUInt64LE(0))
  const header = JSON.parse(raw.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, {dtype: string; shape: number[]; data_offsets: [number, number]}>
  const data = raw.subarray(8 + headerLength)
  assert.ok(header[drop], `${file} has ${drop}`)
  const kept: Record<string, unknown> = {}
  const parts: Buffer[] = []
  let offset = 0
  for (const [name, entry] of Object.entries(header)) {
    if (name === drop) continue
    if (name === '__metadata__') {
      kept[name] = entry
      continue
    }
    const bytes = data.subarray(entry.data_offsets[0], entry.data_offsets[1])
    kept[name] = {...entry, data_offsets: [offset, offset + bytes.length]}
    parts.push(bytes)
    offset += bytes.length
  }
  let json = JSON.stringify(kept)
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8)
  const length = Buffer.alloc(8)
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)))
  return Buffer.concat([length, Buffer.from(json, 'utf8'), ...parts])
}

/** The message with oclif's line wrapping and `›` gutters undone. */
function oneLine(stderr: string): string {
  return stderr.replace(/\s*\n\s*›?\s*/g, ' ')
}

describe('models convert: errors name what is wrong, exit 2 and leave nothing behind', () => {
  const roberta = join(FIXTURES, 'encoders/roberta')
  const bert = join(FIXTURES, 'encoders/bert')
  const args = (checkpoint: string, config: string, out: string, ...rest: string[]): string[] => [
    'models',
    'convert',
    ...['--checkpoint', checkpoint, '--config', config, '--tokenizer', TOKENIZER.roberta, '--out', out],
    ...rest,
  ]

  test('--arch ctc-e without --layer', async () => {
    const parent = tempDir()
    const result = await runCli(args(join(roberta, 'model.safetensors'), join(roberta, 'config.json'), join(parent, 'pack'), '--arch', 'ctc-e'))
    assert.equal(result.code, 2, result.stderr)
    assert.match(oneLine(result.stderr), /--arch ctc-e needs --layer/)
    assert.deepEqual(readdirSync(parent), [])
  })

  test('a config.json that is not JSON', async () => {
    const parent = tempDir()
    const config = join(tempDir(), 'config.json')
    writeFileSync(config, '{"model_type": "roberta", "hidden_size": 32,\n')
    const result = await runCli(args(join(roberta, 'model.safetensors'), config, join(parent, 'pack'), '--arch', 'ctc-e', '--layer', '1'))
    assert.equal(result.code, 2, result.stderr)
    const message = oneLine(result.stderr)
    assert.ok(message.includes(`${config}: not valid JSON`), message)
    assert.deepEqual(readdirSync(parent), [])
  })

  test('a checkpoint missing a tensor: the tensor is listed and an existing pack at --out is kept', async () => {
    const checkpoint = join(tempDir(), 'model.safetensors')
    writeFileSync(checkpoint, safetensorsWithout(join(bert, 'model.safetensors'), 'bert.encoder.layer.1.output.dense.weight'))
    const parent = tempDir()
    const out = join(parent, 'pack')
    const good = await runCli(['models', 'convert', '--checkpoint', join(bert, 'model.safetensors'), '--config', join(bert, 'config.json'), '--tokenizer', TOKENIZER.bert, '--arch', 'ctc-r', '--out', out])
    assert.equal(good.code, 0, good.stderr)
    const before = readdirSync(out).map((name) => [name, sha256(join(out, name))])
    const result = await runCli([...args(checkpoint, join(bert, 'config.json'), out, '--arch', 'ctc-r')])
    assert.equal(result.code, 2, result.stderr)
    assert.match(oneLine(result.stderr), /missing tensor "bert\.encoder\.layer\.1\.output\.dense\.weight"/)
    assert.doesNotMatch(result.stderr, /missing tensor "bert\.encoder\.layer\.1\.output\.dense\.bias"/, 'only the absent tensor is listed')
    assert.deepEqual(readdirSync(parent), ['pack'], 'no staging folder left')
    assert.deepEqual(readdirSync(out).map((name) => [name, sha256(join(out, name))]), before, 'the old pack is untouched')
  })

  test('a bad --name, and a folder that is not a pack, are refused before anything is written', async () => {
    const parent = tempDir()
    const named = await runCli(args(join(roberta, 'model.safetensors'), join(roberta, 'config.json'), join(parent, 'pack'), '--arch', 'ctc-e', '--layer', '1', '--name', '../evil'))
    assert.equal(named.code, 2, named.stderr)
    assert.match(oneLine(named.stderr), /--name "\.\.\/evil" is not a valid pack name/)
    mkdirSync(join(parent, 'notes'))
    writeFileSync(join(parent, 'notes', 'todo.txt'), 'keep me')
    const folder = await runCli(args(join(roberta, 'model.safetensors'), join(roberta, 'config.json'), join(parent, 'notes'), '--arch', 'ctc-e', '--layer', '1'))
    assert.equal(folder.code, 2, folder.stderr)
    assert.match(oneLine(folder.stderr), /holds other files \(todo\.txt\) and is not a model pack; alignctl replaces only model packs/)
    assert.deepEqual(readdirSync(parent), ['notes'])
    assert.deepEqual(readdirSync(join(parent, 'notes')), ['todo.txt'])
  })

  // The R aligner loads with strict=False, so a checkpoint without its head runs on random
  // weights there; here every tensor the graph needs must be in the file.
  test('--arch ctc-r on a checkpoint without the BLEURT head names the missing tensors', async () => {
    const parent = tempDir()
    const result = await runCli(args(join(bert, 'bert-base-uncased-layout.safetensors'), join(bert, 'config.json'), join(parent, 'pack'), '--arch', 'ctc-r'))
    assert.equal(result.code, 2, result.stderr)
    const message = oneLine(result.stderr)
    assert.match(message, /missing tensor "dense\.weight"/)
    assert.match(message, /missing tensor "dense\.bias"/)
    assert.doesNotMatch(message, /missing tensor "bert\./, 'the encoder itself (gamma/beta names) is found')
    assert.deepEqual(readdirSync(parent), [])
  })

  test('--arch ctc-d on the hub ALBERT (its own classifier, no _classifier) names the missing head', async () => {
    const parent = tempDir()
    const albert = join(FIXTURES, 'encoders/albert')
    const result = await runCli(args(join(albert, 'model.safetensors'), join(albert, 'config.json'), join(parent, 'pack'), '--arch', 'ctc-d'))
    assert.equal(result.code, 2, result.stderr)
    const message = oneLine(result.stderr)
    assert.match(message, /albert encoder at prefix "albert\.": the checkpoint does not fit the model: missing tensor "_classifier\.weight" missing tensor "_classifier\.bias"/)
    assert.deepEqual(readdirSync(parent), [])
  })

  test('a D checkpoint with a config.json that does not fit is refused, naming the tensor', async () => {
    const parent = tempDir()
    const result = await runCli(args(join(roberta, 'ctc-d.pt'), join(bert, 'config.json'), join(parent, 'pack'), '--arch', 'ctc-d'))
    // The BERT config (absolute positions, 2 token types) does not fit the RoBERTa weights.
    assert.equal(result.code, 2, result.stderr)
    assert.match(oneLine(result.stderr), /tensor "_roberta\.embeddings\.token_type_embeddings\.weight" has shape \[1, 32\]; the config says \[2, 32\]/)
    assert.deepEqual(readdirSync(parent), [])
  })

  test('a checkpoint that does not exist', async () => {
    const parent = tempDir()
    const missing = join(tempDir(), 'no-such-model.bin')
    const result = await runCli(args(missing, join(roberta, 'config.json'), join(parent, 'pack'), '--arch', 'ctc-d'))
    assert.equal(result.code, 2, result.stderr)
    const message = oneLine(result.stderr)
    assert.ok(message.includes(`${missing}: no such file`), message)
    assert.deepEqual(readdirSync(parent), [], 'no pack and no staging folder left')
  })
})

describe('models convert: globals in the checkpoint', () => {
  const roberta = join(FIXTURES, 'encoders/roberta')
  const str = (text: string): number[] => [0x58, ...new Uint8Array(new Uint32Array([Buffer.byteLength(text)]).buffer), ...Buffer.from(text)]
  const global = (module: string, name: string): number[] => [0x63, ...Buffer.from(`${module}\n${name}\n`)]
  /** `{"state_dict": <the fixture's state dict>, "hyper_parameters": {"x": <payload>}}`, a Lightning-like .ckpt. */
  async function lightningCkpt(payload: number[]): Promise<string> {
    const archive = await ZipArchive.open(join(roberta, 'pytorch_model.bin'))
    const entries: Array<{name: string; data: Uint8Array}> = []
    try {
      for (const name of archive.names()) {
        const data = await archive.readAll(archive.entry(name)!)
        if (!name.endsWith('/data.pkl')) {
          entries.push({name, data})
          continue
        }

        // The original pickle without its PROTO and STOP leaves the state dict on the stack.
        assert.equal(data[0], 0x80)
        const body = data.subarray(2, data.length - 1)
        const pickled = [0x80, 2, 0x7d, 0x28, ...str('state_dict'), ...body, ...str('hyper_parameters'), 0x7d, 0x28, ...str('x'), ...payload, 0x75, 0x75, 0x2e]
        entries.push({name, data: Uint8Array.from(pickled)})
      }
    } finally {
      await archive.close()
    }

    const file = join(tempDir(), 'model.ckpt')
    await writeZip64(file, entries)
    return file
  }

  const convertArgs = (checkpoint: string, out: string) => [
    'models',
    'convert',
    ...['--checkpoint', checkpoint, '--config', join(roberta, 'config.json'), '--tokenizer', TOKENIZER.roberta, '--arch', 'ctc-d', '--out', out, '--json'],
  ]

  test('harmless unknown classes convert, named in one warning and in --json', async () => {
    const namespace = [...global('argparse', 'Namespace'), 0x29, 0x52]
    const path = [...global('pathlib', 'PosixPath'), 0x28, ...str('/data'), 0x74, 0x52]
    const checkpoint = await lightningCkpt([0x5d, 0x28, ...namespace, ...path, 0x65])
    const out = join(tempDir(), 'pack')
    const result = await runCli(convertArgs(checkpoint, out))
    assert.equal(result.code, 0, result.stderr)
    const json = JSON.parse(result.stdout) as {inertGlobals: string[]}
    assert.deepEqual(json.inertGlobals, ['argparse.Namespace', 'pathlib.PosixPath'])
    assert.match(oneLine(result.stderr), /model\.ckpt: the checkpoint references 2 classes or functions outside alignctl's tensor-rebuild list, kept as inert records and never run: argparse\.Namespace, pathlib\.PosixPath\./)
    assert.equal(result.stderr.match(/inert records/g)?.length, 1, 'one warning')
  })

  test('os.system under hyper_parameters refuses the conversion with exit 2 and writes nothing', async () => {
    const checkpoint = await lightningCkpt([...global('os', 'system'), 0x28, ...str('true'), 0x74, 0x52])
    const parent = tempDir()
    const result = await runCli(convertArgs(checkpoint, join(parent, 'pack')))
    assert.equal(result.code, 2, result.stderr)
    const {error} = JSON.parse(result.stdout) as {error: {message: string}}
    assert.match(error.message, /the pickle references os\.system \(at \["hyper_parameters"\]\["x"\] \(called\)\)/)
    assert.deepEqual(readdirSync(parent), [])
  })
})
