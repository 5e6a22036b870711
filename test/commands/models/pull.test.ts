import assert from 'node:assert/strict'
import {copyFileSync, mkdirSync, readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {after, before, test} from 'node:test'

import {FIXTURES, readScoreLines, runCli, tempDir} from '../../helpers/cli.js'

// A loopback stand-in for the Hugging Face hub holding the tiny AlignScore-layout checkpoint
// under the real repository and file names that `models pull alignscore-base` asks for.
const tiny = join(FIXTURES, 'alignscore/tiny')
const files: Record<string, string> = {
  '/yzha/AlignScore/resolve/main/AlignScore-base.ckpt': join(tiny, 'AlignScore-tiny.ckpt'),
  '/FacebookAI/roberta-base/resolve/main/config.json': join(tiny, 'config.json'),
  '/FacebookAI/roberta-base/resolve/main/tokenizer.json': join(tiny, 'tokenizer.json'),
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
