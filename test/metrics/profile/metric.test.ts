import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import profile from '../../../metrics/profile/index.js'
import {listParam} from '../../../metrics/profile/factors/registry.js'
import {FIXTURES} from '../../helpers/cli.js'
import {scoreRows} from '../../helpers/metric.js'
import {assertClose, expected, readRows} from './support.js'

const pair = (response_a: string, response_b: string, preferences: Record<string, string>, extra: Record<string, unknown> = {}) => ({prompt: 'Summarize the cat story.', response_a, response_b, preferences, ...extra})

describe('factor influence and alignment against scipy (fixture)', () => {
  test('supplied factors: τ-b, intervals, concordance, Spearman of τ vectors, differences, top-k', async () => {
    const rows = readRows('supplied.jsonl')
    const {outcomes, summary} = await scoreRows(profile, rows, {factors: '', ...expected.params})
    assert.ok(outcomes.every((o) => 'value' in o))
    assertClose(summary, expected.supplied, 1e-12)
    // The judge that follows length most (gpt-4o) and the one that follows consistency (human).
    assert.deepEqual((summary['factorAlignment'] as Record<string, {misaligned: string[]}>)['human~gpt-4o']!.misaligned, ['consistency', 'length'])
  })
})

describe('exactly known τ', () => {
  test('a judge that always prefers the longer response has τ(words) = 1; the shorter, −1', async () => {
    const rows = readRows('exact.jsonl')
    const {summary} = await scoreRows(profile, rows, {factors: 'words', bootstrap: 100})
    const words = (summary['factors'] as Record<string, Record<string, {tau: number | null; concordance: number | null; n: number; decided: number}>>)['words']!
    assert.equal(words['longer']!.tau, 1)
    assert.equal(words['longer']!.concordance, 1)
    assert.equal(words['shorter']!.tau, -1)
    assert.equal(words['shorter']!.concordance, 0)
    // Two of the eight pairs have equal lengths (ties): 6 decided.
    assert.equal(words['longer']!.decided, 6)
    // "Always a" never varies: τ undefined; concordance = share of pairs where a is longer (3 of 8).
    assert.equal(words['always-a']!.tau, null)
    assert.equal(words['always-a']!.concordance, 3 / 8)
    // One factor: no correlation between τ vectors (it needs two).
    assert.equal((summary['alignment'] as Record<string, unknown>)['longer~shorter'], null)
  })

  test('with two factors, judges weighing them in opposite order have alignment −1', async () => {
    const rows = [
      pair('one two three four five', 'one', {long: 'a', dense: 'b'}, {factors_a: {dense: 1}, factors_b: {dense: 2}}),
      pair('one', 'one two three four five six', {long: 'b', dense: 'a'}, {factors_a: {dense: 3}, factors_b: {dense: 1}}),
      pair('a b c', 'a b c d e f g', {long: 'b', dense: 'a'}, {factors_a: {dense: 5}, factors_b: {dense: 4}}),
      pair('x y z w', 'x', {long: 'a', dense: 'b'}, {factors_a: {dense: 0}, factors_b: {dense: 9}}),
    ]
    const {summary} = await scoreRows(profile, rows, {factors: 'words', bootstrap: 50, topK: 1})
    assert.deepEqual(summary['alignment'], {'long~dense': -1})
    const pairAlignment = (summary['factorAlignment'] as Record<string, {topK: unknown; factors: Record<string, {difference: number}>}>)['long~dense']!
    assert.deepEqual(pairAlignment.topK, {k: 1, first: ['words'], second: ['dense'], shared: 0, agreement: 0})
    assert.equal(pairAlignment.factors['words']!.difference, 2)
  })
})

describe('per task', () => {
  test('rows of several tasks are also analysed task by task (byTask)', async () => {
    const rows = [
      pair('a b c d', 'a', {human: 'a', model: 'a'}, {task: 'summarization'}),
      pair('a', 'a b c', {human: 'b', model: 'b'}, {task: 'summarization'}),
      pair('a b', 'a b c d e', {human: 'b', model: 'b'}, {task: 'summarization'}),
      pair('a b c d', 'a', {human: 'b', model: 'a'}, {task: 'qa'}),
      pair('a', 'a b c', {human: 'a', model: 'b'}, {task: 'qa'}),
      pair('a b c', 'a b', {human: 'b', model: 'a'}, {task: 'qa'}),
    ]
    const {summary} = await scoreRows(profile, rows, {factors: 'words', bootstrap: 20})
    const byTask = summary['byTask'] as Record<string, {pairs: number; factors: Record<string, Record<string, {tau: number}>>}>
    assert.deepEqual(Object.keys(byTask), ['summarization', 'qa'])
    assert.equal(byTask['summarization']!.pairs, 3)
    // τ-b divides by √(n₀ − n_x)·√(n₀ − n_y) as scipy does, so a perfect τ may round to 1 − 1e-16.
    const near = (value: number, want: number) => assert.ok(Math.abs(value - want) < 1e-12, `${value} is not ${want}`)
    near(byTask['summarization']!.factors['words']!['human']!.tau, 1)
    near(byTask['qa']!.factors['words']!['human']!.tau, -1)
    near(byTask['qa']!.factors['words']!['model']!.tau, 1)
    // Over both tasks the human's length preferences cancel out.
    assert.equal((summary['factors'] as Record<string, Record<string, {tau: number}>>)['words']!['human']!.tau, 0)
    const single = await scoreRows(profile, rows.slice(0, 3), {factors: 'words', bootstrap: 20})
    assert.equal(single.summary['byTask'], undefined)
  })
})

describe('rows and factors', () => {
  test('list params: comma-separated text or a JSON list, spaces and repeats tolerated', () => {
    assert.deepEqual(listParam(' words, density ,,'), ['words', 'density'])
    assert.deepEqual(listParam(['words', 'density,sentences']), ['words', 'density', 'sentences'])
    assert.deepEqual(listParam(''), [])
  })

  test('supplied values win over computed ones, and are listed', async () => {
    const {outcomes} = await scoreRows(profile, [pair('a b c', 'a', {human: 'a'}, {factors_a: {words: 100, custom: 1}, factors_b: {custom: 2}})], {factors: 'words,density', bootstrap: 10})
    const value = (outcomes[0] as {value: {factors_a: Record<string, number>; factors_b: Record<string, number>; supplied: string[]}}).value
    assert.deepEqual(value.factors_a, {words: 100, custom: 1, density: 1})
    assert.deepEqual(value.factors_b, {custom: 2, words: 1, density: 1})
    assert.deepEqual(value.supplied.sort(), ['custom', 'words'])
  })

  test('a factor missing on some rows is counted over the rows it covers', async () => {
    const rows = [
      pair('a b', 'a', {human: 'a'}, {source: 'a b'}),
      pair('a', 'a b c', {human: 'b'}),
      pair('a b c', 'a', {human: 'a'}, {source: 'c'}),
    ]
    const {summary} = await scoreRows(profile, rows, {factors: 'words,source-overlap', bootstrap: 10})
    assert.deepEqual(summary['factorRows'], {words: 3, 'source-overlap': 2})
    const factors = summary['factors'] as Record<string, Record<string, {n: number}>>
    assert.equal(factors['source-overlap']!['human']!.n, 2)
    assert.equal(factors['words']!['human']!.n, 3)
  })

  test('tokens counts with the given tokenizer.json; without one it is a usage error', async () => {
    const tokenizer = join(FIXTURES, 'tokenizers/roberta-bpe/tokenizer.json')
    // "Hello world!" is 6 tokens in this tokenizer (fixtures/tokenizers/roberta-bpe/expected.json: 8 ids with <s> and </s>).
    const {outcomes} = await scoreRows(profile, [pair('Hello world!', 'Hello', {human: 'a'})], {factors: 'tokens', tokenizer, bootstrap: 10})
    assert.equal((outcomes[0] as {value: {factors_a: {tokens: number}}}).value.factors_a.tokens, 6)
    const folder = await scoreRows(profile, [pair('Hello world!', 'Hello', {human: 'a'})], {factors: ['tokens'], tokenizer: join(FIXTURES, 'tokenizers/roberta-bpe'), bootstrap: 10})
    assert.equal((folder.outcomes[0] as {value: {factors_a: {tokens: number}}}).value.factors_a.tokens, 6)
    await assert.rejects(scoreRows(profile, [pair('x', 'y', {human: 'a'})], {factors: 'tokens'}), /no tokenizer was given.*/s)
  })

  test('an unknown extractor is a usage error listing the known ones', async () => {
    await assert.rejects(scoreRows(profile, [pair('x', 'y', {human: 'a'})], {factors: 'words,lenght'}), (error: Error & {exitCode?: number}) => {
      assert.match(error.message, /unknown factor extractor "lenght"/)
      assert.equal(error.exitCode, 2)
      return true
    })
  })

  test('alignscore without an engine says so', async () => {
    await assert.rejects(scoreRows(profile, [pair('x', 'y', {human: 'a'}, {source: 'x'})], {factors: 'alignscore'}), /no ONNX engine/)
  })
})
