import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, beforeEach, describe, test} from 'node:test'

import {actionStep, readOutputs, runAction} from '../helpers/action.js'
import {FIXTURES, runCli, tempDir} from '../helpers/cli.js'
import {FakeGitHub} from '../helpers/github-api.js'

const HANDMADE = join(FIXTURES, 'honesty/handmade.jsonl')
const SYNTHETIC = join(FIXTURES, 'honesty/synthetic.jsonl')
const MARKER = '<!-- alignctl:eval:score -->'

let api: FakeGitHub
before(async () => {
  api = await FakeGitHub.start()
})
after(async () => {
  await api.close()
})
beforeEach(() => {
  api.reset()
  api.failWith = undefined
})

const honestyInputs = (out: string, extra: Record<string, string> = {}) => ({metrics: 'honesty', input: HANDMADE, out, 'github-token': 'test-token', ...extra})

describe('PR comment', () => {
  test('the first run creates the comment; the second updates the same one (PATCH, no second POST)', async () => {
    // 150 comments already on the PR, one of them another job's: the action pages through them all.
    api.seed(7, [...Array.from({length: 149}, (_, i) => `comment ${i}`), '<!-- alignctl:eval:other-job -->\nother job'])
    const first = actionStep(api.url)
    const out = join(first.dir, 'out')
    const run1 = await runAction(first, honestyInputs(out, {'fail-under': 'honesty.honesty=0.5'}))
    assert.equal(run1.code, 0, run1.stdout + run1.stderr)
    assert.deepEqual(api.requests.map((r) => `${r.method} ${r.url}`), [
      'GET /repos/acme/models/issues/7/comments?per_page=100&page=1',
      'GET /repos/acme/models/issues/7/comments?per_page=100&page=2',
      'POST /repos/acme/models/issues/7/comments',
    ])
    assert.ok(api.requests.every((r) => r.authorization === 'Bearer test-token'))
    const created = api.comments.get(7)!.at(-1)!
    assert.ok(created.body.startsWith(`${MARKER}\n## alignctl report — ✅ all gates passed`), created.body)
    assert.match(created.body, /\| honesty \| 0\.6250 \|/)
    assert.match(created.body, /\[Workflow run\]\(https:\/\/github\.example\/acme\/models\/actions\/runs\/42\)/)
    assert.match(run1.stdout, /PR #7: created comment \d+/)

    api.reset()
    const second = actionStep(api.url)
    const run2 = await runAction(second, honestyInputs(join(second.dir, 'out'), {'fail-under': 'honesty.honesty=0.7'}))
    assert.equal(run2.code, 1, run2.stdout + run2.stderr)
    assert.equal(api.count('POST'), 0)
    assert.deepEqual(api.requests.filter((r) => r.method === 'PATCH').map((r) => r.url), [`/repos/acme/models/issues/comments/${created.id}`])
    const ours = api.comments.get(7)!.filter((c) => c.body.includes(MARKER))
    assert.equal(ours.length, 1)
    assert.match(ours[0]!.body, /❌ a gate failed/)
    assert.equal(api.comments.get(7)!.length, 151)
    assert.ok(api.comments.get(7)!.some((c) => c.body === '<!-- alignctl:eval:other-job -->\nother job'))
  })

  test('no comment on a push, nor with comment: false', async () => {
    const push = actionStep(api.url, {event: 'push', payload: {ref: 'refs/heads/main'}})
    assert.equal((await runAction(push, honestyInputs(join(push.dir, 'out')))).code, 0)
    const off = actionStep(api.url)
    assert.equal((await runAction(off, honestyInputs(join(off.dir, 'out'), {comment: 'false'}))).code, 0)
    assert.equal(api.requests.length, 0)
  })

  test('a comment the API refuses is a warning that says which permission to grant; the step still passes', async () => {
    api.failWith = 403
    const step = actionStep(api.url, {payload: {number: 9, pull_request: {number: 9}}})
    const result = await runAction(step, honestyInputs(join(step.dir, 'out')))
    assert.equal(result.code, 0, result.stdout)
    assert.match(result.stdout, /^::warning::alignctl: could not comment on PR #9: GET .* HTTP 403 .*pull-requests: write/m)
  })
})

describe('outputs, summary and gates', () => {
  test('outputs: report, passed and one per summary number; summary.md in the job summary', async () => {
    const step = actionStep(api.url, {event: 'push'})
    const out = join(step.dir, 'out')
    const result = await runAction(step, honestyInputs(out, {'fail-under': 'honesty.honesty=0.6\nhonesty.prudence=0.5'}))
    assert.equal(result.code, 0, result.stdout + result.stderr)
    const outputs = readOutputs(step)
    assert.equal(outputs['report'], join(out, 'report.json'))
    assert.equal(outputs['html'], join(out, 'report.html'))
    assert.equal(outputs['passed'], 'true')
    assert.equal(outputs['honesty_honesty'], '0.625')
    assert.equal(outputs['honesty_overConservativeness'], '0.25')
    assert.equal(outputs['honesty_counts_wrong_idk'], '2')
    assert.equal(outputs['regressed'], undefined)
    const summary = readFileSync(step.summaryFile, 'utf8')
    assert.equal(summary.trimEnd(), readFileSync(join(out, 'summary.md'), 'utf8').trimEnd())
    assert.match(summary, /\| honesty\.prudence ≥ 0\.5 \| 0\.5000 \| 6 \| ✅ pass \|/)
  })

  test('a failed gate fails the step: exit 1 and an ::error:: line; the outputs are still written', async () => {
    const step = actionStep(api.url, {event: 'push'})
    const result = await runAction(step, honestyInputs(join(step.dir, 'out'), {'fail-under': 'honesty.honesty=0.9'}))
    assert.equal(result.code, 1, result.stdout + result.stderr)
    assert.match(result.stdout, /^::error::alignctl: 1 gate\(s\) failed: --fail-under honesty\.honesty=0\.9 \(value 0\.625, 12 rows\)\./m)
    assert.equal(readOutputs(step)['passed'], 'false')
    assert.match(readFileSync(step.summaryFile, 'utf8'), /❌ a gate failed/)
  })

  test('named inputs on several lines and a config file (rating-ranking)', async () => {
    const step = actionStep(api.url, {event: 'push'})
    const config = join(step.dir, 'alignctl.yaml')
    writeFileSync(config, 'onError: skip\nparams:\n  rating-ranking:\n    bootstrapIterations: 50\n')
    const result = await runAction(step, {
      metrics: 'rating-ranking',
      input: `ratings=${join(FIXTURES, 'rating-ranking/handmade/ratings.csv')}\nrankings=${join(FIXTURES, 'rating-ranking/handmade/rankings.csv')}`,
      config,
      out: join(step.dir, 'out'),
    })
    assert.equal(result.code, 0, result.stdout + result.stderr)
    const outputs = readOutputs(step)
    assert.match(outputs['rating-ranking_consistency']!, /^0\.\d+$/)
    assert.match(outputs['rating-ranking_confusion_A_b']!, /^\d+$/)
    assert.match(result.stdout, /^::warning::rating-ranking: skipped 2 bad input row/m)
  })

  test('bad inputs stop the step with exit 2 and an ::error:: that says what to fix', async () => {
    const step = actionStep(api.url, {event: 'push'})
    const unknown = await runAction(step, {metrics: 'nope', input: HANDMADE, out: join(step.dir, 'out')})
    assert.equal(unknown.code, 2)
    assert.match(unknown.stdout, /^::error::alignctl: Unknown metric "nope"\. Known metrics: .*honesty/m)
    const device = await runAction(step, {metrics: 'honesty', input: HANDMADE, device: 'tpu'})
    assert.equal(device.code, 2)
    assert.match(device.stdout, /^::error::alignctl: input "device": "tpu" is not one of auto, cpu/m)
    const gate = await runAction(step, {metrics: 'honesty', input: HANDMADE, 'fail-under': 'honesty.nothing=1', out: join(step.dir, 'out')})
    assert.equal(gate.code, 2)
    // Core messages name the action's inputs, not the CLI's flags.
    assert.match(gate.stdout, /^::error::alignctl: `fail-under:` honesty\.nothing=1: "nothing" is not a quality stat that honesty reports\./m)
    const errors = gate.stdout.split('\n').filter((l) => l.startsWith('::error::'))
    assert.equal(errors.length, 1)
    assert.doesNotMatch(errors[0]!, /--fail-under/)
    // The log's first line is the equivalent command line, to rerun the step locally.
    assert.match(gate.stdout, /^alignctl eval --metric honesty --input \S+handmade\.jsonl --fail-under honesty\.nothing=1 --out /)
  })

  test('cache: true gives the model cache folder and an actions/cache key with model name and revision', async () => {
    const step = actionStep(api.url, {event: 'push'})
    const result = await runAction(step, honestyInputs(join(step.dir, 'out'), {cache: 'true', model: 'alignscore-base'}))
    assert.equal(result.code, 0, result.stdout + result.stderr)
    const outputs = readOutputs(step)
    // The pinned commit: a new pin makes a new cache.
    assert.equal(outputs['cache-key'], 'alignctl-models-Linux-alignscore-base@8509e78d25bb914939fc585c626500c9b2944249')
    assert.match(outputs['cache-path']!, /xdg-cache-[^/]+\/alignctl$/)
  })
})

describe('baseline', () => {
  let baseline: string
  before(async () => {
    baseline = tempDir('baseline')
    const result = await runCli(['eval', '-m', 'honesty', '-i', SYNTHETIC, '-o', baseline, '--format', 'json'])
    assert.equal(result.code, 0, result.stderr)
  })

  test('compare section in the summary and the comment, compare.json, report.html with the comparison; fail-on-regression fails', async () => {
    const step = actionStep(api.url, {payload: {number: 11, pull_request: {number: 11}}})
    const out = join(step.dir, 'out')
    const result = await runAction(step, honestyInputs(out, {baseline, 'fail-on-regression': 'true'}))
    assert.equal(result.code, 1, result.stdout + result.stderr)
    // Synthetic → handmade: prudence drops 0.5217 → 0.5; the other scores improve.
    assert.match(result.stdout, /^::error::alignctl: regressed against the baseline: honesty\.prudence \(tolerance 0\)\./m)
    assert.equal(readOutputs(step)['regressed'], 'true')
    const summary = readFileSync(step.summaryFile, 'utf8')
    assert.match(summary, /## alignctl compare — ❌ 1 stat regressed/)
    assert.match(summary, /\| prudence \| 0\.5217 \| 0\.5000 \| −0\.0217 \|  \| ❌ regressed \|/)
    assert.match(api.comments.get(11)![0]!.body, /## alignctl compare/)
    const comparison = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as {regressions: string[]}
    assert.deepEqual(comparison.regressions, ['honesty.prudence'])
    assert.ok(existsSync(join(out, 'compare.md')))
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<section id="comparison"/)
  })

  test('within the tolerance it passes; a missing baseline is a warning', async () => {
    const step = actionStep(api.url, {event: 'push'})
    const within = await runAction(step, honestyInputs(join(step.dir, 'out'), {baseline: join(baseline, 'report.json'), tolerance: '0.05', 'fail-on-regression': 'true'}))
    assert.equal(within.code, 0, within.stdout + within.stderr)
    assert.equal(readOutputs(step)['regressed'], 'false')
    const missing = await runAction(actionStep(api.url, {event: 'push'}), honestyInputs(join(step.dir, 'out2'), {baseline: join(step.dir, 'no-such-artifact')}))
    assert.equal(missing.code, 0)
    assert.match(missing.stdout, /^::warning::alignctl: baseline .*no-such-artifact not found, so there is no comparison\./m)
  })

  test('an invalid baseline report is an error naming the file', async () => {
    const step = actionStep(api.url, {event: 'push'})
    const bad = join(step.dir, 'bad.json')
    writeFileSync(bad, '{"schema": "nope"}')
    const result = await runAction(step, honestyInputs(join(step.dir, 'out'), {baseline: bad}))
    assert.equal(result.code, 2)
    assert.match(result.stdout, new RegExp(`^::error::alignctl: ${bad.replaceAll('/', '\\/')}: not an alignctl v1 report`, 'm'))
  })
})
