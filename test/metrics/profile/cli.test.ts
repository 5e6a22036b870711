import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'

import {FIXTURES, readScoreLines, readValidReport, runCli, tempDir, tempFile} from '../../helpers/cli.js'
import {startChatServer, type ChatServer} from '../../helpers/chat-server.js'
import {DIR, assertClose, expected} from './support.js'

const jsonl = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

describe('alignctl eval --metric profile', () => {
  test('supplied factors: the summary is the scipy fixture\'s, the report validates', async () => {
    const out = tempDir()
    const params = Object.entries({factors: '', ...expected.params}).flatMap(([k, v]) => ['--param', `${k}=${v}`])
    const result = await runCli(['eval', '--metric', 'profile', '--input', join(DIR, 'supplied.jsonl'), '--out', out, ...params])
    assert.equal(result.code, 0, result.stderr)
    const metric = readValidReport(out).metrics['profile']!
    assertClose(metric.summary, expected.supplied, 1e-12)
    assert.match(result.stderr, /factor "fluency" covers 51 of 60 pairs/)
    const lines = readScoreLines(out)
    assert.equal(lines.length, 60)
    assert.deepEqual(Object.keys(lines[0]!['profile'] as object), ['factors_a', 'factors_b', 'supplied'])
  })

  test('built-in extractors by default; exact τ(words) = 1 for the judge preferring longer responses', async () => {
    const out = tempDir()
    const result = await runCli(['eval', '--metric', 'profile', '--input', join(DIR, 'exact.jsonl'), '--out', out, '--param', 'bootstrap=100', '--format', 'json,md'])
    assert.equal(result.code, 0, result.stderr)
    const summary = readValidReport(out).metrics['profile']!.summary as {factors: Record<string, Record<string, {tau: number | null}>>; factorRows: Record<string, number>}
    assert.deepEqual(Object.keys(summary.factors), ['words', 'density', 'sentences', 'readability', 'prompt-overlap'])
    assert.equal(summary.factors['words']!['longer']!.tau, 1)
    assert.equal(summary.factors['words']!['shorter']!.tau, -1)
    // No row has a source: source-overlap covers none, is counted as such and has no τ.
    assert.equal(summary.factorRows['source-overlap'], 0)
    assert.match(result.stderr, /factor "source-overlap" covers none of the 8 pairs .*do the rows have a "source"\?/)
  })

  test('a bad preference stops the run with exit 2 naming file, line and field', async () => {
    const file = tempFile('pairs.jsonl', jsonl([{prompt: 'p', response_a: 'a', response_b: 'b', preferences: {human: 'A'}}]))
    const result = await runCli(['eval', '--metric', 'profile', '--input', file, '--out', tempDir()])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /pairs\.jsonl:1.*preferences/)
  })

  test('an unknown factor extractor is a usage error before any row is scored', async () => {
    const result = await runCli(['eval', '--metric', 'profile', '--input', join(DIR, 'exact.jsonl'), '--out', tempDir(), '--param', 'factors=words,bogus'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /unknown factor extractor "bogus".*words, tokens, density/s)
  })
})

describe('LLM-rated factors against a loopback chat-completions server', () => {
  let server: ChatServer
  after(async () => server?.close())

  // The "LLM": helpfulness 5 when the response says "helpful", else 1; fluency 3; a response
  // containing GARBLE gets prose instead of JSON; the very first request gets a 429.
  const rows = [
    {id: 'l0', prompt: 'Help me.', response_a: 'A helpful answer.', response_b: 'No.', preferences: {human: 'a', model: 'b'}},
    {id: 'l1', prompt: 'Help me.', response_a: 'Meh.', response_b: 'Very helpful indeed.', preferences: {human: 'b', model: 'a'}},
    {id: 'l2', prompt: 'Help me.', response_a: 'helpful helpful', response_b: 'Nope.', preferences: {human: 'a', model: 'tie'}},
    {id: 'l3', prompt: 'Help me.', response_a: 'Nothing.', response_b: 'So helpful.', preferences: {human: 'b', model: 'a'}},
    {id: 'l4', prompt: 'Help me.', response_a: 'GARBLE', response_b: 'helpful', preferences: {human: 'b', model: 'a'}},
  ]

  test('ratings become factors; 429s are retried; an unparsable answer is a row error; a re-run is served from the cache', async () => {
    server = await startChatServer((request, index) => {
      if (index === 0) return {status: 429, body: '{"error":"rate limited"}', headers: {'retry-after': '0'}}
      const user = request.body.messages.find((m) => m.role === 'user')!.content
      const response = /Response to rate:\n<<<\n([\s\S]*?)\n>>>/.exec(user)![1]!
      if (response.includes('GARBLE')) return {content: 'I think it is quite good overall.'}
      return {content: '```json\n' + JSON.stringify({helpfulness: response.includes('helpful') ? 5 : 1, fluency: 3}) + '\n```'}
    })
    const input = tempFile('llm-pairs.jsonl', jsonl(rows))
    const home = tempDir('alignctl-home')
    const args = ['eval', '--metric', 'profile', '--input', input, '--param', 'factors=words,llm', '--param', 'llmFactors=helpfulness,fluency', '--param', 'llmModel=fixture-model', '--param', `llmBaseUrl=${server.baseUrl}`, '--param', 'bootstrap=50', '--on-error', 'skip']
    const env = {ALIGNCTL_HOME: home, OPENAI_API_KEY: 'sk-loopback'}

    const out = tempDir()
    const result = await runCli([...args, '--out', out], {env})
    assert.equal(result.code, 0, result.stderr)
    const metric = readValidReport(out).metrics['profile']!
    // 10 responses, one 429 retried: 11 requests.
    assert.equal(server.requests.length, 11)
    assert.equal(server.requests[1]!.headers['authorization'], 'Bearer sk-loopback')
    assert.equal(server.requests[1]!.body.model, 'fixture-model')
    assert.equal(metric.errors.length, 1)
    assert.equal(metric.errors[0]!.row, 4)
    assert.match(metric.errors[0]!.message, /llm: response_a: fixture-model did not rate it as asked \(the answer holds no JSON object\); its answer was "I think it is quite good overall\."/)
    const summary = metric.summary as {factors: Record<string, Record<string, {tau: number | null; n: number}>>; llm: Record<string, unknown>}
    assert.equal(summary.factors['helpfulness']!['human']!.tau, 1)
    assert.equal(summary.factors['helpfulness']!['human']!.n, 4)
    assert.equal(summary.factors['fluency']!['human']!.tau, null)
    const promptText = readFileSync(join(FIXTURES, '../metrics/profile/prompts/factor-scores.v1.md'))
    const {createHash} = await import('node:crypto')
    assert.deepEqual(summary.llm, {
      model: 'fixture-model',
      baseUrl: server.baseUrl,
      prompt: 'factor-scores.v1',
      promptSha256: createHash('sha256').update(promptText).digest('hex'),
      factors: ['helpfulness', 'fluency'],
      requests: 8,
      cached: 0,
    })
    const line = readScoreLines(out)[0]!['profile'] as {factors_a: Record<string, number>; llm: unknown}
    assert.deepEqual(line.factors_a, {words: 3, helpfulness: 5, fluency: 3})
    assert.deepEqual(line.llm, {requests: 2, cached: 0})

    // Re-run: every parsed answer comes from the cache; only the unparsable one is asked again.
    const again = tempDir()
    const rerun = await runCli([...args, '--out', again], {env})
    assert.equal(rerun.code, 0, rerun.stderr)
    assert.equal(server.requests.length, 12)
    const llm = (readValidReport(again).metrics['profile']!.summary as {llm: {requests: number; cached: number}}).llm
    assert.deepEqual([llm.requests, llm.cached], [8, 8])
  })

  test('no model given: a usage error that says how to give one', async () => {
    const input = tempFile('llm-pairs.jsonl', jsonl(rows.slice(0, 1)))
    const result = await runCli(['eval', '--metric', 'profile', '--input', input, '--out', tempDir(), '--param', 'factors=llm'], {env: {OPENAI_MODEL: ''}})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /needs a model.*llmModel/s)
  })

  test('a 401 fails the run (exit 3) instead of failing every row', async () => {
    const denied = await startChatServer(() => ({status: 401, body: '{"error":{"message":"invalid api key"}}'}))
    try {
      const input = tempFile('llm-pairs.jsonl', jsonl(rows.slice(0, 1)))
      const result = await runCli(['eval', '--metric', 'profile', '--input', input, '--out', tempDir(), '--param', 'factors=llm', '--param', 'llmModel=m', '--param', `llmBaseUrl=${denied.baseUrl}`], {env: {ALIGNCTL_HOME: tempDir()}})
      assert.equal(result.code, 3, result.stderr)
      assert.match(result.stderr, /HTTP 401.*invalid api key.*Check the API key/s)
    } finally {
      await denied.close()
    }
  })
})

describe('model-backed factors on the ONNX engine (tiny AlignScore pack)', () => {
  test('alignscore and relevance equal the alignscore metric\'s nli and bin scores of the same pairs', async () => {
    const pack = join(tempDir(), 'alignscore-tiny')
    const tiny = join(FIXTURES, 'alignscore/tiny')
    const converted = await runCli(['models', 'convert', '--checkpoint', join(tiny, 'AlignScore-tiny.ckpt'), '--config', join(tiny, 'config.json'), '--tokenizer', join(tiny, 'tokenizer.json'), '--arch', 'alignscore', '--out', pack])
    assert.equal(converted.code, 0, converted.stderr)

    const short = readFileSync(join(FIXTURES, 'alignscore/pairs.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"short-'))
      .slice(0, 6)
      .map((l) => JSON.parse(l) as {context: string; claim: string})
    const rows = short.map((s, i) => ({
      id: `m${i}`,
      prompt: short[(i + 2) % short.length]!.claim,
      source: s.context,
      response_a: s.claim,
      response_b: short[(i + 1) % short.length]!.claim,
      preferences: {human: i % 2 === 0 ? 'a' : 'b'},
    }))
    const out = tempDir()
    const result = await runCli(['eval', '--metric', 'profile', '--input', tempFile('pairs.jsonl', jsonl(rows)), '--out', out, '--param', 'factors=alignscore,relevance', '--param', `alignscoreModel=${pack}`, '--param', 'bootstrap=20'])
    assert.equal(result.code, 0, result.stderr)
    const metric = readValidReport(out).metrics['profile']!
    assert.equal((metric.model as {name: string}).name, 'alignscore-tiny')
    const got = readScoreLines(out).map((l) => l['profile'] as {factors_a: Record<string, number>; factors_b: Record<string, number>})

    // The same pairs through the alignscore metric: (source, response) in mode nli, (response, prompt) in mode bin.
    const consistency = rows.flatMap((r) => [{context: r.source, claim: r.response_a}, {context: r.source, claim: r.response_b}])
    const relevance = rows.flatMap((r) => [{context: r.response_a, claim: r.prompt}, {context: r.response_b, claim: r.prompt}])
    const reference = async (pairs: unknown[], mode: string) => {
      const dir = tempDir()
      const run = await runCli(['eval', '--metric', 'alignscore', '--input', tempFile('as.jsonl', jsonl(pairs)), '--model', pack, '--param', `mode=${mode}`, '--out', dir, '--format', 'json'])
      assert.equal(run.code, 0, run.stderr)
      return readScoreLines(dir).map((l) => (l['alignscore'] as {score: number}).score)
    }
    const nli = await reference(consistency, 'nli')
    const bin = await reference(relevance, 'bin')
    got.forEach((value, i) => {
      assert.ok(Math.abs(value.factors_a['alignscore']! - nli[2 * i]!) < 1e-9, `row ${i} a alignscore`)
      assert.ok(Math.abs(value.factors_b['alignscore']! - nli[2 * i + 1]!) < 1e-9, `row ${i} b alignscore`)
      assert.ok(Math.abs(value.factors_a['relevance']! - bin[2 * i]!) < 1e-9, `row ${i} a relevance`)
      assert.ok(Math.abs(value.factors_b['relevance']! - bin[2 * i + 1]!) < 1e-9, `row ${i} b relevance`)
    })
  })
})

