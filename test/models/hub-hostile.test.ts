// Hostile and unlucky hubs on loopback servers started here: where HF_TOKEN may travel, servers
// that accept and never answer or trickle bytes, transient errors retried with backoff, and a
// 206 reply for the wrong range.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {join} from 'node:path'
import {after, afterEach, describe, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {downloadHubFile, downloadTimeouts, tokenWithheldReason, type DownloadTimeouts} from '../../src/models/hub.js'
import {tempDir} from '../helpers/cli.js'
import {setWriteFault} from '../helpers/write-faults.mjs'

const body = Buffer.from(Array.from({length: 5000}, (_, i) => i % 251))
const sha = createHash('sha256').update(body).digest('hex')

interface Seen {
  url: string
  auth?: string
  range?: string
}

const servers: Server[] = []
const sockets = new Set<Socket>()
after(() => {
  for (const socket of sockets) socket.destroy()
  for (const server of servers) server.close()
})

/** A loopback server; `seen` records each request's path and Authorization header. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1'): Promise<{base: string; port: number; seen: Seen[]}> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    seen.push({url: req.url ?? '', ...(req.headers.authorization ? {auth: req.headers.authorization} : {}), ...(req.headers.range ? {range: req.headers.range} : {})})
    handler(req, res)
  })
  server.on('connection', (socket) => sockets.add(socket))
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, host, done))
  const {port} = server.address() as AddressInfo
  return {base: `http://${host}:${port}`, port, seen}
}

const fast: DownloadTimeouts = {connectMs: 2000, headersMs: 300, idleMs: 300, lowSpeedBytes: 1024, lowSpeedWindowMs: 600}
const file = {repo: 'org/m', file: 'model.bin'}
const runtimeFailure = (pattern: RegExp) => (error: AlignctlError) => error.exitCode === ExitCode.runtime && pattern.test(error.message)

describe('HF_TOKEN goes only to the endpoint, over https (or loopback http)', () => {
  test('the policy: plain http, scheme downgrades, other hosts and ports are refused', () => {
    const origin = new URL('https://huggingface.co/org/m/resolve/main/model.bin')
    assert.equal(tokenWithheldReason(origin, origin), undefined)
    assert.equal(tokenWithheldReason(new URL('https://huggingface.co:443/other'), origin), undefined)
    assert.match(tokenWithheldReason(new URL('http://huggingface.co/org/m'), origin) ?? '', /plain http/)
    assert.match(tokenWithheldReason(new URL('http://mirror.example/x'), new URL('http://mirror.example/')) ?? '', /mirror\.example is reached over plain http/)
    assert.match(tokenWithheldReason(new URL('https://cdn-lfs.huggingface.co/x'), origin) ?? '', /another host or port \(cdn-lfs\.huggingface\.co\)/)
    assert.match(tokenWithheldReason(new URL('https://huggingface.co:8443/x'), origin) ?? '', /another host or port/)
    assert.match(tokenWithheldReason(new URL('http://localhost/x'), new URL('https://localhost/')) ?? '', /from https to http/)
    assert.equal(tokenWithheldReason(new URL('http://127.0.0.1:8000/x'), new URL('http://127.0.0.1:8000/')), undefined)
  })

  test('a redirect to another port or another host name gets no token', async () => {
    const cdn = await serve((_req, res) => void res.writeHead(200, {'content-length': body.length}).end(body))
    const hub = await serve((req, res) => {
      const to = req.url?.includes('/byname/') ? `http://localhost:${cdn.port}/cdn` : `${cdn.base}/cdn`
      res.writeHead(302, {location: to, 'x-linked-etag': `"${sha}"`}).end()
    })
    await downloadHubFile({repo: 'org/byport', file: 'model.bin'}, join(tempDir(), 'a.bin'), {endpoint: hub.base, token: 'secret', timeouts: fast})
    await downloadHubFile({repo: 'org/byname', file: 'model.bin'}, join(tempDir(), 'b.bin'), {endpoint: hub.base, token: 'secret', timeouts: fast})
    assert.deepEqual(hub.seen.map((s) => s.auth), ['Bearer secret', 'Bearer secret'])
    assert.deepEqual(cdn.seen.map((s) => s.auth), [undefined, undefined])
  })

  test('an endpoint over plain http (not loopback) never gets the token, and a 401 says why', async () => {
    // 127.0.0.2 is this machine too, but not the loopback name the policy trusts with plain http.
    const hub = await serve((_req, res) => void res.writeHead(401).end(), '127.0.0.2')
    await assert.rejects(
      downloadHubFile(file, join(tempDir(), 'c.bin'), {endpoint: hub.base, token: 'secret', timeouts: fast, retryDelaysMs: []}),
      runtimeFailure(/access denied \(HTTP 401\)\. HF_TOKEN was not sent: 127\.0\.0\.2:\d+ is reached over plain http/),
    )
    assert.deepEqual(hub.seen.map((s) => s.auth), [undefined])
  })
})

describe('timeouts', () => {
  test('defaults follow the hub client (10 s); HF_HUB_DOWNLOAD_TIMEOUT and the flag override them', () => {
    assert.deepEqual(downloadTimeouts(undefined, {}), {connectMs: 10_000, headersMs: 10_000, idleMs: 10_000, lowSpeedBytes: 1024, lowSpeedWindowMs: 15_000})
    assert.equal(downloadTimeouts(undefined, {HF_HUB_DOWNLOAD_TIMEOUT: '30'}).headersMs, 30_000)
    assert.equal(downloadTimeouts(5, {HF_HUB_DOWNLOAD_TIMEOUT: '30'}).idleMs, 5000)
    assert.throws(() => downloadTimeouts(undefined, {HF_HUB_DOWNLOAD_TIMEOUT: 'soon'}), (e: AlignctlError) => e.exitCode === ExitCode.usage && /HF_HUB_DOWNLOAD_TIMEOUT="soon"/.test(e.message))
  })

  test('a server that accepts and never answers fails with exit 3, naming the host, after the retries', async () => {
    const silent = await serve(() => undefined)
    const started = Date.now()
    await assert.rejects(
      downloadHubFile(file, join(tempDir(), 'd.bin'), {endpoint: silent.base, timeouts: fast, retryDelaysMs: [10, 10]}),
      runtimeFailure(new RegExp(`127\\.0\\.0\\.1:${silent.port} accepted the connection but sent no response within 0\\.3 s`)),
    )
    assert.equal(silent.seen.length, 3, 'tried three times')
    assert.ok(Date.now() - started < 5000)
  })

  test('a body that stalls fails on the idle limit; one that trickles fails on the low-speed limit', async () => {
    const stall = await serve((_req, res) => {
      res.writeHead(200, {'content-length': body.length})
      res.write(body.subarray(0, 100))
    })
    await assert.rejects(
      downloadHubFile(file, join(tempDir(), 'e.bin'), {endpoint: stall.base, timeouts: fast, retryDelaysMs: []}),
      runtimeFailure(new RegExp(`broke off after 100 bytes \\(127\\.0\\.0\\.1:${stall.port} sent nothing for 0\\.3 s\\)`)),
    )

    const trickle = await serve((_req, res) => {
      res.writeHead(200, {'content-length': body.length})
      let at = 0
      const timer = setInterval(() => {
        if (res.destroyed || at >= body.length) return clearInterval(timer)
        res.write(body.subarray(at, ++at))
      }, 50)
    })
    await assert.rejects(
      downloadHubFile(file, join(tempDir(), 'f.bin'), {endpoint: trickle.base, timeouts: fast, retryDelaysMs: []}),
      runtimeFailure(new RegExp(`127\\.0\\.0\\.1:${trickle.port} sent only \\d+ bytes in 0\\.6 s`)),
    )
  })
})

describe('retries', () => {
  test('HTTP 503 twice, then the file: retried with backoff and completed', async () => {
    let failures = 2
    const hub = await serve((_req, res) => {
      if (failures-- > 0) return void res.writeHead(503).end()
      res.writeHead(200, {'content-length': body.length}).end(body)
    })
    const target = join(tempDir(), 'g.bin')
    const started = Date.now()
    assert.equal((await downloadHubFile({...file, sha256: sha}, target, {endpoint: hub.base, timeouts: fast, retryDelaysMs: [50, 100]})).sha256, sha)
    assert.ok(Date.now() - started >= 150, 'waited between tries')
    assert.equal(hub.seen.length, 3)
    assert.deepEqual(readFileSync(target), body)
  })

  test('a 404 and a 401 are not retried', async () => {
    const hub = await serve((req, res) => void res.writeHead(req.url?.includes('/secret/') ? 401 : 404).end())
    await assert.rejects(downloadHubFile(file, join(tempDir(), 'h.bin'), {endpoint: hub.base, timeouts: fast, retryDelaysMs: [10, 10]}), /HTTP 404/)
    await assert.rejects(downloadHubFile({repo: 'org/secret', file: 'x'}, join(tempDir(), 'i.bin'), {endpoint: hub.base, timeouts: fast, retryDelaysMs: [10, 10]}), /HTTP 401/)
    assert.equal(hub.seen.length, 2)
  })

  test('a 206 for a range other than the one asked for makes the download start again from byte 0', async () => {
    const hub = await serve((_req, res) => void res.writeHead(206, {'content-range': `bytes 0-${body.length - 1}/${body.length}`, 'content-length': body.length}).end(body))
    const target = join(tempDir(), 'j.bin')
    // The kept bytes are wrong too: appending the reply to them would make a corrupt file.
    writeFileSync(`${target}.partial`, Buffer.alloc(1000, 0xff))
    const result = await downloadHubFile({...file, sha256: sha}, target, {endpoint: hub.base, timeouts: fast, retryDelaysMs: []})
    assert.equal(result.sha256, sha)
    assert.deepEqual(hub.seen.map((s) => s.range), ['bytes=1000-', undefined])
    assert.deepEqual(readFileSync(target), body)
    assert.equal(existsSync(`${target}.partial`), false)
  })

  test('a 206 whose range stops short of the end is not taken as the rest of the file', async () => {
    const hub = await serve((req, res) => {
      if (req.headers.range) return void res.writeHead(206, {'content-range': `bytes 1000-1999/${body.length}`, 'content-length': 1000}).end(body.subarray(1000, 2000))
      res.writeHead(200, {'content-length': body.length}).end(body)
    })
    const target = join(tempDir(), 'j2.bin')
    writeFileSync(`${target}.partial`, body.subarray(0, 1000))
    await downloadHubFile({...file, sha256: sha}, target, {endpoint: hub.base, timeouts: fast, retryDelaysMs: []})
    assert.deepEqual(readFileSync(target), body)
  })
})

describe('a full disk during a download', () => {
  afterEach(() => setWriteFault(null))

  test('exit 3 naming the file and the fix, no retry, and the bytes so far kept for a resume', async () => {
    const hub = await serve((req, res) => {
      const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0)
      res.writeHead(start > 0 ? 206 : 200, {'content-length': body.length - start, ...(start > 0 ? {'content-range': `bytes ${start}-${body.length - 1}/${body.length}`} : {})}).end(body.subarray(start))
    })
    const target = join(tempDir(), 'full.bin')
    setWriteFault({match: 'full\\.bin\\.partial$', afterBytes: 2000, code: 'ENOSPC'})
    await assert.rejects(downloadHubFile({...file, sha256: sha}, target, {endpoint: hub.base, timeouts: fast, retryDelaysMs: [10, 10]}), (error: AlignctlError) => {
      assert.equal(error.exitCode, ExitCode.runtime)
      assert.equal(error.message, `${target}.partial: cannot write the download of org/m/model.bin: the disk is full (ENOSPC).`)
      assert.match(error.suggestions[0]!, /^Free some space on that disk, or set ALIGNCTL_HOME to a folder on another disk; the part downloaded so far is kept/)
      return true
    })
    assert.equal(hub.seen.length, 1, 'not retried')
    const kept = readFileSync(`${target}.partial`)
    assert.ok(kept.length > 0 && kept.length <= 2000)
    assert.deepEqual(kept, body.subarray(0, kept.length))

    setWriteFault(null)
    await downloadHubFile({...file, sha256: sha}, target, {endpoint: hub.base, timeouts: fast})
    assert.equal(hub.seen[1]?.range, `bytes=${kept.length}-`)
    assert.deepEqual(readFileSync(target), body)
  })
})

describe("the hub's own checksums", () => {
  /** git's object id of `bytes`. */
  const gitSha1 = (bytes: Buffer) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')

  test("a small file is checked against the hub's ETag, its git blob sha1", async () => {
    const good = await serve((_req, res) => void res.writeHead(200, {'content-length': body.length, etag: `"${gitSha1(body)}"`}).end(body))
    const result = await downloadHubFile(file, join(tempDir(), 'e.bin'), {endpoint: good.base, timeouts: fast})
    assert.deepEqual(result, {sha256: sha, size: body.length, checkedAgainst: 'hub-git-sha1'})
    const bad = await serve((_req, res) => void res.writeHead(200, {'content-length': body.length, etag: `"${'1'.repeat(40)}"`}).end(body))
    const target = join(tempDir(), 'f.bin')
    await assert.rejects(downloadHubFile(file, target, {endpoint: bad.base, timeouts: fast}), runtimeFailure(/checksum mismatch \(git blob sha1 from the hub's ETag: expected 1{40}, got [0-9a-f]{40}\)/))
    assert.equal(existsSync(target), false)
    assert.equal(existsSync(`${target}.partial`), false)
  })

  test("a CDN's ETag after a redirect to another host is not taken for the file's checksum", async () => {
    const cdn = await serve((_req, res) => void res.writeHead(200, {'content-length': body.length, etag: `"${'2'.repeat(64)}"`}).end(body))
    const hub = await serve((_req, res) => void res.writeHead(302, {location: `${cdn.base}/blob`, 'x-linked-etag': `"${sha}"`}).end())
    const result = await downloadHubFile(file, join(tempDir(), 'c.bin'), {endpoint: hub.base, timeouts: fast})
    assert.equal(result.checkedAgainst, 'hub-sha256')
    const unchecked: string[] = []
    const plain = await serve((_req, res) => void res.writeHead(302, {location: `${cdn.base}/blob`}).end())
    const alone = await downloadHubFile(file, join(tempDir(), 'd.bin'), {endpoint: plain.base, timeouts: fast, onUnverified: (digest) => unchecked.push(digest)})
    assert.equal(alone.checkedAgainst, 'none')
    assert.deepEqual(unchecked, [sha])
  })
})

describe('size bounds and unchecked files', () => {
  test('a file larger than maxBytes is refused, declared or not, and nothing is kept', async () => {
    const declared = await serve((_req, res) => void res.writeHead(200, {'content-length': 300 * 1024 * 1024}).end())
    const target = join(tempDir(), 'config.json')
    await assert.rejects(
      downloadHubFile({repo: 'org/m', file: 'config.json'}, target, {endpoint: declared.base, timeouts: fast, maxBytes: 16 * 1024 * 1024, retryDelaysMs: [10]}),
      runtimeFailure(/config\.json: the file has 300\.0 MiB \(314572800 bytes\), more than the 16\.0 MiB \(16777216 bytes\) such a file can hold/),
    )
    assert.equal(declared.seen.length, 1, 'not retried')

    const chunked = await serve((_req, res) => {
      res.writeHead(200)
      res.write(Buffer.alloc(3000))
      res.end(Buffer.alloc(3000))
    })
    await assert.rejects(downloadHubFile({repo: 'org/m', file: 'config.json'}, target, {endpoint: chunked.base, timeouts: fast, maxBytes: 4000, retryDelaysMs: [10]}), /more than the 4000 bytes such a file can hold/)
    assert.equal(existsSync(`${target}.partial`), false)
    assert.equal(existsSync(target), false)
  })

  test('a file with nothing to check it against is reported; a checked one is not', async () => {
    const hub = await serve((_req, res) => void res.writeHead(200, {'content-length': body.length}).end(body))
    const unverified: string[] = []
    await downloadHubFile(file, join(tempDir(), 'k.bin'), {endpoint: hub.base, timeouts: fast, onUnverified: (digest) => unverified.push(digest)})
    await downloadHubFile({...file, sha256: sha}, join(tempDir(), 'l.bin'), {endpoint: hub.base, timeouts: fast, onUnverified: (digest) => unverified.push(digest)})
    assert.deepEqual(unverified, [sha])
  })
})
