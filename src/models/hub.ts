import {createHash} from 'node:crypto'
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdir, rename, rm, stat} from 'node:fs/promises'
import {dirname} from 'node:path'
import {pipeline} from 'node:stream/promises'
import {Readable, Transform} from 'node:stream'

import {runtimeError} from '../kernel/errors.js'

/** A file in a Hugging Face hub repository. */
export interface HubFile {
  repo: string
  /** Path inside the repository. */
  file: string
  /** Branch, tag or commit; `main` by default. */
  revision?: string
  /** Expected sha256 (hex); when unknown, the hub's `x-linked-etag` (LFS files) is used if present. */
  sha256?: string
}

export interface DownloadOptions {
  /** `$HF_ENDPOINT`, default https://huggingface.co. */
  endpoint?: string
  /** `$HF_TOKEN`, sent as a bearer token. */
  token?: string
  /** Called as bytes arrive: (bytes so far, total or undefined). */
  onProgress?: (received: number, total: number | undefined) => void
  signal?: AbortSignal
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co'

/** `$HF_ENDPOINT/<repo>/resolve/<revision>/<file>` (the hub's download layout). */
export function resolveUrl(file: HubFile, endpoint = DEFAULT_ENDPOINT): string {
  const path = file.file.split('/').map(encodeURIComponent).join('/')
  return `${endpoint.replace(/\/+$/, '')}/${file.repo}/resolve/${encodeURIComponent(file.revision ?? 'main')}/${path}`
}

/**
 * Downloads a hub file to `target`. Bytes go to `target.partial` first; an interrupted
 * download resumes from there with an HTTP Range request. The file is moved into place only
 * after its sha256 matches, so `target` is never a partial or corrupt file.
 * Returns the file's sha256.
 */
export async function downloadHubFile(file: HubFile, target: string, options: DownloadOptions = {}): Promise<string> {
  const url = resolveUrl(file, options.endpoint)
  const partial = `${target}.partial`
  await mkdir(dirname(target), {recursive: true})
  const have = (await stat(partial).catch(() => undefined))?.size ?? 0

  const headers: Record<string, string> = {}
  if (options.token) headers['authorization'] = `Bearer ${options.token}`
  if (have > 0) headers['range'] = `bytes=${have}-`
  const {response, linkedSha256} = await request(url, headers, options.signal)
  if (response.status === 401 || response.status === 403) {
    throw runtimeError(`${url}: access denied (HTTP ${response.status}).`, {suggestions: ['Set HF_TOKEN to a Hugging Face token that can read this repository.']})
  }
  if (response.status === 404) throw runtimeError(`${url}: not found (HTTP 404).`, {suggestions: [`Check the repository "${file.repo}", revision and file name.`]})
  if (response.status === 416 && have > 0) {
    // The partial file already holds every byte: just verify it.
    await response.body?.cancel()
  } else if (!response.ok || response.body === null) {
    throw runtimeError(`${url}: download failed (HTTP ${response.status}).`, {suggestions: ['Try again later; the download resumes where it stopped.']})
  } else {
    const resumed = response.status === 206
    if (have > 0 && !resumed) await rm(partial, {force: true})
    const start = resumed ? have : 0
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    const total = Number.isFinite(length) ? start + length : undefined
    let received = start
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length
        options.onProgress?.(received, total)
        done(null, chunk)
      },
    })
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), counter, createWriteStream(partial, {flags: resumed ? 'a' : 'w'}))
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error
      throw runtimeError(`${url}: the download broke off after ${received} bytes (${(error as Error).message}).`, {cause: error, suggestions: ['Run the command again; it resumes where it stopped.']})
    }
    if (total !== undefined && received !== total) {
      throw runtimeError(`${url}: the download stopped at ${received} of ${total} bytes.`, {suggestions: ['Run the command again; it resumes where it stopped.']})
    }
  }

  const expected = file.sha256 ?? linkedSha256
  const actual = await sha256File(partial)
  if (expected !== undefined && actual !== expected) {
    await rm(partial, {force: true})
    throw runtimeError(`${url}: sha256 mismatch (expected ${expected}, got ${actual}); the download was discarded.`, {suggestions: ['Run the command again to download it afresh.']})
  }
  await rename(partial, target)
  return actual
}

const MAX_REDIRECTS = 5

/**
 * GET with redirects followed by hand: the hub answers `resolve` with a redirect to its CDN
 * whose `x-linked-etag` holds an LFS file's sha256, and the token must not travel to
 * another host.
 */
async function request(url: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<{response: Response; linkedSha256: string | undefined}> {
  let linkedSha256: string | undefined
  let current = url
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response
    try {
      response = await fetch(current, {headers, redirect: 'manual', ...(signal ? {signal} : {})})
    } catch (error) {
      const cause = (error as Error).cause
      throw runtimeError(`Cannot reach ${current}: ${cause instanceof Error ? cause.message : (error as Error).message}.`, {cause: error, suggestions: ['Check the network, or set HF_ENDPOINT to a reachable mirror. Offline, copy the files in and use `alignctl models convert`.']})
    }
    const etag = response.headers.get('x-linked-etag')?.replaceAll('"', '')
    if (etag !== undefined && /^[0-9a-f]{64}$/.test(etag)) linkedSha256 = etag
    const location = response.headers.get('location')
    if (response.status < 300 || response.status >= 400 || location === null) return {response, linkedSha256}
    await response.body?.cancel()
    const next = new URL(location, current)
    if (next.host !== new URL(current).host) delete headers['authorization']
    current = next.href
  }
  throw runtimeError(`${url}: too many redirects.`, {suggestions: ['Check HF_ENDPOINT.']})
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
