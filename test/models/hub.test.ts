import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {after, before, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {downloadHubFile, resolveUrl} from '../../src/models/hub.js'
import {tempDir} from '../helpers/cli.js'

// A loopback stand-in for the hub: `resolve` redirects to a "CDN" path with x-linked-etag,
// which serves bytes with Range support; one file drops the connection half-way once.
const body = Buffer.from(Array.from({length: 200_000}, (_, i) => i % 251))
const sha = createHash('sha256').update(body).digest('hex')
const requests: Array<{url: string; range?: string; auth?: string}> = []
/** Awaited before the flaky download's connection is dropped. */
let beforeDrop: (() => Promise<void>) | undefined
let dropOnce = true
let server: Server
let endpoint: string

function handle(req: IncomingMessage, res: ServerResponse) {
  requests.push({url: req.url ?? '', ...(req.headers.range ? {range: req.headers.range} : {}), ...(req.headers.authorization ? {auth: req.headers.authorization} : {})})
  const url = req.url ?? ''
  if (url.startsWith('/org/private/')) {
    if (req.headers.authorization !== 'Bearer secret') return void res.writeHead(401).end()
  }
  const resolve = /^\/org\/(public|private|flaky)\/resolve\/main\/(.+)$/.exec(url)
  if (resolve) {
    if (resolve[2] !== 'model.bin') return void res.writeHead(404).end()
    return void res.writeHead(302, {location: `/cdn/${resolve[1]}`, 'x-linked-etag': `"${sha}"`}).end()
  }
  if (url.startsWith('/cdn/')) {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    const start = range ? Number(range[1]) : 0
    const slice = body.subarray(start)
    res.writeHead(range ? 206 : 200, {'content-length': slice.length, ...(range ? {'content-range': `bytes ${start}-${body.length - 1}/${body.length}`} : {})})
    if (url === '/cdn/flaky' && dropOnce) {
      dropOnce = false
      // Drop the connection only once the client has written what arrived: a reset with data
      // still unread would discard it, and on a loaded machine a fixed delay is not enough.
      res.write(slice.subarray(0, 70_000), () => void (beforeDrop?.() ?? new Promise((r) => setTimeout(r, 200))).then(() => res.destroy()))
      return
    }
    return void res.end(slice)
  }
  res.writeHead(404).end()
}

before(async () => {
  server = createServer(handle)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => server.close())

test('hub URLs follow the resolve layout', () => {
  assert.equal(resolveUrl({repo: 'yzha/AlignScore', file: 'AlignScore-base.ckpt'}, 'https://hub.example/'), 'https://hub.example/yzha/AlignScore/resolve/main/AlignScore-base.ckpt')
  assert.equal(resolveUrl({repo: 'roberta-base', file: 'a b/c.json', revision: 'v1'}), 'https://huggingface.co/roberta-base/resolve/v1/a%20b/c.json')
})

test('a download follows the redirect, checks the linked sha256 and lands whole', async () => {
  const target = join(tempDir(), 'model.bin')
  const progress: number[] = []
  const result = await downloadHubFile({repo: 'org/public', file: 'model.bin'}, target, {endpoint, onProgress: (n) => progress.push(n)})
  assert.deepEqual(result, {sha256: sha, size: body.length, checkedAgainst: 'hub-sha256'})
  assert.deepEqual(readFileSync(target), body)
  assert.equal(progress.at(-1), body.length)
  assert.equal(existsSync(`${target}.partial`), false)
})

/** Until `target`'s partial file has bytes (at most 20 s): then the flaky server may drop its connection. */
function dropOnceWritten(target: string): void {
  beforeDrop = async () => {
    for (let waited = 0; waited < 20_000 && !(existsSync(`${target}.partial`) && statSync(`${target}.partial`).size > 0); waited += 20) await new Promise((r) => setTimeout(r, 20))
    beforeDrop = undefined
  }
}

test('an interrupted download resumes with a Range request', async () => {
  const target = join(tempDir(), 'model.bin')
  dropOnceWritten(target)
  await assert.rejects(downloadHubFile({repo: 'org/flaky', file: 'model.bin'}, target, {endpoint, retryDelaysMs: []}))
  const kept = readFileSync(`${target}.partial`).length
  assert.ok(kept > 0 && kept <= 70_000, `kept ${kept} bytes`)
  requests.length = 0
  await downloadHubFile({repo: 'org/flaky', file: 'model.bin'}, target, {endpoint})
  assert.deepEqual(readFileSync(target), body)
  assert.equal(requests.find((r) => r.url === '/cdn/flaky')?.range, `bytes=${kept}-`)
})

test('a dropped connection is retried at once, resuming with a Range request', async () => {
  dropOnce = true
  const target = join(tempDir(), 'model.bin')
  dropOnceWritten(target)
  requests.length = 0
  await downloadHubFile({repo: 'org/flaky', file: 'model.bin'}, target, {endpoint, retryDelaysMs: [10]})
  assert.deepEqual(readFileSync(target), body)
  const cdn = requests.filter((r) => r.url === '/cdn/flaky')
  assert.equal(cdn.length, 2)
  assert.match(cdn[1]?.range ?? '', /^bytes=\d+-$/)
})

test('the token authorises private repos and is not sent past a redirect to another host', async () => {
  const target = join(tempDir(), 'model.bin')
  await assert.rejects(downloadHubFile({repo: 'org/private', file: 'model.bin'}, target, {endpoint}), (e: AlignctlError) => e.exitCode === ExitCode.runtime && /access denied \(HTTP 401\)/.test(e.message) && /HF_TOKEN/.test(e.suggestions.join()))
  requests.length = 0
  await downloadHubFile({repo: 'org/private', file: 'model.bin'}, target, {endpoint, token: 'secret'})
  assert.equal(requests[0]?.auth, 'Bearer secret')
})

test('a wrong sha256 discards the download; a missing file and an unreachable host say so', async () => {
  const dir = tempDir()
  await assert.rejects(downloadHubFile({repo: 'org/public', file: 'model.bin', sha256: '0'.repeat(64)}, join(dir, 'm.bin'), {endpoint}), /checksum mismatch \(sha256 pinned by alignctl: expected 0{64}, got [0-9a-f]{64}\); the download was discarded/)
  assert.equal(existsSync(join(dir, 'm.bin.partial')), false)
  assert.equal(existsSync(join(dir, 'm.bin')), false)
  await assert.rejects(downloadHubFile({repo: 'org/public', file: 'other.bin'}, join(dir, 'o.bin'), {endpoint}), /not found \(HTTP 404\)/)
  await assert.rejects(downloadHubFile({repo: 'org/public', file: 'model.bin'}, join(dir, 'x.bin'), {endpoint: 'http://127.0.0.1:9'}), /Cannot reach http:\/\/127\.0\.0\.1:9\//)
})

test('a complete partial file is verified and moved into place without a new download', async () => {
  const target = join(tempDir(), 'model.bin')
  writeFileSync(`${target}.partial`, body)
  await downloadHubFile({repo: 'org/public', file: 'model.bin', sha256: sha}, target, {endpoint})
  assert.deepEqual(readFileSync(target), body)
})
