import assert from 'node:assert/strict'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {KNOWN_MODELS, knownModel} from '../../../src/models/known.js'
import type {PackManifest} from '../../../src/models/pack.js'
import {FIXTURES, readScoreLines, runCli, tempDir} from '../../helpers/cli.js'
import {maxAbsDiff, runGraph, type Reference} from '../../helpers/encoders.js'

// A loopback stand-in for the Hugging Face hub holding the tiny AlignScore-layout checkpoint
// under the real repository, commit and file names that `models pull alignscore-large` asks
// for. (alignscore-base pins its checkpoint's sha256, which the tiny one cannot match: that
// pull is refused, as tested below.) They are served under /as, HF_ENDPOINT=<server>/as, since
// the E aligner's tiny roberta-large config.json sits at the same repository path.
const tiny = join(FIXTURES, 'alignscore/tiny')
const at = (repo: string, revision: string, file: string) => `/${repo}/resolve/${revision}/${file}`
const large = knownModel('alignscore-large')
const base = knownModel('alignscore-base')
const AS = '/as'
const files: Record<string, string> = {
  [AS + at(large.weights.repo, large.weights.revision, large.weights.file)]: join(tiny, 'AlignScore-tiny.ckpt'),
  [AS + at(large.base.repo, large.base.revision, 'config.json')]: join(tiny, 'config.json'),
  [AS + at(large.base.repo, large.base.revision, 'tokenizer.json')]: join(tiny, 'tokenizer.json'),
  [AS + at(base.weights.repo, base.weights.revision, base.weights.file)]: join(tiny, 'AlignScore-tiny.ckpt'),
  [AS + at(base.base.repo, base.base.revision, 'config.json')]: join(tiny, 'config.json'),
  [AS + at(base.base.repo, base.base.revision, 'tokenizer.json')]: join(tiny, 'tokenizer.json'),
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
  const {revision} = knownModel(model.name).weights
  files[at(model.repo, revision, 'model.safetensors')] = join(ctcHub, model.fixture, 'model.safetensors')
  files[at(model.repo, revision, 'config.json')] = join(ctcHub, model.fixture, 'config.json')
  files[at(model.repo, revision, 'tokenizer.json')] = join(FIXTURES, 'tokenizers', model.tokenizer, 'tokenizer.json')
}
/** Paths served as something else: a path to a body, for hostile tests. */
const overrides = new Map<string, (res: ServerResponse) => void>()
const served: string[] = []
let server: Server
let endpoint: string
/** Where the AlignScore files are: {@link AS}. */
let alignscoreEndpoint: string

before(async () => {
  server = createServer((req, res) => {
    const file = files[req.url ?? '']
    served.push(req.url ?? '')
    const override = overrides.get(req.url ?? '')
    if (override !== undefined) return override(res)
    if (file === undefined) return void res.writeHead(404).end()
    const body = readFileSync(file)
    res.writeHead(200, {'content-length': body.length}).end(body)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  alignscoreEndpoint = endpoint + AS
})
after(() => server.close())

test('models pull downloads the checkpoint, config and tokenizer and converts them into the cache', async () => {
  const home = tempDir()
  const env = {ALIGNCTL_HOME: home, HF_ENDPOINT: alignscoreEndpoint}
  const pulled = await runCli(['models', 'pull', 'alignscore-large', '--json'], {env})
  assert.equal(pulled.code, 0, pulled.stderr)
  assert.deepEqual(JSON.parse(pulled.stdout), {name: 'alignscore-large', dir: join(home, 'models', 'alignscore-large')})
  // This stand-in hub sends no checksum: the unchecked files are named in one warning.
  const warning = pulled.stderr.replace(/\s*\n\s*/g, ' ')
  assert.match(warning, /alignscore-large: no checksum to check these files against .*: yzha\/AlignScore\/AlignScore-large\.ckpt \(sha256 [0-9a-f]{64}\), FacebookAI\/roberta-large\/config\.json \(sha256 [0-9a-f]{64}\), FacebookAI\/roberta-large\/tokenizer\.json/)
  const verified = await runCli(['models', 'verify', 'alignscore-large', '--json'], {env})
  assert.equal(verified.code, 0, verified.stderr)
  assert.deepEqual((JSON.parse(verified.stdout) as {outputs: string[]}).outputs, ['tri_logits', 'bin_logits', 'reg'])
  const manifest = JSON.parse(readFileSync(join(home, 'models/alignscore-large/alignctl-model.json'), 'utf8')) as {source: {repo: string; files: string[]}}
  assert.equal(manifest.source.repo, 'yzha/AlignScore')
  // A second pull finds the pack and downloads nothing.
  served.length = 0
  assert.equal((await runCli(['models', 'pull', 'alignscore-large'], {env})).code, 0)
  assert.deepEqual(served, [])
})

test('the first eval with a known model pulls it, then scores as the reference does', async () => {
  const home = tempDir()
  const out = tempDir()
  const result = await runCli(['eval', '-m', 'alignscore', '-i', join(FIXTURES, 'alignscore/pairs.jsonl'), '--model', 'alignscore-large', '-o', out, '--format', 'json'], {env: {ALIGNCTL_HOME: home, HF_ENDPOINT: alignscoreEndpoint}})
  assert.equal(result.code, 0, result.stderr)
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'alignscore/expected.json'), 'utf8')) as {modes: {nli_sp: Record<string, {score: number}>}}
  for (const line of readScoreLines(out)) {
    assert.ok(Math.abs((line['alignscore'] as {score: number}).score - expected.modes.nli_sp[line['id'] as string]!.score) <= 1e-4)
  }
})

test('offline, pull fails with exit 3 and says how to get the model', async () => {
  const result = await runCli(['models', 'pull', 'alignscore-large'], {env: {ALIGNCTL_HOME: tempDir(), HF_ENDPOINT: 'http://127.0.0.1:9'}})
  assert.equal(result.code, 3)
  assert.match(result.stderr, /Cannot reach http:\/\/127\.0\.0\.1:9\/yzha\/AlignScore\/resolve\/8509e78d25bb914939fc585c626500c9b2944249\/AlignScore-large\.ckpt/)
  assert.match(result.stderr, /alignctl models convert/)
  const unknown = await runCli(['models', 'pull', 'gpt-9'])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /Unknown model "gpt-9"\. Known models: alignscore-base/)
})

test('offline mode lists what is missing, and converts from files already in the downloads folder', async () => {
  const home = tempDir()
  const offline = await runCli(['models', 'pull', 'alignscore-large'], {env: {ALIGNCTL_HOME: home, ALIGNCTL_OFFLINE: '1', HF_ENDPOINT: alignscoreEndpoint}})
  assert.equal(offline.code, 2)
  assert.match(offline.stderr, /Offline \(ALIGNCTL_OFFLINE or HF_HUB_OFFLINE is set\): model "alignscore-large" is not in the cache, and these files are missing: yzha\/AlignScore\/AlignScore-large\.ckpt, FacebookAI\/roberta-large\/config\.json, FacebookAI\/roberta-large\/tokenizer\.json\./)
  assert.match(offline.stderr, new RegExp(`Copy them into ${join(home, 'downloads', 'alignscore-large').replaceAll('/', '\\/')}`))
  // With the files copied in by hand, the same command converts without any request.
  const downloads = join(home, 'downloads', 'alignscore-large')
  mkdirSync(downloads, {recursive: true})
  copyFileSync(join(tiny, 'AlignScore-tiny.ckpt'), join(downloads, 'AlignScore-large.ckpt'))
  copyFileSync(join(tiny, 'config.json'), join(downloads, 'config.json'))
  copyFileSync(join(tiny, 'tokenizer.json'), join(downloads, 'tokenizer.json'))
  served.length = 0
  const converted = await runCli(['models', 'pull', 'alignscore-large'], {env: {ALIGNCTL_HOME: home, HF_HUB_OFFLINE: '1', HF_ENDPOINT: alignscoreEndpoint}})
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
    assert.deepEqual(served.sort(), ['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => at(model.repo, knownModel(model.name).weights.revision, f)).sort())
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

describe('integrity of known models', () => {
  const oneLine = (stderr: string) => stderr.replace(/\s*\n\s*›?\s*/g, ' ')

  test('every known model pins a commit; alignscore-base pins its checkpoint\'s sha256, and a hub serving other bytes is refused', async () => {
    for (const model of KNOWN_MODELS) {
      assert.match(model.weights.revision, /^[0-9a-f]{40}$/, model.name)
      assert.match(model.base.revision, /^[0-9a-f]{40}$/, model.name)
    }
    const home = tempDir()
    const pulled = await runCli(['models', 'pull', 'alignscore-base'], {env: {ALIGNCTL_HOME: home, HF_ENDPOINT: alignscoreEndpoint}})
    assert.equal(pulled.code, 3, pulled.stderr)
    assert.match(oneLine(pulled.stderr), /AlignScore-base\.ckpt: checksum mismatch \(sha256 pinned by alignctl: expected 6aedb637f0596ab29baef91e94466a57f032e02feea654978518919fe0981607, got [0-9a-f]{64}\); the download was discarded/)
    assert.deepEqual(readdirSync(join(home, 'downloads', 'alignscore-base')), [], 'nothing kept')
  })

  test('a corrupt cached download is named by models verify and fetched again by models pull --force', async () => {
    const home = tempDir()
    const env = {ALIGNCTL_HOME: home, HF_ENDPOINT: alignscoreEndpoint}
    assert.equal((await runCli(['models', 'pull', 'alignscore-large'], {env})).code, 0)
    const downloads = join(home, 'downloads', 'alignscore-large')
    const record = JSON.parse(readFileSync(join(downloads, 'downloads.json'), 'utf8')) as {files: Record<string, {sha256: string; size: number; checkedAgainst: string}>}
    assert.deepEqual(Object.keys(record.files).sort(), ['AlignScore-large.ckpt', 'config.json', 'tokenizer.json'])
    assert.equal(record.files['config.json']!.checkedAgainst, 'none')
    const ok = await runCli(['models', 'verify', 'alignscore-large', '--json'], {env})
    assert.equal(ok.code, 0, ok.stderr)
    assert.equal((JSON.parse(ok.stdout) as {downloads: string[]}).downloads.length, 3)

    // Same size, one byte changed: only the recorded sha256 can tell.
    const config = join(downloads, 'config.json')
    const bytes = readFileSync(config)
    bytes[bytes.indexOf(0x7d)] = 0x20
    writeFileSync(config, bytes)
    const damaged = await runCli(['models', 'verify', 'alignscore-large'], {env})
    assert.equal(damaged.code, 2, damaged.stderr)
    const message = oneLine(damaged.stderr)
    assert.ok(message.includes(`${config}: the cached download of FacebookAI/roberta-large/config.json is damaged: sha256 `), message)
    assert.match(message, /alignctl models pull alignscore-large --force/)

    // A checkpoint cut short: its zip directory is gone.
    const checkpoint = join(downloads, 'AlignScore-large.ckpt')
    writeFileSync(checkpoint, readFileSync(checkpoint).subarray(0, 5000))
    writeFileSync(config, readFileSync(join(tiny, 'config.json')))
    const cut = await runCli(['models', 'verify', 'alignscore-large'], {env})
    assert.equal(cut.code, 2)
    assert.match(oneLine(cut.stderr), /AlignScore-large\.ckpt: the cached download of yzha\/AlignScore\/AlignScore-large\.ckpt is damaged: 5000 bytes where \d+ were downloaded/)

    served.length = 0
    const forced = await runCli(['models', 'pull', 'alignscore-large', '--force'], {env})
    assert.equal(forced.code, 0, forced.stderr)
    assert.equal(served.length, 3, 'every file downloaded again')
    assert.equal((await runCli(['models', 'verify', 'alignscore-large'], {env})).code, 0)
  })

  test('a damaged cached file is downloaded again by a plain pull, with a warning naming it', async () => {
    const home = tempDir()
    const env = {ALIGNCTL_HOME: home, HF_ENDPOINT: alignscoreEndpoint}
    assert.equal((await runCli(['models', 'pull', 'alignscore-large'], {env})).code, 0)
    const tokenizer = join(home, 'downloads', 'alignscore-large', 'tokenizer.json')
    writeFileSync(tokenizer, '{"truncated": ')
    rmSync(join(home, 'models', 'alignscore-large'), {recursive: true})
    served.length = 0
    const again = await runCli(['models', 'pull', 'alignscore-large'], {env})
    assert.equal(again.code, 0, again.stderr)
    assert.ok(oneLine(again.stderr).includes(`${tokenizer} is damaged (`), again.stderr)
    assert.deepEqual(served, [AS + at(large.base.repo, large.base.revision, 'tokenizer.json')])
  })

  test('a config.json of hundreds of MB is refused before it is read', async () => {
    const home = tempDir()
    const path = AS + at(large.base.repo, large.base.revision, 'config.json')
    overrides.set(path, (res) => void res.writeHead(200, {'content-length': 300 * 1024 * 1024}).end())
    try {
      const result = await runCli(['models', 'pull', 'alignscore-large'], {env: {ALIGNCTL_HOME: home, HF_ENDPOINT: alignscoreEndpoint}})
      assert.equal(result.code, 3, result.stderr)
      assert.match(oneLine(result.stderr), /config\.json: the file has 300\.0 MiB \(314572800 bytes\), more than the 10\.0 MiB \(10485760 bytes\) such a file can hold; alignctl refused it/)
    } finally {
      overrides.delete(path)
    }
  })
})
