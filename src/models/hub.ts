import {createHash} from 'node:crypto'
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdir, rename, rm, stat} from 'node:fs/promises'
import {dirname} from 'node:path'
import {request as httpRequest, type IncomingMessage} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {runtimeError, usageError} from '../kernel/errors.js'
import {writeErrorCode, writeFailure} from '../kernel/write-files.js'

/** A file in a Hugging Face hub repository. */
export interface HubFile {
  repo: string
  /** Path inside the repository. */
  file: string
  /** Branch, tag or commit; `main` by default. */
  revision?: string
  /**
   * Expected sha256 (hex), pinned by the caller; when unknown, the hub's own checksum is used
   * if it sends one (see {@link HubChecksum}).
   */
  sha256?: string
}

/**
 * What a download was checked against: a sha256 the caller pinned; the hub's sha256 of an LFS
 * file (`X-Linked-Etag`); the hub's git blob sha1 of a small file kept in git (`ETag`, as the
 * hub client reads it); or nothing, when the file had no pin and the hub sent no checksum.
 */
export type HubChecksum = 'pinned' | 'hub-sha256' | 'hub-git-sha1' | 'none'

/** A finished download: the file's sha256 and size, and what they were checked against. */
export interface DownloadResult {
  sha256: string
  size: number
  checkedAgainst: HubChecksum
}

export interface DownloadOptions {
  /** `$HF_ENDPOINT`, default https://huggingface.co. */
  endpoint?: string
  /**
   * `$HF_TOKEN`, sent as a bearer token only to the endpoint's own scheme, host and port, only
   * over https (or plain http to this machine's loopback address), never past a redirect that
   * downgrades the scheme or leaves that host and port.
   */
  token?: string
  /** Called as bytes arrive: (bytes so far, total or undefined). */
  onProgress?: (received: number, total: number | undefined) => void
  signal?: AbortSignal
  /** Connect, response-header and idle-body limits; {@link downloadTimeouts} by default. */
  timeouts?: DownloadTimeouts
  /** Waits before each retry of a transient failure, in ms; [1000, 3000] by default (three tries). */
  retryDelaysMs?: readonly number[]
  /** The most bytes the file may have (a config.json of hundreds of MB is refused); no bound by default. */
  maxBytes?: number
  /** Called with the file's sha256 when there was nothing to check it against (no pinned sha256, no checksum from the hub). */
  onUnverified?: (sha256: string) => void
}

/**
 * How long a download may wait. The defaults follow the Hugging Face hub client, whose
 * connect and read timeouts are 10 s (`HF_HUB_DOWNLOAD_TIMEOUT`); alignctl adds a low-speed
 * rule so that a server trickling a byte every few seconds fails too.
 */
export interface DownloadTimeouts {
  /** From sending the request to the connection being open. */
  connectMs: number
  /** From the connection being open to the response's status and headers. */
  headersMs: number
  /** The longest gap between two pieces of the body. */
  idleMs: number
  /** The body must bring at least `lowSpeedBytes` in every `lowSpeedWindowMs`. */
  lowSpeedBytes: number
  lowSpeedWindowMs: number
}

export const DEFAULT_TIMEOUT_SECONDS = 10

/**
 * The timeouts for `seconds` (a flag), else `$HF_HUB_DOWNLOAD_TIMEOUT` (the hub client's
 * variable, in seconds), else 10 s; the low-speed window is 15 s at under 1 KiB.
 */
export function downloadTimeouts(seconds?: number, env: NodeJS.ProcessEnv = process.env): DownloadTimeouts {
  const fromEnv = env['HF_HUB_DOWNLOAD_TIMEOUT']
  let value = seconds
  if (value === undefined && fromEnv !== undefined && fromEnv !== '') {
    value = Number(fromEnv)
    if (!(value > 0)) throw usageError(`HF_HUB_DOWNLOAD_TIMEOUT="${fromEnv}" is not a positive number of seconds.`, 'Set it to, for example, 30, or unset it for the default of 10 s.')
  }
  const ms = (value ?? DEFAULT_TIMEOUT_SECONDS) * 1000
  return {connectMs: ms, headersMs: ms, idleMs: ms, lowSpeedBytes: 1024, lowSpeedWindowMs: Math.max(15_000, ms)}
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 3000]
/** No retry starts after this long: with the default limits a dead server fails within a minute. */
const RETRY_BUDGET_MS = 30_000

export const DEFAULT_ENDPOINT = 'https://huggingface.co'

/** `$HF_ENDPOINT/<repo>/resolve/<revision>/<file>` (the hub's download layout). */
export function resolveUrl(file: HubFile, endpoint = DEFAULT_ENDPOINT): string {
  const path = file.file.split('/').map(encodeURIComponent).join('/')
  return `${endpoint.replace(/\/+$/, '')}/${file.repo}/resolve/${encodeURIComponent(file.revision ?? 'main')}/${path}`
}

/** A failure worth another try (a timeout, a dropped connection, HTTP 429 or 5xx). */
class TransientError extends Error {
  constructor(readonly error: Error) {
    super(error.message)
  }
}

/**
 * Downloads a hub file to `target`. Bytes go to `target.partial` first; an interrupted
 * download resumes from there with an HTTP Range request, also on the automatic retries of
 * transient failures. The file is moved into place only after it matches its checksum, so
 * `target` is never a partial or corrupt file. A 206 reply must answer the range asked for;
 * one that does not makes the download start again from byte 0.
 */
export async function downloadHubFile(file: HubFile, target: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadOnce(file, target, options)
    } catch (error) {
      if (!(error instanceof TransientError)) throw error
      const delay = delays[attempt]
      if (delay === undefined || options.signal?.aborted || Date.now() - started + delay > RETRY_BUDGET_MS) throw error.error
      await sleep(delay, options.signal)
    }
  }
}

async function downloadOnce(file: HubFile, target: string, options: DownloadOptions): Promise<DownloadResult> {
  const url = resolveUrl(file, options.endpoint)
  const timeouts = options.timeouts ?? downloadTimeouts()
  const partial = `${target}.partial`
  await mkdir(dirname(target), {recursive: true})
  const have = (await stat(partial).catch(() => undefined))?.size ?? 0

  const headers: Record<string, string> = {}
  if (have > 0) headers['range'] = `bytes=${have}-`
  const {response, hubSum, tokenWithheld} = await request(url, headers, options.token, timeouts, options.signal)
  const status = response.statusCode ?? 0
  const host = hostOf(response.url)
  if (status === 401 || status === 403) {
    response.resume()
    const why = tokenWithheld ? ` HF_TOKEN was not sent: ${tokenWithheld}.` : ''
    throw runtimeError(`${url}: access denied (HTTP ${status}).${why}`, {suggestions: [tokenWithheld ? 'Use an https endpoint (HF_ENDPOINT) so that HF_TOKEN can be sent.' : 'Set HF_TOKEN to a Hugging Face token that can read this repository.']})
  }
  if (status === 404) {
    response.resume()
    throw runtimeError(`${url}: not found (HTTP 404).`, {suggestions: [`Check the repository "${file.repo}", revision and file name.`]})
  }
  if (status === 416 && have > 0) {
    // The partial file already holds every byte: just verify it.
    response.resume()
  } else if (status < 200 || status >= 300) {
    response.resume()
    const error = runtimeError(`${url}: download failed (HTTP ${status} from ${host}).`, {suggestions: ['Try again later; the download resumes where it stopped.']})
    throw status === 429 || status >= 500 ? new TransientError(error) : error
  } else {
    const resumed = status === 206
    if (resumed && !rangeAnswered(response.headers['content-range'], have)) {
      // Bytes from elsewhere in the file would be appended after ours: start again from byte 0.
      response.destroy()
      await rm(partial, {force: true})
      if (have === 0) throw runtimeError(`${url}: the server answered a plain download with HTTP 206 and Content-Range "${response.headers['content-range'] ?? ''}".`, {suggestions: ['Check that HF_ENDPOINT points at the Hugging Face hub or a faithful mirror.']})
      return downloadOnce(file, target, options)
    }
    if (have > 0 && !resumed) await rm(partial, {force: true})
    const start = resumed ? have : 0
    const length = Number(response.headers['content-length'] ?? Number.NaN)
    const total = Number.isFinite(length) ? start + length : undefined
    if (total !== undefined && options.maxBytes !== undefined && total > options.maxBytes) {
      response.destroy()
      throw tooLarge(url, total, options.maxBytes)
    }
    let received = start
    const watch = new BodyWatch(response, host, timeouts)
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length
        if (options.maxBytes !== undefined && received > options.maxBytes) return done(tooLarge(url, received, options.maxBytes))
        watch.saw(chunk.length)
        options.onProgress?.(received, total)
        done(null, chunk)
      },
    })
    const sink = createWriteStream(partial, {flags: resumed ? 'a' : 'w'})
    try {
      await pipeline(response, counter, sink)
    } catch (error) {
      // The file stream may still be writing what it had queued: a resume that measured the
      // partial file now would ask for the wrong range.
      if (!sink.closed) await new Promise<void>((done) => sink.once('close', () => done()))
      if (options.signal?.aborted) throw options.signal.reason ?? error
      if (error instanceof Error && error.name === 'AlignctlError') {
        await rm(partial, {force: true})
        throw error
      }
      // A full disk is not a network failure: no retry, and the bytes so far are kept for a resume.
      if (writeErrorCode(error) !== undefined) throw writeFailure(partial, `the download of ${file.repo}/${file.file}`, error, 'set ALIGNCTL_HOME to a folder on another disk; the part downloaded so far is kept and the download resumes from it')
      const why = watch.failure ?? (error as Error).message
      throw new TransientError(runtimeError(`${url}: the download broke off after ${received} bytes (${why}).`, {cause: error, suggestions: ['Run the command again; it resumes where it stopped.']}))
    } finally {
      watch.stop()
    }
    if (total !== undefined && received !== total) {
      throw new TransientError(runtimeError(`${url}: the download stopped at ${received} of ${total} bytes.`, {suggestions: ['Run the command again; it resumes where it stopped.']}))
    }
  }

  const actual = await sha256File(partial)
  const size = (await stat(partial)).size
  const checkedAgainst: HubChecksum = file.sha256 !== undefined ? 'pinned' : hubSum?.kind ?? 'none'
  const expected = file.sha256 ?? hubSum?.value
  const got = checkedAgainst === 'hub-git-sha1' ? await gitBlobSha1(partial, size) : actual
  if (expected !== undefined && got !== expected) {
    await rm(partial, {force: true})
    const what = {pinned: 'sha256 pinned by alignctl', 'hub-sha256': "sha256 from the hub's X-Linked-Etag", 'hub-git-sha1': "git blob sha1 from the hub's ETag", none: ''}[checkedAgainst]
    throw runtimeError(`${url}: checksum mismatch (${what}: expected ${expected}, got ${got}); the download was discarded.`, {suggestions: ['Run the command again to download it afresh; if it fails again, the server is not sending the file alignctl expects (check HF_ENDPOINT).']})
  }
  if (expected === undefined) options.onUnverified?.(actual)
  await rename(partial, target)
  return {sha256: actual, size, checkedAgainst}
}

/** git's object id of a file's bytes: sha1 of `blob <size>\0` and the bytes; the hub's ETag for files kept in git. */
export async function gitBlobSha1(file: string, size: number): Promise<string> {
  const hash = createHash('sha1').update(`blob ${size}\0`)
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

function tooLarge(url: string, bytes: number, max: number): Error {
  return runtimeError(`${url}: the file has ${total(bytes)}, more than the ${total(max)} such a file can hold; alignctl refused it.`, {
    suggestions: ['Check that HF_ENDPOINT points at the Hugging Face hub or a faithful mirror, and the repository is the one meant.'],
  })
}

function total(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB (${bytes} bytes)` : `${bytes} bytes`
}

/** Whether a 206's Content-Range answers the request for bytes from `have` on. */
function rangeAnswered(header: string | undefined, have: number): boolean {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header ?? '')
  return match !== null && Number(match[1]) === have && (match[3] === '*' || Number(match[2]) === Number(match[3]) - 1)
}

/** Idle and low-speed limits on a response body: destroys it, with the reason kept for the message. */
class BodyWatch {
  failure: string | undefined
  #windowBytes = 0
  readonly #idle: NodeJS.Timeout
  readonly #window: NodeJS.Timeout

  constructor(readonly response: IncomingMessage, readonly host: string, readonly timeouts: DownloadTimeouts) {
    this.#idle = setTimeout(() => this.#fail(`${host} sent nothing for ${seconds(timeouts.idleMs)}`), timeouts.idleMs)
    this.#window = setInterval(() => {
      if (this.#windowBytes < timeouts.lowSpeedBytes) this.#fail(`${host} sent only ${this.#windowBytes} bytes in ${seconds(timeouts.lowSpeedWindowMs)}`)
      this.#windowBytes = 0
    }, timeouts.lowSpeedWindowMs)
  }

  saw(bytes: number): void {
    this.#windowBytes += bytes
    this.#idle.refresh()
  }

  stop(): void {
    clearTimeout(this.#idle)
    clearInterval(this.#window)
  }

  #fail(why: string): void {
    this.failure ??= why
    this.stop()
    this.response.destroy(new Error(why))
  }
}

const MAX_REDIRECTS = 5

/** Names a host the user can act on: `huggingface.co`, `127.0.0.1:8080`. */
function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').host
  } catch {
    return String(url)
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Why the token may not go to `url` when it was meant for `origin`, or undefined when it may:
 * only over https (plain http only to this machine's loopback), to the same host and port,
 * and never after a downgrade from https.
 */
export function tokenWithheldReason(url: URL, origin: URL): string | undefined {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return `${url.host} is reached over plain ${url.protocol.replace(':', '')}`
  if (origin.protocol === 'https:' && url.protocol !== 'https:') return `a redirect went from https to ${url.protocol.replace(':', '')}`
  if (url.hostname !== origin.hostname || effectivePort(url) !== effectivePort(origin)) return `a redirect went from ${origin.host} to another host or port (${url.host})`
  return undefined
}

function effectivePort(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80'
}

/**
 * GET with redirects followed by hand: the hub answers `resolve` with a redirect to its CDN
 * whose `x-linked-etag` holds an LFS file's sha256. The token goes only where
 * {@link tokenWithheldReason} allows; once withheld it stays withheld.
 */
async function request(
  url: string,
  headers: Record<string, string>,
  token: string | undefined,
  timeouts: DownloadTimeouts,
  signal: AbortSignal | undefined,
): Promise<{response: IncomingMessage & {url: string}; hubSum: {kind: 'hub-sha256' | 'hub-git-sha1'; value: string} | undefined; tokenWithheld: string | undefined}> {
  let hubSum: {kind: 'hub-sha256' | 'hub-git-sha1'; value: string} | undefined
  let current = new URL(url)
  const origin = current
  let tokenWithheld: string | undefined
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (token && tokenWithheld === undefined) tokenWithheld = tokenWithheldReason(current, origin)
    const sent = token && tokenWithheld === undefined ? {...headers, authorization: `Bearer ${token}`} : headers
    const response = Object.assign(await get(current, sent, timeouts, signal), {url: current.href})
    // Only the endpoint's own answers name the file's checksum (as the hub client reads them);
    // a CDN's ETag is something else (an MD5, a version).
    if (current.host === origin.host) hubSum = hubChecksum(response) ?? hubSum
    const location = header(response, 'location')
    const status = response.statusCode ?? 0
    if (status < 300 || status >= 400 || location === undefined) return {response, hubSum, tokenWithheld}
    response.resume()
    current = new URL(location, current)
  }
  throw runtimeError(`${url}: too many redirects.`, {suggestions: ['Check HF_ENDPOINT.']})
}

/** `X-Linked-Etag` (an LFS file's sha256), else `ETag` (a git blob sha1), when it has that form. */
function hubChecksum(response: IncomingMessage): {kind: 'hub-sha256' | 'hub-git-sha1'; value: string} | undefined {
  const value = (header(response, 'x-linked-etag') ?? header(response, 'etag'))?.replace(/^W\//, '').replaceAll('"', '')
  if (value === undefined) return undefined
  if (/^[0-9a-f]{64}$/.test(value)) return {kind: 'hub-sha256', value}
  if (/^[0-9a-f]{40}$/.test(value)) return {kind: 'hub-git-sha1', value}
  return undefined
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** One GET: resolves at the response's headers, within the connect and header limits. */
function get(url: URL, headers: Record<string, string>, timeouts: DownloadTimeouts, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return Promise.reject(runtimeError(`${url.href}: alignctl downloads over https or http only.`, {suggestions: ['Check HF_ENDPOINT.']}))
  }
  return new Promise((resolvePromise, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    let timedOut: string | undefined
    const req = send(url, {headers, agent: false, ...(signal ? {signal} : {})})
    const limit = (ms: number, what: string): NodeJS.Timeout =>
      setTimeout(() => {
        timedOut = `${url.host} ${what} within ${seconds(ms)}`
        req.destroy(new Error(timedOut))
      }, ms)
    let timer = limit(timeouts.connectMs, 'did not accept a connection')
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(timer)
        timer = limit(timeouts.headersMs, 'accepted the connection but sent no response')
      }
      if (socket.connecting) socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected)
      else connected()
    })
    req.on('response', (response) => {
      clearTimeout(timer)
      resolvePromise(response)
    })
    req.on('error', (error) => {
      clearTimeout(timer)
      if (signal?.aborted) return reject(signal.reason ?? error)
      const code = (error as NodeJS.ErrnoException).code
      const failure = runtimeError(`Cannot reach ${url.href}: ${timedOut ?? `${code ?? error.message} (${url.host})`}.`, {
        cause: error,
        suggestions: ['Check the network, or set HF_ENDPOINT to a reachable mirror; HF_HUB_DOWNLOAD_TIMEOUT (seconds) or --timeout allows slower servers. Offline, copy the files in and use `alignctl models convert`.'],
      })
      // A refused connection or an unknown host will not change in a few seconds; the rest may.
      reject(code === 'ECONNREFUSED' || code === 'ENOTFOUND' ? failure : new TransientError(failure))
    })
    req.end()
  })
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(resolvePromise, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    }, {once: true})
  })
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
