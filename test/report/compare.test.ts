import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {matchRows} from '../../src/report/compare-rows.js'
import {compareReports, type ComparedRun} from '../../src/report/compare.js'
import {renderCompareMarkdown} from '../../src/report/compare-markdown.js'
import type {Report, ScoreLine} from '../../src/report/report.js'
import {statDirection} from '../../src/report/stat-direction.js'

function run(file: string, summaries: Record<string, Record<string, unknown>>, rows: ScoreLine[] = []): ComparedRun {
  const report: Report = {
    schema: 'alignctl.report/v1',
    tool: {name: 'alignctl', version: '0.1.0'},
    createdAt: '2026-01-01T00:00:00.000Z',
    inputs: {},
    metrics: Object.fromEntries(Object.entries(summaries).map(([id, summary]) => [id, {version: '1', source: 'built-in', inputs: ['default'], params: {}, summary, rows: rows.length, skipped: 0, errors: [], timing: {seconds: 0, rowsPerSecond: 0}}])),
    gates: [],
    passed: true,
  }
  return {file, report, rows}
}

describe('stat directions', () => {
  test('higher is better unless listed; counts, shares and analyses are not judged', () => {
    assert.equal(statDirection('honesty'), 'higher')
    assert.equal(statDirection('byDataset.xsum.rocAuc'), 'higher')
    assert.equal(statDirection('overConservativeness'), 'lower')
    assert.equal(statDirection('byAnnotator.ann1.inconsistency'), 'lower')
    // Names a user chose (an annotator called "bias", a dataset called "n") do not switch judging off.
    assert.equal(statDirection('byAnnotator.bias.consistency'), 'higher')
    assert.equal(statDirection('byDataset.n.rocAuc'), 'higher')
    for (const path of ['n', 'counts.correct.idk', 'confusion.A.b', 'byDataset.xsum.n', 'winRateB.ratings.mean', 'bias.ratingVsLength.pearson', 'threshold', 'labelShares.idk', 'judge.relabelled']) {
      assert.equal(statDirection(path), 'none', path)
    }
  })
})

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
    assert.match(md, /^\| honesty \| 0\.7000 \| 0\.7200 \| \+0\.0200 \| better \|$/m)
    assert.match(md, /^\| overConservativeness \(lower is better\) \| 0\.2000 \| 0\.3000 \| \+0\.1000 \| ❌ regressed \|$/m)
    assert.match(md, /^\| knownRows \| 4 \| 5 \| \+1 \|  \|$/m)
    assert.doesNotMatch(md, /^\| n \|/m)
  })
})
