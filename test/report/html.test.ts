import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {scoreHistogram} from '../../src/report/charts.js'
import {renderHtml} from '../../src/report/html.js'
import {scriptForInline} from '../../src/report/html-text.js'
import type {MetricViews, StatDeclaration} from '../../src/kernel/interfaces/index.js'
import {renderMarkdown} from '../../src/report/markdown.js'
import type {Report, ScoreLine} from '../../src/report/report.js'
import {alignscoreViews} from '../../metrics/alignscore/view.js'
import {honestyViews} from '../../metrics/honesty/view.js'
import {ratingRankingViews} from '../../metrics/rating-ranking/view.js'

const BUILT_IN: Record<string, MetricViews> = {alignscore: alignscoreViews, honesty: honestyViews, 'rating-ranking': ratingRankingViews}
const views = (id: string) => BUILT_IN[id]

function report(id: string, summary: Record<string, unknown>, stats?: StatDeclaration[]): Report {
  return {
    schema: 'alignctl.report/v1',
    tool: {name: 'alignctl', version: '0.1.0'},
    createdAt: '2026-01-01T00:00:00.000Z',
    inputs: {},
    metrics: {[id]: {version: '1', source: 'built-in', inputs: ['default'], params: {}, ...(stats === undefined ? {} : {stats}), summary, rows: 0, skipped: 0, errors: [], timing: {seconds: 0, rowsPerSecond: 0}}},
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
    const heatmap = renderHtml(report('rating-ranking', {consistency: 0.8, confusion}), [], {views})
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
    const honesty = renderHtml(report('honesty', {honesty: 0.6, counts, countsByKnowledge: {known: {correct: 1, wrong: 1, idk: 1}, unknown: {correct: 1, wrong: 1, idk: 1}}}), [], {views})
    const cells = [...honesty.matchAll(/<td style="background:[^"]+">(\d+)<\/td>/g)].map((m) => Number(m[1]))
    assert.deepEqual(cells, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    const alignscore = renderHtml(report('alignscore', {mean: 0.5, byDataset: {xsum: {n: 3, rocAuc: 0.8}, frank: {n: 2, rocAuc: 0.7}}}), [], {views})
    assert.match(alignscore, /<tr><th scope="row">xsum<\/th><td>3<\/td><td>0\.8000<\/td><\/tr>/)
    assert.deepEqual(chartSpecs(alignscore).map((c) => c.title), ['ROC AUC by dataset'])
  })
})

describe('views through the plugin API', () => {
  test('a plugin\'s own section, charts and row spans are rendered; without its views the report still shows its stats', () => {
    const pluginViews: MetricViews = {
      html: ({summary, params}, kit) => ({
        charts: [{kind: 'bar', title: 'Toxicity by model', labels: ['x'], series: [{label: 'rate', data: [summary['toxicRate'] as number]}]}],
        blocks: [`<p class="plugin-block">${kit.escape(String(params['note']))}</p>`],
      }),
      spans: [{path: 'explain.tokens', label: 'Response tokens', threshold: 0.3, separator: ''}],
    }
    const r = report('toxicity', {toxicRate: 0.2}, [{path: 'toxicRate', direction: 'lower', kind: 'quality', meaning: 'Share of toxic responses.'}])
    r.metrics['toxicity']!.params = {note: '<img src=x onerror=alert(1)>'}
    const rows: ScoreLine[] = [{row: 0, toxicity: {score: 0.9, explain: {tokens: [{text: 'He', score: 0.9}, {text: 'llo', score: 0.1}]}}}]
    const html = renderHtml(r, rows, {views: (id) => (id === 'toxicity' ? pluginViews : undefined)})
    assert.deepEqual(chartSpecs(html).map((c) => c.title), ['Score distribution (1 rows)', 'Toxicity by model'])
    assert.match(html, /<p class="plugin-block">&lt;img src=x onerror=alert\(1\)&gt;<\/p>/)
    assert.match(html, /toxicity: Response tokens <mark class="unsupported">marked like this<\/mark> score below 0\.3000/)
    const data = JSON.parse(/<script type="application\/json" id="alignctl-data">(.*?)<\/script>/s.exec(html)![1]!) as {spans: Record<string, unknown>}
    assert.deepEqual(data.spans['toxicity'], [{path: 'explain.tokens', label: 'Response tokens', threshold: 0.3, separator: ''}])
    // The declaration's meaning and direction are shown beside the stat.
    assert.match(html, /<tr title="Share of toxic responses\. Lower is better\."><th scope="row">toxicRate <small>\(lower is better\)<\/small>/)
    assert.match(html, /<dt><code>toxicRate<\/code> \(lower is better\)<\/dt><dd>Share of toxic responses\.<\/dd>/)

    // And its meaning is written on the stat's own line.
    assert.match(html, /<td>0\.2000<\/td><td class="meaning">Share of toxic responses\.<\/td><\/tr>/)

    const bare = renderHtml(r, rows)
    assert.doesNotMatch(bare, /plugin-block/)
    assert.deepEqual(chartSpecs(bare).map((c) => c.title), ['Score distribution (1 rows)'])
  })

  test('each row\'s kept input fields are embedded in table order, a field name once across metrics, with the input line', () => {
    const r = report('toxicity', {toxicRate: 0.2})
    r.metrics['other'] = {...r.metrics['toxicity']!}
    const rows: ScoreLine[] = [{row: 0, toxicity: 0.1, other: 0.2}, {row: 2, toxicity: 0.3}]
    const inputs = {
      toxicity: new Map([[0, {fields: [{name: 'response', text: '<b>hi</b>'}], line: 1}], [2, {fields: [{name: 'response', text: 'yo'}], line: 3}]]),
      other: new Map([[0, {fields: [{name: 'response', text: 'ignored: shown once'}, {name: 'prompt', text: 'p'}], line: 1}]]),
    }
    const html = renderHtml(r, rows, {inputs})
    const embedded = JSON.parse(/<script type="application\/json" id="alignctl-inputs">(.*?)<\/script>/s.exec(html)![1]!) as unknown
    assert.deepEqual(embedded, [{fields: [{name: 'response', text: '<b>hi</b>'}, {name: 'prompt', text: 'p'}], line: 1}, {fields: [{name: 'response', text: 'yo'}], line: 3}])
    // Text from the data cannot end the script element.
    assert.doesNotMatch(html, /<b>hi<\/b>/)
    assert.deepEqual(JSON.parse(/id="alignctl-inputs">(.*?)<\/script>/s.exec(renderHtml(r, rows))![1]!), [])
  })

  test('alignscore marks claim sentences below the summary\'s threshold', () => {
    const html = renderHtml(report('alignscore', {mean: 0.5, threshold: 0.42}), [{row: 0, alignscore: {score: 0.5, sentences: [{text: 'a', score: 0.1}]}}], {views})
    const data = JSON.parse(/<script type="application\/json" id="alignctl-data">(.*?)<\/script>/s.exec(html)![1]!) as {spans: Record<string, Array<{threshold: number}>>}
    assert.equal(data.spans['alignscore']![0]!.threshold, 0.42)
    assert.match(html, /alignscore: Claim sentences <mark/)
  })
})

describe('summary.md', () => {
  test('values from the data are escaped: HTML, links, pipes and newlines stay inert', () => {
    const hostile = '<script>alert(1)</script> [x](http://evil) a|b\nc'
    const md = renderMarkdown(report('rating-ranking', {byAnnotator: {[hostile]: {consistency: 0.5}}}))
    assert.doesNotMatch(md, /<script>/)
    assert.doesNotMatch(md, /\[x\]\(http/)
    assert.match(md, /&lt;script&gt;alert\(1\)&lt;\/script&gt; \\\[x\\\]\(http:\/\/evil\) a\\\|b c\.consistency/)
  })

  test('a metric\'s markdown view is appended to its section', () => {
    const md = renderMarkdown(report('toxicity', {toxicRate: 0.2}), {views: () => ({markdown: ({summary}, kit) => `Most toxic: ${kit.escape('<b>model x</b>')} at ${kit.formatValue(summary['toxicRate'])}.`})})
    assert.match(md, /^Most toxic: &lt;b&gt;model x&lt;\/b&gt; at 0\.2000\.$/m)
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
