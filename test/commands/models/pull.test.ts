import assert from 'node:assert/strict'
import {copyFileSync, mkdirSync, readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {after, before, test} from 'node:test'

import type {PackManifest} from '../../../src/models/pack.js'
import {FIXTURES, readScoreLines, runCli, tempDir} from '../../helpers/cli.js'
import {maxAbsDiff, runGraph, type Reference} from '../../helpers/encoders.js'

// A loopback stand-in for the Hugging Face hub holding the tiny AlignScore-layout checkpoint
// under the real repository and file names that `models pull alignscore-base` asks for.
const tiny = join(FIXTURES, 'alignscore/tiny')
const files: Record<string, string> = {
  '/yzha/AlignScore/resolve/main/AlignScore-base.ckpt': join(tiny, 'AlignScore-tiny.ckpt'),
  '/FacebookAI/roberta-base/resolve/main/config.json': join(tiny, 'config.json'),
  '/FacebookAI/roberta-base/resolve/main/tokenizer.json': join(tiny, 'tokenizer.json'),
}
// The E aligner's three models, as tiny deep encoders in their hub layouts
// (scripts/fixtures/ctc_checkpoints.py): weights from the model's repository, config and
// tokenizer from its base repository, as known.ts lists them.
const ctcHub = join(FIXTURES, 'ctc-hub')
const ctcModels = [
  {name: 'ctc-e-bert', repo: 'google-bert/bert-base-uncased', fixture: 'bert-base-uncased', tokenizer: 'bert-wordpiece', architecture: 'bert', layer: 9, typeIds: true},
  {name: 'ctc-e-roberta', repo: 'FacebookAI/roberta-large', fixture: 'roberta-large', tokenizer: 'roberta-bpe', architecture: 'roberta', layer: 17, typeIds: false},
  {name: 'ctc-e-roberta-mnli', repo: 'FacebookAI/roberta-large-mnli', fixture: 'roberta-large-mnli', tokenizer: 'roberta-bpe', architecture: 'roberta', layer: 9, typeIds: false},
] as const
for (const model of ctcModels) {
  files[`/${model.repo}/resolve/main/model.safetensors`] = join(ctcHub, model.fixture, 'model.safetensors')
  files[`/${model.repo}/resolve/main/config.json`] = join(ctcHub, model.fixture, 'config.json')
  files[`/${model.repo}/resolve/main/tokenizer.json`] = join(FIXTURES, 'tokenizers', model.tokenizer, 'tokenizer.json')
}
const served: string[] = []
let server: Server
let endpoint: string

before(async () => {
  server = createServer((req, res) => {
    const file = files[req.url ?? '']
    served.push(req.url ?? '')
    if (file === undefined) return void res.writeHead(404).end()
    const body = readFileSync(file)
    res.writeHead(200, {'content-length': body.length}).end(body)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => server.close())

test('models pull downloads the checkpoint, config and tokenizer and converts them into the cache', async () => {
  const home = tempDir()
  const env = {ALIGNCTL_HOME: home, HF_ENDPOINT: endpoint}
  const pulled = await runCli(['models', 'pull', 'alignscore-base', '--json'], {env})
  assert.equal(pulled.code, 0, pulled.stderr)
  assert.deepEqual(JSON.parse(pulled.stdout), {name: 'alignscore-base', dir: join(home, 'models', 'alignscore-base')})
  // This stand-in hub sends no x-linked-etag: the unchecked files are named in one warning.
  const warning = pulled.stderr.replace(/\s*\n\s*/g, ' ')
  assert.match(warning, /alignscore-base: downloaded without a checksum to check against .*: yzha\/AlignScore\/AlignScore-base\.ckpt \(sha256 [0-9a-f]{64}\), FacebookAI\/roberta-base\/config\.json \(sha256 [0-9a-f]{64}\), FacebookAI\/roberta-base\/tokenizer\.json/)
  const verified = await runCli(['models', 'verify', 'alignscore-base', '--json'], {env})
  assert.equal(verified.code, 0, verified.stderr)
  assert.deepEqual((JSON.parse(verified.stdout) as {outputs: string[]}).outputs, ['tri_logits', 'bin_logits', 'reg'])
  const manifest = JSON.parse(readFileSync(join(home, 'models/alignscore-base/alignctl-model.json'), 'utf8')) as {source: {repo: string; files: string[]}}
  assert.equal(manifest.source.repo, 'yzha/AlignScore')
  // A second pull finds the pack and downloads nothing.
  served.length = 0
  assert.equal((await runCli(['models', 'pull', 'alignscore-base'], {env})).code, 0)
  assert.deepEqual(served, [])
})

test('the first eval with a known model pulls it, then scores as the reference does', async () => {
  const home = tempDir()
  const out = tempDir()
  const result = await runCli(['eval', '-m', 'alignscore', '-i', join(FIXTURES, 'alignscore/pairs.jsonl'), '--model', 'alignscore-base', '-o', out, '--format', 'json'], {env: {ALIGNCTL_HOME: home, HF_ENDPOINT: endpoint}})
  assert.equal(result.code, 0, result.stderr)
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'alignscore/expected.json'), 'utf8')) as {modes: {nli_sp: Record<string, {score: number}>}}
  for (const line of readScoreLines(out)) {
    assert.ok(Math.abs((line['alignscore'] as {score: number}).score - expected.modes.nli_sp[line['id'] as string]!.score) <= 1e-4)
  }
})

test('offline, pull fails with exit 3 and says how to get the model', async () => {
  const result = await runCli(['models', 'pull', 'alignscore-base'], {env: {ALIGNCTL_HOME: tempDir(), HF_ENDPOINT: 'http://127.0.0.1:9'}})
  assert.equal(result.code, 3)
  assert.match(result.stderr, /Cannot reach http:\/\/127\.0\.0\.1:9\/yzha\/AlignScore\/resolve\/main\/AlignScore-base\.ckpt/)
  assert.match(result.stderr, /alignctl models convert/)
  const unknown = await runCli(['models', 'pull', 'gpt-9'])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /Unknown model "gpt-9"\. Known models: alignscore-base/)
})

test('offline mode lists what is missing, and converts from files already in the downloads folder', async () => {
  const home = tempDir()
  const offline = await runCli(['models', 'pull', 'alignscore-base'], {env: {ALIGNCTL_HOME: home, ALIGNCTL_OFFLINE: '1', HF_ENDPOINT: endpoint}})
  assert.equal(offline.code, 2)
  assert.match(offline.stderr, /Offline \(ALIGNCTL_OFFLINE or HF_HUB_OFFLINE is set\): model "alignscore-base" is not in the cache, and these files are missing: yzha\/AlignScore\/AlignScore-base\.ckpt, FacebookAI\/roberta-base\/config\.json, FacebookAI\/roberta-base\/tokenizer\.json\./)
  assert.match(offline.stderr, new RegExp(`Copy them into ${join(home, 'downloads', 'alignscore-base').replaceAll('/', '\\/')}`))
  // With the files copied in by hand, the same command converts without any request.
  const downloads = join(home, 'downloads', 'alignscore-base')
  mkdirSync(downloads, {recursive: true})
  copyFileSync(join(tiny, 'AlignScore-tiny.ckpt'), join(downloads, 'AlignScore-base.ckpt'))
  copyFileSync(join(tiny, 'config.json'), join(downloads, 'config.json'))
  copyFileSync(join(tiny, 'tokenizer.json'), join(downloads, 'tokenizer.json'))
  served.length = 0
  const converted = await runCli(['models', 'pull', 'alignscore-base'], {env: {ALIGNCTL_HOME: home, HF_HUB_OFFLINE: '1', HF_ENDPOINT: endpoint}})
  assert.equal(converted.code, 0, converted.stderr)
  assert.deepEqual(served, [])
})

for (const model of ctcModels) {
  test(`models pull ${model.name}: hub layout in, a ctc-e pack that stops at layer ${model.layer} and records it`, async () => {
    const home = tempDir()
    const env = {ALIGNCTL_HOME: home, HF_ENDPOINT: endpoint}
    served.length = 0
    const pulled = await runCli(['models', 'pull', model.name, '--json'], {env})
    assert.equal(pulled.code, 0, pulled.stderr)
    const dir = join(home, 'models', model.name)
    assert.deepEqual(JSON.parse(pulled.stdout), {name: model.name, dir})
    assert.deepEqual(served.sort(), ['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => `/${model.repo}/resolve/main/${f}`).sort())
    const verified = await runCli(['models', 'verify', model.name, '--json'], {env})
    assert.equal(verified.code, 0, verified.stderr)
    assert.deepEqual((JSON.parse(verified.stdout) as {outputs: string[]}).outputs, ['hidden_states'])

    const manifest = JSON.parse(readFileSync(join(dir, 'alignctl-model.json'), 'utf8')) as PackManifest
    assert.equal(manifest.task, 'ctc-e')
    assert.equal(manifest.layer, model.layer)
    assert.equal(manifest.architecture, model.architecture)
    assert.equal(manifest.maxLength, 512)
    assert.equal(manifest.source.repo, model.repo)
    assert.deepEqual(manifest.source.files, ['model.safetensors', 'config.json', 'tokenizer.json'].map((f) => `${model.repo}/${f}`))
    assert.deepEqual(manifest.inputs.map((i) => i.name), ['input_ids', 'attention_mask', ...(model.typeIds ? ['token_type_ids'] : [])])
    assert.deepEqual(manifest.outputs, [{name: 'hidden_states', type: 'float32', dims: ['batch', 'sequence', 8]}])

    // The graph gives the PyTorch forward pass's hidden_states[layer] (the heads and the rest of the layers are not in it).
    const reference = JSON.parse(readFileSync(join(ctcHub, model.fixture, 'reference.json'), 'utf8')) as Reference & {layer: number}
    assert.equal(reference.layer, model.layer)
    const results = await runGraph(join(dir, 'model.onnx'), reference.inputs)
    const want = reference.outputs[`hidden_states.${model.layer}`]!
    assert.deepEqual([...results['hidden_states']!.dims], want.shape)
    assert.ok(maxAbsDiff(results['hidden_states']!.data, want.data) <= 1e-4)
  })
}
