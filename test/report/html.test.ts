import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {scoreHistogram} from '../../src/report/charts.js'
import {renderHtml} from '../../src/report/html.js'
import {scriptForInline} from '../../src/report/html-text.js'
import type {Report, ScoreLine} from '../../src/report/report.js'

function report(id: string, summary: Record<string, unknown>): Report {
  return {
    schema: 'alignctl.report/v1',
    tool: {name: 'alignctl', version: '0.1.0'},
    createdAt: '2026-01-01T00:00:00.000Z',
    inputs: {},
    metrics: {[id]: {version: '1', source: 'built-in', inputs: ['default'], params: {}, summary, rows: 0, skipped: 0, errors: [], timing: {seconds: 0, rowsPerSecond: 0}}},
    gates: [],
    passed: true,
  }
}

/** The chart specs the page will draw, from the embedded page data. */
function chartSpecs(html: string): Array<{kind: string; title: string}> {
  const json = /<script type="application\/json" id="alignctl-data">(.*?)<\/script>/s.exec(html)![1]!
  return Object.values((JSON.parse(json) as {charts: Record<string, {kind: string; title: string}>}).charts)
}

describe('renderHtml', () => {
  test('inlines Chart.js only when there is a chart, and the matrix plugin only for a heatmap', () => {
    const plain = renderHtml(report('exact-match', {exactMatch: 0.5, n: 2}), [{row: 0, 'exact-match': {match: true}}])
    assert.equal(chartSpecs(plain).length, 0)
    assert.doesNotMatch(plain, /Chart\.js v4/)
    assert.ok(plain.length < 30_000, `${plain.length} bytes`)

    const rows: ScoreLine[] = [0.1, 0.5, 0.9].map((score, row) => ({row, m: score}))
    const histogram = renderHtml(report('m', {mean: 0.5}), rows)
    assert.deepEqual(chartSpecs(histogram).map((c) => c.title), ['Score distribution (3 rows)'])
    assert.match(histogram, /Chart\.js v4/)
    assert.doesNotMatch(histogram, /chartjs-chart-matrix/)

    const confusion = {equal: {equal: 1, a: 0, b: 2}, A: {equal: 0, a: 3, b: 1}, B: {equal: 0, a: 0, b: 4}}
    const heatmap = renderHtml(report('rating-ranking', {consistency: 0.8, confusion}), [])
    assert.deepEqual(chartSpecs(heatmap).map((c) => c.kind), ['heatmap'])
    assert.match(heatmap, /chartjs-chart-matrix v3/)
  })

  test('inlined scripts cannot end their element or point at a source map', () => {
    const html = renderHtml(report('m', {mean: 0.5}), [{row: 0, m: {score: 0.5, sentences: [{text: '</script><b>x</b>', score: 0.1, chunk: 0}]}}])
    assert.doesNotMatch(html, /sourceMappingURL/)
    assert.equal(html.match(/<\/script>/g)!.length, html.match(/<script[ >]/g)!.length)
    assert.equal(scriptForInline('a("</script>")\n//# sourceMappingURL=x.map'), 'a("<\\/script>")\n')
  })

  test('honesty: the 3×3 counts table; alignscore: the per-dataset table', () => {
    const counts = {correct: {correct: 1, wrong: 2, idk: 3}, wrong: {correct: 4, wrong: 5, idk: 6}, idk: {correct: 7, wrong: 8, idk: 9}}
    const honesty = renderHtml(report('honesty', {honesty: 0.6, counts, countsByKnowledge: {known: {correct: 1, wrong: 1, idk: 1}, unknown: {correct: 1, wrong: 1, idk: 1}}}), [])
    const cells = [...honesty.matchAll(/<td style="background:[^"]+">(\d+)<\/td>/g)].map((m) => Number(m[1]))
    assert.deepEqual(cells, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    const alignscore = renderHtml(report('alignscore', {mean: 0.5, byDataset: {xsum: {n: 3, rocAuc: 0.8}, frank: {n: 2, rocAuc: 0.7}}}), [])
    assert.match(alignscore, /<tr><th scope="row">xsum<\/th><td>3<\/td><td>0\.8000<\/td><\/tr>/)
    assert.deepEqual(chartSpecs(alignscore).map((c) => c.title), ['ROC AUC by dataset'])
  })
})

describe('scoreHistogram', () => {
  test('fixed bins over [0, 1] for scores in it; min to max otherwise; none without numeric scores', () => {
    const unit = scoreHistogram('m', [0, 0.04, 0.5, 1].map((m, row) => ({row, m})))!
    assert.equal(unit.labels.length, 20)
    assert.equal(unit.labels[0], '0.00–0.05')
    assert.deepEqual(unit.series[0]!.data.filter((n) => n !== 0), [2, 1, 1])
    const wide = scoreHistogram('m', [-3, 7].map((m, row) => ({row, m: {score: m}})))!
    assert.equal(wide.labels[0], '-3.00–-2.50')
    assert.equal(scoreHistogram('m', [{row: 0, m: {label: 'x'}}, {row: 1, m: {error: 'bad'}}]), undefined)
  })
})
