import assert from 'node:assert/strict'
import {test} from 'node:test'

import {ctcStats} from '../../../metrics/ctc/stats.js'
import type {CtcResult} from '../../../metrics/ctc/score.js'
import type {CtcParams, CtcRow} from '../../../metrics/ctc/schemas.js'
import {summarizeCtc} from '../../../metrics/ctc/summary.js'
import {ctcHtml, ctcMarkdown, ctcSpans} from '../../../metrics/ctc/views.js'
import type {RunSetup} from '../../../metrics/ctc/setup.js'

const params: CtcParams = {aspect: 'consistency,groundedness', rescale: false, prefixSpace: true, cleantext: '1.1.3', decodeCleanup: true, stopwordList: '179'}

function row(i: number, consistency: number, tokenScores: number[]) {
  const value: CtcResult = {
    consistency,
    groundedness: consistency * 2,
    aligner: 'E-roberta',
    tokens: {consistency: tokenScores.map((score, k) => ({text: ` t${k}`, score})), groundedness: [{text: ' the', score: 0.01, stopword: true}, {text: ' x', score: 0.9}]},
    aligns: {consistency: [{input: 'summary', context: 'document', value: consistency}]},
  }
  return {row: i, input: {} as CtcRow, value}
}

const setup = {aspects: ['consistency', 'groundedness'], kind: 'E', aligner: 'E-roberta', packs: {doc_to_summ: 'ctc-e-roberta', fact_to_response: 'ctc-e-roberta'}, settings: {consistency: {aggregation: 'mean', stopwords: false}, groundedness: {aggregation: 'sum', stopwords: true}}} as unknown as RunSetup

test('summary: one mean per aspect, n, what ran, and per aspect the lowest tenth of token scores as the marking threshold', () => {
  const scores = Array.from({length: 20}, (_, k) => k / 20)
  const summary = summarizeCtc([row(0, 0.5, scores), row(1, 0.7, scores.slice(10))], params, setup)
  assert.equal(summary.n, 2)
  assert.ok(Math.abs((summary['consistency'] as number) - 0.6) < 1e-12)
  assert.ok(Math.abs((summary['groundedness'] as number) - 1.2) < 1e-12)
  // 30 token scores; the 10th percentile (index ⌊29 × 0.1⌋ = 2 of the sorted scores).
  assert.equal(summary.tokenThresholds['consistency'], 0.1)
  // Stopwords the aggregation dropped do not set the threshold.
  assert.equal(summary.tokenThresholds['groundedness'], 0.9)
  assert.deepEqual(summary.settings['aspects'], setup.settings)
  assert.deepEqual(summary.settings['variants'], {prefixSpace: true, decodeCleanup: true, stopwordList: '179'})
})

test('summary of a D run marks words the aligner gives under 0.5; an R run marks none', () => {
  const d = summarizeCtc([row(0, 0.5, [0.2])], params, {...setup, kind: 'D', aligner: 'D'} as RunSetup)
  assert.deepEqual(d.tokenThresholds, {consistency: 0.5, groundedness: 0.5})
  const r = summarizeCtc([row(0, 0.5, [0.2])], params, {...setup, kind: 'R', aligner: 'R'} as RunSetup)
  assert.deepEqual(r.tokenThresholds, {})
})

test('every aspect and n are declared stats, each aspect the mean of the same key of the row result', () => {
  for (const aspect of ['consistency', 'relevance', 'preservation', 'engagingness', 'groundedness', 'factual-consistency']) {
    const stat = ctcStats.find((s) => s.path === aspect)
    assert.ok(stat !== undefined, aspect)
    assert.equal(stat.meanOf, aspect)
    assert.equal(stat.direction, 'higher')
  }
  assert.equal(ctcStats.find((s) => s.path === 'n')?.kind, 'count')
})

test('spans: the scored text\'s tokens per aspect, with the threshold from the summary', () => {
  const summary = summarizeCtc([row(0, 0.5, [0.1, 0.9])], params, setup)
  const span = ctcSpans.find((s) => s.path === 'tokens.consistency')!
  assert.equal(span.label, 'summary tokens (consistency)')
  assert.equal(typeof span.threshold === 'function' ? span.threshold(summary) : span.threshold, 0.1)
  const none = ctcSpans.find((s) => s.path === 'tokens.preservation')!
  assert.equal(typeof none.threshold === 'function' ? none.threshold(summary) : none.threshold, Number.NEGATIVE_INFINITY)
})

const kit = {
  escape: (t: string) => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;'),
  formatValue: (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : '—'),
  countsTable: () => '',
  keyedTable: () => '',
}

test('html and markdown views: the aspects with their settings and what ran, data escaped', () => {
  const summary = summarizeCtc([row(0, 0.5, [0.1])], params, {...setup, packs: {doc_to_summ: '<pack>'}} as unknown as RunSetup)
  const input = {id: 'ctc', summary, params, stats: ctcStats, rows: 1, skipped: 0}
  const html = ctcHtml(input, kit)
  assert.equal(html.charts?.[0]?.kind, 'bar')
  assert.deepEqual(html.charts?.[0]?.kind === 'bar' ? html.charts[0].labels : [], ['consistency', 'groundedness'])
  const blocks = html.blocks!.join('\n')
  assert.match(blocks, /<td>groundedness<\/td><td>1.0000<\/td><td>sum<\/td><td>removed<\/td>/)
  assert.match(blocks, /doc_to_summ = &lt;pack>/)
  const md = ctcMarkdown(input, {escape: (t) => t.replaceAll('|', '\\|'), formatValue: kit.formatValue})
  assert.match(md, /\| consistency \| 0.5000 \| mean \| kept \|/)
  assert.match(md, /Library-version behaviour: prefixSpace = true/)
  assert.deepEqual(ctcHtml({...input, summary: {n: 0}}, kit), {})
})
