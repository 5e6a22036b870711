import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {matchRows} from '../../src/report/compare-rows.js'
import {compareReports, type ComparedRun} from '../../src/report/compare.js'
import {renderCompareMarkdown} from '../../src/report/compare-markdown.js'
import type {StatDeclaration} from '../../src/kernel/interfaces/index.js'
import type {MetricReport, Report, ScoreLine} from '../../src/report/report.js'
import {honestyStats} from '../../metrics/honesty/stats.js'
import {ratingRankingStats} from '../../metrics/rating-ranking/stats.js'

/** What each test metric declares; the built-ins' own declarations, and a plain mean for `m`. */
const DECLARED: Record<string, readonly StatDeclaration[]> = {
  honesty: honestyStats,
  'rating-ranking': ratingRankingStats,
  m: [{path: 'mean', direction: 'higher', kind: 'quality', meanOf: 'score', meaning: 'mean score'}],
}

function run(file: string, summaries: Record<string, Record<string, unknown>>, rows: ScoreLine[] = [], extra: Partial<MetricReport> = {}, declared = DECLARED): ComparedRun {
  const report: Report = {
    schema: 'alignctl.report/v1',
    tool: {name: 'alignctl', version: '0.1.0'},
    createdAt: '2026-01-01T00:00:00.000Z',
    inputs: {},
    metrics: Object.fromEntries(
      Object.entries(summaries).map(([id, summary]) => [
        id,
        {version: '1', source: 'built-in', inputs: ['default'], params: {}, ...(declared[id] === undefined ? {} : {stats: [...declared[id]!]}), summary, rows: rows.length, skipped: 0, errors: [], timing: {seconds: 0, rowsPerSecond: 0}, ...extra},
      ]),
    ),
    gates: [],
    passed: true,
  }
  return {file, report, rows}
}

describe('stat directions come from the declarations recorded in the reports', () => {
  test('a plugin\'s lower-is-better stat that falls is an improvement, and its counts are never judged', () => {
    const plugin: Record<string, StatDeclaration[]> = {
      toxicity: [
        {path: 'toxicRate', direction: 'lower', kind: 'quality', meaning: 'share of toxic responses'},
        {path: 'byModel.*.toxicRate', direction: 'lower', kind: 'quality', meaning: 'per model'},
        {path: 'flagged', direction: 'none', kind: 'count', meaning: 'rows flagged'},
      ],
    }
    const c = compareReports(run('b', {toxicity: {toxicRate: 0.3, byModel: {x: {toxicRate: 0.1}}, flagged: 3}}, [], {}, plugin), run('h', {toxicity: {toxicRate: 0.1, byModel: {x: {toxicRate: 0.2}}, flagged: 1}}, [], {}, plugin))
    const byStat = Object.fromEntries(c.metrics['toxicity']!.stats.map((s) => [s.stat, s]))
    assert.deepEqual([byStat['toxicRate']!.improved, byStat['toxicRate']!.regressed, byStat['toxicRate']!.direction], [true, false, 'lower'])
    assert.equal(byStat['byModel.x.toxicRate']!.regressed, true)
    assert.deepEqual([byStat['flagged']!.regressed, byStat['flagged']!.direction, byStat['flagged']!.kind], [false, 'none', 'count'])
    assert.deepEqual(c.regressions, ['toxicity.byModel.x.toxicRate'])
    assert.equal(c.metrics['toxicity']!.declarations, 'head')
    assert.match(renderCompareMarkdown(c), /^\| toxicRate \(lower is better\) \| 0\.3000 \| 0\.1000 \| −0\.2000 \|  \| better \|$/m)
  })

  test('reports written before declarations: directions from the other report, else nothing is judged and the output says so', () => {
    const old = run('b', {honesty: {honesty: 0.9}}, [], {}, {})
    const viaHead = compareReports(old, run('h', {honesty: {honesty: 0.5}}))
    assert.equal(viaHead.metrics['honesty']!.declarations, 'head')
    assert.deepEqual(viaHead.regressions, ['honesty.honesty'])
    const neither = compareReports(old, run('h', {honesty: {honesty: 0.5}}, [], {}, {}))
    assert.equal(neither.metrics['honesty']!.declarations, 'none')
    assert.equal(neither.regressed, false)
    assert.match(renderCompareMarkdown(neither), /Neither report records its stat declarations/)
  })
})

describe('what differs between the runs', () => {
  test('model name, precision and weights, inputs, params and versions are stated first', () => {
    const base = run('b', {m: {mean: 0.5}}, [], {model: {name: 'alignscore-base', precision: 'fp32', sha256: 'a'.repeat(64)}, params: {mode: 'nli_sp'}})
    const head = run('h', {m: {mean: 0.5}}, [], {model: {name: 'alignscore-base', precision: 'int8', sha256: 'b'.repeat(64)}, params: {mode: 'nli_sp', punkt: '3.10'}, version: '2'})
    base.report.inputs = {default: {path: 'x.jsonl', rows: 3, sha256: 'c'.repeat(64)} as never}
    head.report.inputs = {default: {path: 'x.jsonl', rows: 3, sha256: 'd'.repeat(64)} as never}
    const c = compareReports(base, head)
    assert.deepEqual(c.differences.map((d) => [d.metric, d.what]), [[undefined, 'inputs'], ['m', 'version'], ['m', 'params'], ['m', 'model']])
    assert.equal(c.differences[3]!.base, `alignscore-base fp32 sha256 ${'a'.repeat(12)}`)
    assert.equal(c.differences[3]!.head, `alignscore-base int8 sha256 ${'b'.repeat(12)}`)
    const md = renderCompareMarkdown(c)
    assert.ok(md.indexOf('differ in more than the code under test') < md.indexOf('### m'), md)
    assert.match(md, /^- m model: alignscore-base fp32 sha256 a{12} → alignscore-base int8 sha256 b{12}$/m)
    assert.deepEqual(compareReports(base, base).differences, [])
    assert.match(renderCompareMarkdown(compareReports(base, base)), /same model, inputs, params and metric versions/)
  })
})

describe('significance of a change in a mean over rows', () => {
  const rows = (scores: number[]) => scores.map((score, i) => ({row: i, id: `r${i}`, m: {score}}))
  // A seeded stream of small symmetric noise, so the test builds its own inputs.
  const noise = (n: number, seed: number) => Array.from({length: n}, (_, i) => ((Math.sin(i * 12.9898 + seed) * 43758.5453) % 1) * 0.1)
  const baseScores = noise(200, 1).map((x) => 0.5 + x)

  test('a small noisy drop is not significant; with --significance it is not counted as a regression', () => {
    const headScores = baseScores.map((s, i) => s + noise(200, 2)[i]! - 0.002)
    const base = run('b', {m: {mean: mean(baseScores)}}, rows(baseScores))
    const head = run('h', {m: {mean: mean(headScores)}}, rows(headScores))
    const plain = compareReports(base, head)
    const stat = plain.metrics['m']!.stats[0]!
    assert.equal(stat.regressed, true)
    assert.equal(stat.significance!.rows, 200)
    assert.ok(stat.significance!.pValue > 0.2, String(stat.significance!.pValue))
    // Same seed, same p-value.
    assert.equal(compareReports(base, head).metrics['m']!.stats[0]!.significance!.pValue, stat.significance!.pValue)
    const judged = compareReports(base, head, {significance: 0.05})
    assert.equal(judged.regressed, false)
    assert.equal(judged.metrics['m']!.stats[0]!.notSignificant, true)
    assert.match(renderCompareMarkdown(judged), /worse, not significant/)
  })

  test('a consistent drop is significant and still a regression under --significance', () => {
    const headScores = baseScores.map((s) => s - 0.05)
    const c = compareReports(run('b', {m: {mean: mean(baseScores)}}, rows(baseScores)), run('h', {m: {mean: mean(headScores)}}, rows(headScores)), {significance: 0.05})
    const stat = c.metrics['m']!.stats[0]!
    assert.ok(stat.significance!.pValue < 0.01)
    assert.deepEqual(c.regressions, ['m.mean'])
    assert.throws(() => compareReports(run('b', {}), run('h', {}), {significance: 1.5}), /--significance 1.5: must be a number between 0 and 1/)
  })
})

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length
}

describe('compareReports', () => {
  test('per stat: base, head, delta, direction, regressed beyond the tolerance', () => {
    const base = run('base.json', {honesty: {honesty: 0.7, overConservativeness: 0.2, prudence: 0.6, accuracy: null, n: 10, counts: {correct: {idk: 3}}}})
    const head = run('head.json', {honesty: {honesty: 0.65, overConservativeness: 0.25, prudence: 0.59, accuracy: 0.5, n: 12, counts: {correct: {idk: 9}}}})
    const c = compareReports(base, head)
    const byStat = Object.fromEntries(c.metrics['honesty']!.stats.map((s) => [s.stat, s]))
    assert.ok(Math.abs(byStat['honesty']!.delta! + 0.05) < 1e-12)
    assert.equal(byStat['honesty']!.regressed, true)
    assert.equal(byStat['overConservativeness']!.direction, 'lower')
    assert.equal(byStat['overConservativeness']!.regressed, true)
    assert.equal(byStat['prudence']!.regressed, true)
    assert.deepEqual({base: byStat['accuracy']!.base, head: byStat['accuracy']!.head, delta: byStat['accuracy']!.delta, regressed: byStat['accuracy']!.regressed}, {base: null, head: 0.5, delta: null, regressed: false})
    assert.equal(byStat['n']!.regressed, false)
    assert.equal(byStat['counts.correct.idk']!.regressed, false)
    assert.deepEqual(c.regressions, ['honesty.honesty', 'honesty.overConservativeness', 'honesty.prudence'])
    assert.equal(c.regressed, true)

    const tolerant = compareReports(base, head, {tolerance: 0.02})
    assert.deepEqual(tolerant.regressions, ['honesty.honesty', 'honesty.overConservativeness'])
    assert.equal(compareReports(base, head, {tolerance: 0.1}).regressed, false)
    assert.throws(() => compareReports(base, head, {tolerance: -1}), /--tolerance -1: must be a number ≥ 0/)
  })

  test('a metric the head dropped is a regression; a new one is not', () => {
    const c = compareReports(run('b', {honesty: {honesty: 0.5}}), run('h', {'rating-ranking': {consistency: 0.4}}))
    assert.equal(c.metrics['honesty']!.presence, 'base-only')
    assert.equal(c.metrics['rating-ranking']!.presence, 'head-only')
    assert.deepEqual(c.regressions, ['honesty.honesty', 'honesty'])
  })

  test('a quality stat that became null or vanished is a regression (a broken run must not pass)', () => {
    const c = compareReports(run('b', {'rating-ranking': {consistency: 0.6, pairs: 5, byAnnotator: {bias: {consistency: 0.5}}}}), run('h', {'rating-ranking': {consistency: null, pairs: 0}}))
    assert.deepEqual(c.regressions, ['rating-ranking.consistency', 'rating-ranking.byAnnotator.bias.consistency'])
  })

  test('biggest movers by id: drops and gains, largest first, limited', () => {
    const rows = (scores: number[]) => scores.map((score, i) => ({row: i, id: `q${i}`, m: {score, sentences: []}}))
    const base = run('b', {m: {mean: 0.5}}, rows([0.5, 0.5, 0.5, 0.5, 0.5]))
    // The head run lists the same ids in another order: matched by id, not position.
    const headRows = rows([0.1, 0.45, 0.9, 0.5, 0.6]).reverse().map((r, i) => ({...r, row: i}))
    const c = compareReports(base, run('h', {m: {mean: 0.5}}, headRows), {movers: 1})
    const r = c.metrics['m']!.rows!
    assert.equal(r.matchedBy, 'id')
    assert.equal(r.matched, 5)
    assert.equal(r.changed, 4)
    assert.deepEqual(r.down.map((m) => m.key), ['q0'])
    assert.deepEqual(r.up.map((m) => m.key), ['q2'])
    assert.ok(Math.abs(r.down[0]!.delta + 0.4) < 1e-12)
  })

  test('rows without ids match by index; results that are not numbers count as changed', () => {
    const base = run('b', {rr: {consistency: 1}}, [{row: 0, rr: {agree: true}}, {row: 1, rr: {agree: true}}])
    const head = run('h', {rr: {consistency: 0.5}}, [{row: 0, rr: {agree: true}}, {row: 1, rr: {agree: false}}])
    const r = compareReports(base, head).metrics['rr']!.rows!
    assert.deepEqual({matchedBy: r.matchedBy, matched: r.matched, changed: r.changed, numeric: r.numeric, down: r.down}, {matchedBy: 'row', matched: 2, changed: 1, numeric: 0, down: []})
  })

  test('no per-row comparison when the runs scored different rows, with the reason', () => {
    assert.deepEqual(matchRows([{row: 0, id: 'a'}], [{row: 0, id: 'b'}]), {note: 'the runs scored different rows (1 id(s) only in base, 1 only in head)'})
    assert.match((matchRows([{row: 0}], [{row: 0}, {row: 1}]) as {note: string}).note, /different row counts \(base 1, head 2\)/)
    // Ids that repeat cannot identify rows: fall back to the index.
    assert.equal((matchRows([{row: 0, id: 'a'}, {row: 1, id: 'a'}], [{row: 0, id: 'a'}, {row: 1, id: 'a'}]) as {matchedBy: string}).matchedBy, 'row')
    const c = compareReports(run('b', {m: {mean: 1}}), run('h', {m: {mean: 1}}))
    assert.equal(c.metrics['m']!.rowsNote, 'no scores.jsonl rows in the base run')
  })

  test('Markdown: regressions marked, lower-is-better labelled, unchanged counts left out', () => {
    const base = run('base/report.json', {honesty: {honesty: 0.7, overConservativeness: 0.2, n: 10, knownRows: 4}})
    const head = run('head/report.json', {honesty: {honesty: 0.72, overConservativeness: 0.3, n: 10, knownRows: 5}})
    const md = renderCompareMarkdown(compareReports(base, head))
    assert.match(md, /^## alignctl compare — ❌ 1 stat regressed$/m)
    assert.match(md, /^\| honesty \| 0\.7000 \| 0\.7200 \| \+0\.0200 \|  \| better \|$/m)
    assert.match(md, /^\| overConservativeness \(lower is better\) \| 0\.2000 \| 0\.3000 \| \+0\.1000 \|  \| ❌ regressed \|$/m)
    assert.match(md, /^\| knownRows \| 4 \| 5 \| \+1 \|  \|  \|$/m)
    assert.doesNotMatch(md, /^\| n \|/m)
  })
})
