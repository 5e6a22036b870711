import {join} from 'node:path'

import {cacheDir} from '../../models/cache.js'
import {ResponseCache} from './cache.js'
import {ChatError} from './errors.js'
import {Limiter} from './limiter.js'
import {isRetryableStatus, parseRetryAfter, retryDelay} from './retry.js'

/**
 * A client for OpenAI-compatible chat-completions servers (OpenAI, vLLM, Ollama, llama.cpp,
 * LiteLLM): `POST <baseUrl>/chat/completions`. Any metric can use one; it is off unless a
 * metric's params ask for it. It bounds the requests in flight, retries 429/5xx, timeouts,
 * network failures and malformed bodies with exponential backoff and jitter (honouring
 * `Retry-After`), and keeps each answer on disk so that a re-run sends nothing.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface ChatRequest {
  messages: readonly ChatMessage[]
  /** Sampling temperature; 0 (as near to deterministic as the server gets) when absent. */
  temperature?: number
  /** Most tokens in the answer (`max_tokens`). */
  maxTokens?: number
  /** Ask for a JSON object (`response_format: {type: "json_object"}`); not every server supports it. */
  jsonObject?: boolean
  /** A sampling seed, for servers that take one. */
  seed?: number
}

/** All optional: see {@link CHAT_DEFAULTS}. */
export interface ChatClientOptions {
  /** The API root, such as `https://api.openai.com/v1` or `http://localhost:11434/v1`; else `OPENAI_BASE_URL`, else OpenAI's. */
  baseUrl?: string
  /** The model id the server knows (`gpt-4o`, `llama3.1:8b`); required, here or in `OPENAI_MODEL`. */
  model?: string
  /** Sent as `Authorization: Bearer <key>`; else `OPENAI_API_KEY`; none for local servers that need none. */
  apiKey?: string
  /** Requests in flight at once. */
  concurrency?: number
  /** Retries after the first attempt. */
  retries?: number
  /** Milliseconds one attempt may take before it is abandoned and retried. */
  timeoutMs?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** The answers' folder; default `<alignctl cache>/llm`. `false`: no cache. */
  cacheDir?: string | false
  /** Environment to read `OPENAI_*` from; default `process.env`. */
  env?: NodeJS.ProcessEnv
  /** For tests: the fetch, sleep and random functions. */
  fetch?: typeof fetch
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
}

export const CHAT_DEFAULTS = {
  baseUrl: 'https://api.openai.com/v1',
  concurrency: 4,
  retries: 5,
  timeoutMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
} as const

export interface ChatAnswer<T> {
  /** The answer's text. */
  content: string
  /** What `parse` made of it (the text itself without a `parse`). */
  value: T
  /** True when it came from the cache and nothing was sent. */
  cached: boolean
}

/** What a client did, for a report. */
export interface ChatUsage {
  baseUrl: string
  model: string
  /** Answers asked for, and how many of them came from the cache. */
  requests: number
  cached: number
  /** HTTP attempts made and retries among them. */
  attempts: number
  retries: number
  failures: number
}

export class ChatClient {
  readonly baseUrl: string
  readonly model: string
  readonly #apiKey: string | undefined
  readonly #options: Required<Pick<ChatClientOptions, 'retries' | 'timeoutMs' | 'baseDelayMs' | 'maxDelayMs'>>
  readonly #cache: ResponseCache | undefined
  readonly #limiter: Limiter
  readonly #fetch: typeof fetch
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly #random: () => number
  readonly #usage = {requests: 0, cached: 0, attempts: 0, retries: 0, failures: 0}

  constructor(options: ChatClientOptions = {}) {
    const env = options.env ?? process.env
    const model = options.model ?? env['OPENAI_MODEL']
    if (model === undefined || model === '') {
      throw new RangeError('A chat client needs a model: give its id (such as gpt-4o or llama3.1:8b), or set OPENAI_MODEL.')
    }
    this.model = model
    this.baseUrl = (options.baseUrl ?? (env['OPENAI_BASE_URL'] || CHAT_DEFAULTS.baseUrl)).replace(/\/+$/, '')
    if (!/^https?:\/\//.test(this.baseUrl)) throw new RangeError(`A chat base URL must start with http:// or https://, got "${this.baseUrl}".`)
    const key = options.apiKey ?? env['OPENAI_API_KEY']
    this.#apiKey = key === '' ? undefined : key
    this.#options = {
      retries: options.retries ?? CHAT_DEFAULTS.retries,
      timeoutMs: options.timeoutMs ?? CHAT_DEFAULTS.timeoutMs,
      baseDelayMs: options.baseDelayMs ?? CHAT_DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? CHAT_DEFAULTS.maxDelayMs,
    }
    if (!Number.isInteger(this.#options.retries) || this.#options.retries < 0) throw new RangeError(`Chat retries must be a non-negative integer, got ${this.#options.retries}.`)
    if (!(this.#options.timeoutMs > 0)) throw new RangeError(`A chat timeout must be positive, got ${this.#options.timeoutMs} ms.`)
    const dir = options.cacheDir ?? join(cacheDir(env), 'llm')
    this.#cache = dir === false ? undefined : new ResponseCache(dir)
    this.#limiter = new Limiter(options.concurrency ?? CHAT_DEFAULTS.concurrency)
    this.#fetch = options.fetch ?? fetch
    this.#sleep = options.sleep ?? sleep
    this.#random = options.random ?? Math.random
  }

  usage(): ChatUsage {
    return {baseUrl: this.baseUrl, model: this.model, ...this.#usage}
  }

  /**
   * One answer. `parse` turns the text into the caller's value and throws when it cannot; such
   * an answer is not cached (a re-run asks again) and the call fails with code `unparsable`.
   */
  async complete<T = string>(request: ChatRequest, options: {parse?: (content: string) => T; signal?: AbortSignal} = {}): Promise<ChatAnswer<T>> {
    this.#usage.requests++
    const body = this.#body(request)
    const key = ResponseCache.key(this.baseUrl, body)
    const parse = options.parse ?? ((content: string) => content as unknown as T)
    const hit = await this.#cache?.get(key)
    if (hit !== undefined) {
      try {
        const value = parse(hit.content)
        this.#usage.cached++
        return {content: hit.content, value, cached: true}
      } catch {
        // The caller no longer accepts this answer (its parser changed): ask again.
      }
    }
    let content: string
    try {
      content = await this.#limiter.run(() => this.#send(body, options.signal))
    } catch (error) {
      this.#usage.failures++
      throw error
    }
    let value: T
    try {
      value = parse(content)
    } catch (error) {
      this.#usage.failures++
      throw new ChatError(`${this.model} answered text that could not be read: ${(error as Error).message}`, {code: 'unparsable', content, cause: error})
    }
    await this.#cache?.put({key, baseUrl: this.baseUrl, model: this.model, request: body, content, createdAt: new Date().toISOString()})
    return {content, value, cached: false}
  }

  #body(request: ChatRequest): Record<string, unknown> {
    return {
      model: this.model,
      messages: request.messages.map((m) => ({role: m.role, content: m.content})),
      temperature: request.temperature ?? 0,
      ...(request.maxTokens === undefined ? {} : {max_tokens: request.maxTokens}),
      ...(request.jsonObject ? {response_format: {type: 'json_object'}} : {}),
      ...(request.seed === undefined ? {} : {seed: request.seed}),
    }
  }

  async #send(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<string> {
    const url = `${this.baseUrl}/chat/completions`
    const headers: Record<string, string> = {'content-type': 'application/json', accept: 'application/json'}
    if (this.#apiKey !== undefined) headers['authorization'] = `Bearer ${this.#apiKey}`
    const payload = JSON.stringify(body)
    let last: RetryableError | undefined
    for (let attempt = 0; attempt <= this.#options.retries; attempt++) {
      if (attempt > 0) {
        this.#usage.retries++
        await this.#sleep(retryDelay(attempt - 1, this.#options, this.#random, last?.retryAfterMs), signal)
      }
      if (signal?.aborted) throw new ChatError(`The request to ${url} was aborted.`, {code: 'aborted', cause: signal.reason})
      this.#usage.attempts++
      const outcome = await this.#attempt(url, headers, payload, signal)
      if (typeof outcome === 'string') return outcome
      if (!outcome.retry) throw outcome.error
      last = outcome.error
    }
    const tries = this.#options.retries + 1
    throw new ChatError(`${last!.message} (${tries} attempt${tries === 1 ? '' : 's'}; raise the retries or the timeout, or lower the concurrency).`, {
      code: last!.code,
      ...(last!.status === undefined ? {} : {status: last!.status}),
      cause: last,
    })
  }

  async #attempt(url: string, headers: Record<string, string>, payload: string, signal: AbortSignal | undefined): Promise<string | {retry: boolean; error: RetryableError}> {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs)
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout])
    let response: Response
    let text: string
    try {
      response = await this.#fetch(url, {method: 'POST', headers, body: payload, signal: combined})
      text = await response.text()
    } catch (error) {
      if (signal?.aborted) return {retry: false, error: new ChatError(`The request to ${url} was aborted.`, {code: 'aborted', cause: error})}
      if (timeout.aborted) return {retry: true, error: new ChatError(`${url} gave no answer within ${this.#options.timeoutMs} ms`, {code: 'timeout', cause: error})}
      const reason = (error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message
      return {retry: true, error: new ChatError(`${url} could not be reached (${reason})`, {code: 'network', cause: error})}
    }
    if (!response.ok) {
      const excerpt = text.length > 300 ? `${text.slice(0, 300)}…` : text
      const retry = isRetryableStatus(response.status)
      const hint = retry ? '' : ` ${hintFor(response.status)}`
      const error: RetryableError = new ChatError(`${url} answered HTTP ${response.status}${excerpt === '' ? '' : `: ${excerpt}`}${hint}`, {
        code: retry ? 'retries-exhausted' : 'http',
        fatal: !retry,
        status: response.status,
      })
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
      if (retryAfter !== undefined) error.retryAfterMs = retryAfter
      return {retry, error}
    }
    const content = completionContent(text)
    if (content === undefined) {
      const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text
      return {retry: true, error: new ChatError(`${url} answered HTTP ${response.status} with a body that is not a chat completion (no choices[0].message.content): ${JSON.stringify(excerpt)}`, {code: 'malformed', status: response.status})}
    }
    return content
  }
}

/** A failed attempt, with the server's `Retry-After` when it sent one. */
type RetryableError = ChatError & {retryAfterMs?: number}

/** `choices[0].message.content` of a chat-completions body, or undefined if it has none. */
export function completionContent(body: string): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const content = (parsed as {choices?: Array<{message?: {content?: unknown}}>} | null)?.choices?.[0]?.message?.content
  return typeof content === 'string' ? content : undefined
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return 'Check the API key (OPENAI_API_KEY, or the variable the metric reads it from).'
  if (status === 404) return 'Check the base URL (it usually ends in /v1) and the model id.'
  return 'Check the request params (model, max tokens, JSON mode) against what the server supports.'
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}
