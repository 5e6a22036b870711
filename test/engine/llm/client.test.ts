import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'

import {canonicalEncode} from '../../../src/kernel/content-hash.js'
import {ChatClient, ChatError, ResponseCache, isChatError, parseRetryAfter, retryDelay, type ChatClientOptions} from '../../../src/engine/llm/index.js'
import {startChatServer, type ChatServer, type Reply} from '../../helpers/chat-server.js'
import {tempDir} from '../../helpers/cli.js'

const servers: ChatServer[] = []
after(async () => Promise.all(servers.map((s) => s.close())))

async function serve(reply: (index: number) => Reply): Promise<ChatServer> {
  const server = await startChatServer((_, index) => reply(index))
  servers.push(server)
  return server
}

/** A client on the loopback server, with a fresh cache and waits recorded instead of slept. */
function clientFor(server: ChatServer, options: ChatClientOptions = {}): {client: ChatClient; waits: number[]} {
  const waits: number[] = []
  const client = new ChatClient({baseUrl: server.baseUrl, model: 'fixture-model', apiKey: 'sk-test', cacheDir: tempDir('llm-cache'), env: {}, sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...options})
  return {client, waits}
}

const ask = {messages: [{role: 'user' as const, content: 'Rate this.'}]}

async function rejection(promise: Promise<unknown>): Promise<ChatError> {
  try {
    await promise
  } catch (error) {
    assert.ok(isChatError(error), `expected a ChatError, got ${String(error)}`)
    return error
  }
  throw new Error('expected the call to fail')
}

describe('requests', () => {
  test('posts model, messages and params to <base>/chat/completions with the bearer key', async () => {
    const server = await serve(() => ({content: 'hello'}))
    const {client} = clientFor(server)
    const answer = await client.complete({...ask, temperature: 0.2, maxTokens: 12, jsonObject: true, seed: 3})
    assert.deepEqual(answer, {content: 'hello', value: 'hello', cached: false})
    const [request] = server.requests
    assert.equal(request!.path, '/v1/chat/completions')
    assert.equal(request!.headers['authorization'], 'Bearer sk-test')
    assert.deepEqual(request!.body, {model: 'fixture-model', messages: [{role: 'user', content: 'Rate this.'}], temperature: 0.2, max_tokens: 12, response_format: {type: 'json_object'}, seed: 3})
  })

  test('base URL, model and key come from OPENAI_BASE_URL, OPENAI_MODEL and OPENAI_API_KEY', async () => {
    const server = await serve(() => ({content: 'ok'}))
    const client = new ChatClient({env: {OPENAI_BASE_URL: `${server.baseUrl}/`, OPENAI_MODEL: 'env-model', OPENAI_API_KEY: 'sk-env'}, cacheDir: false})
    assert.equal(client.baseUrl, server.baseUrl)
    await client.complete(ask)
    assert.equal(server.requests[0]!.body.model, 'env-model')
    assert.equal(server.requests[0]!.headers['authorization'], 'Bearer sk-env')
  })

  test('no model anywhere, or a base URL that is not http(s), is refused up front', () => {
    assert.throws(() => new ChatClient({env: {}}), /needs a model.*OPENAI_MODEL/)
    assert.throws(() => new ChatClient({model: 'm', baseUrl: 'localhost:8000/v1', env: {}}), /must start with http/)
  })

  test('bounded concurrency: never more requests in flight than the limit', async () => {
    const server = await serve(() => ({content: 'ok', delayMs: 30}))
    const {client} = clientFor(server, {concurrency: 3, cacheDir: false})
    await Promise.all(Array.from({length: 10}, (_, i) => client.complete({messages: [{role: 'user', content: `q${i}`}]})))
    assert.equal(server.requests.length, 10)
    assert.equal(server.maxInFlight(), 3)
  })
})

describe('retries', () => {
  test('429 with Retry-After is retried after the server\'s delay, then succeeds', async () => {
    const server = await serve((i) => (i < 2 ? {status: 429, body: '{"error":"slow down"}', headers: {'retry-after': '2'}} : {content: 'done'}))
    const {client, waits} = clientFor(server)
    const answer = await client.complete(ask)
    assert.equal(answer.content, 'done')
    assert.deepEqual(waits, [2000, 2000])
    assert.deepEqual(client.usage(), {baseUrl: server.baseUrl, model: 'fixture-model', requests: 1, cached: 0, attempts: 3, retries: 2, failures: 0})
  })

  test('500s back off exponentially with jitter, capped', async () => {
    const server = await serve((i) => (i < 4 ? {status: 500 + i, body: 'upstream error'} : {content: 'done'}))
    const {client, waits} = clientFor(server, {baseDelayMs: 100, maxDelayMs: 500})
    assert.equal((await client.complete(ask)).content, 'done')
    // random() = 0.5 of min(500, 100·2^attempt): 50, 100, 200, 250.
    assert.deepEqual(waits, [50, 100, 200, 250])
  })

  test('every attempt failing ends with the last status and the attempt count', async () => {
    const server = await serve(() => ({status: 503, body: 'overloaded'}))
    const {client} = clientFor(server, {retries: 2})
    const error = await rejection(client.complete(ask))
    assert.equal(error.code, 'retries-exhausted')
    assert.equal(error.status, 503)
    assert.equal(error.fatal, false)
    assert.match(error.message, /answered HTTP 503: overloaded \(3 attempts; raise the retries/)
    assert.equal(server.requests.length, 3)
  })

  test('a malformed body (not JSON, or no choices) is retried, then reported as malformed', async () => {
    const server = await serve((i) => (i === 0 ? {status: 200, body: '{"choices": [ oops'} : i === 1 ? {status: 200, body: '{"choices": []}'} : {content: 'fine'}))
    const {client} = clientFor(server)
    assert.equal((await client.complete(ask)).content, 'fine')
    const always = await serve(() => ({status: 200, body: 'not json at all'}))
    const error = await rejection(clientFor(always, {retries: 1}).client.complete(ask))
    assert.equal(error.code, 'malformed')
    assert.match(error.message, /not a chat completion.*"not json at all"/)
  })

  test('a request over the timeout is abandoned and retried', async () => {
    const server = await serve((i) => (i === 0 ? {content: 'late', delayMs: 400} : {content: 'on time'}))
    const {client} = clientFor(server, {timeoutMs: 100})
    assert.equal((await client.complete(ask)).content, 'on time')
    const slow = await serve(() => ({content: 'late', delayMs: 300}))
    const error = await rejection(clientFor(slow, {timeoutMs: 50, retries: 1}).client.complete(ask))
    assert.equal(error.code, 'timeout')
    assert.match(error.message, /no answer within 50 ms \(2 attempts/)
  })

  test('401 and 404 are not retried: fatal, with a hint', async () => {
    const server = await serve(() => ({status: 401, body: '{"error":{"message":"bad key"}}'}))
    const error = await rejection(clientFor(server).client.complete(ask))
    assert.equal(error.code, 'http')
    assert.equal(error.fatal, true)
    assert.match(error.message, /HTTP 401.*bad key.*Check the API key/)
    assert.equal(server.requests.length, 1)
  })

  test('an unreachable server is a network error after the retries', async () => {
    const server = await serve(() => ({content: 'never'}))
    await server.close()
    const error = await rejection(clientFor(server, {retries: 1}).client.complete(ask))
    assert.equal(error.code, 'network')
    assert.match(error.message, /could not be reached/)
  })
})

describe('cache', () => {
  test('the same request twice sends one: the second answer comes from disk', async () => {
    const server = await serve(() => ({content: '{"fluency": 4}'}))
    const dir = tempDir('llm-cache')
    const first = clientFor(server, {cacheDir: dir}).client
    assert.equal((await first.complete(ask)).cached, false)
    // A new client (a re-run) on the same folder sends nothing.
    const second = clientFor(server, {cacheDir: dir}).client
    const again = await second.complete(ask)
    assert.deepEqual(again, {content: '{"fluency": 4}', value: '{"fluency": 4}', cached: true})
    assert.equal(server.requests.length, 1)
    assert.equal(second.usage().cached, 1)
    // A different param is a different key.
    await second.complete({...ask, temperature: 1})
    assert.equal(server.requests.length, 2)
    assert.equal(readdirSync(dir).length > 0, true)
  })

  test('an answer the caller cannot parse is not cached, and fails as unparsable', async () => {
    const server = await serve((i) => ({content: i === 0 ? 'no json here' : '{"ok": 1}'}))
    const dir = tempDir('llm-cache')
    const {client} = clientFor(server, {cacheDir: dir})
    const parse = (text: string) => JSON.parse(text) as {ok: number}
    const error = await rejection(client.complete(ask, {parse}))
    assert.equal(error.code, 'unparsable')
    assert.equal(error.content, 'no json here')
    const ok = await client.complete(ask, {parse})
    assert.deepEqual(ok.value, {ok: 1})
    assert.equal((await client.complete(ask, {parse})).cached, true)
    assert.equal(server.requests.length, 2)
  })

  test('keys: canonical JSON of base URL and body, independent of key order', () => {
    assert.equal(canonicalEncode({b: 1, a: [{d: 2, c: null}]}), '{"a":[{"c":null,"d":2}],"b":1}')
    const body = {model: 'm', messages: [{role: 'user', content: 'x'}], temperature: 0}
    assert.equal(ResponseCache.key('http://h/v1', body), ResponseCache.key('http://h/v1', {temperature: 0, messages: body.messages, model: 'm'}))
    assert.notEqual(ResponseCache.key('http://h/v1', body), ResponseCache.key('http://other/v1', body))
    assert.notEqual(ResponseCache.key('http://h/v1', body), ResponseCache.key('http://h/v1', {...body, model: 'n'}))
  })

  test('the default cache folder is llm/ under the alignctl cache', async () => {
    const server = await serve(() => ({content: 'x'}))
    const home = tempDir('alignctl-home')
    const client = new ChatClient({baseUrl: server.baseUrl, model: 'm', env: {ALIGNCTL_HOME: home}})
    await client.complete(ask)
    assert.equal(readdirSync(join(home, 'llm')).length, 1)
  })
})

describe('retry rules', () => {
  test('Retry-After: seconds, fractions, HTTP dates, garbage', () => {
    assert.equal(parseRetryAfter('3'), 3000)
    assert.equal(parseRetryAfter('0.25'), 250)
    assert.equal(parseRetryAfter(null), undefined)
    assert.equal(parseRetryAfter('soon'), undefined)
    const now = Date.parse('2026-01-01T00:00:00Z')
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000)
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0)
  })

  test('backoff: full jitter under min(cap, base·2^attempt); Retry-After wins, capped', () => {
    const options = {baseDelayMs: 100, maxDelayMs: 1000}
    assert.equal(retryDelay(0, options, () => 0.999), 99)
    assert.equal(retryDelay(3, options, () => 0.5), 400)
    assert.equal(retryDelay(10, options, () => 0.5), 500)
    assert.equal(retryDelay(0, options, () => 0.5, 5000), 1000)
    assert.equal(retryDelay(0, options, () => 0.5, 20), 20)
  })
})
