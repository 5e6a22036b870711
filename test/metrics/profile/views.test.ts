import assert from 'node:assert/strict'
import {test} from 'node:test'

import type {HtmlKit, MarkdownKit, MetricViewInput} from '../../../src/kernel/interfaces/index.js'
import profile from '../../../metrics/profile/index.js'
import {influenceChart, misalignmentSentences} from '../../../metrics/profile/views.js'
import {scoreRows} from '../../helpers/metric.js'
import {expected, readRows} from './support.js'

// Minimal kits: the report's own land with the report wiring; these escape visibly so the
// test can tell escaped text from raw.
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const htmlKit: HtmlKit = {escape: escapeHtml, formatValue: String, countsTable: () => '', keyedTable: () => ''}
const markdownKit: MarkdownKit = {escape: (text) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;'), formatValue: String}

function viewInput(summary: Record<string, unknown>): MetricViewInput {
  return {id: 'profile', summary, params: {...expected.params}, stats: profile.stats, rows: 60, skipped: 0}
}

test('the factor × judge chart: one series per judge, τ with its interval per factor', () => {
  const chart = influenceChart(viewInput(expected.supplied))!
  assert.equal(chart.kind, 'bar')
  assert.match(chart.title, /95% bootstrap intervals/)
  assert.deepEqual(chart.labels, ['length', 'consistency', 'fluency'])
  assert.deepEqual(chart.series.map((s) => s.label), ['human', 'gpt-4o', 'llama'])
  const factors = expected.supplied['factors'] as Record<string, Record<string, {tau: number; low: number; high: number}>>
  const human = chart.series[0]!
  assert.deepEqual(human.data, [factors['length']!['human']!.tau, factors['consistency']!['human']!.tau, factors['fluency']!['human']!.tau])
  assert.deepEqual(human.intervals![1], [factors['consistency']!['human']!.low, factors['consistency']!['human']!.high])
  assert.equal(influenceChart(viewInput({})), undefined)
})

test('the sentence names the most misaligned factors and who rewards each', () => {
  const sentences = misalignmentSentences(viewInput(expected.supplied))
  assert.equal(sentences[0], 'human and gpt-4o disagree most on consistency (τ 0.74 vs -0.13) and length (τ 0.00 vs 0.83): human rewards consistency more; gpt-4o rewards length more.')
  assert.equal(sentences.length, 3)
})

test('judges that weigh factors alike get a sentence saying so', async () => {
  const rows = readRows('supplied.jsonl').map((row) => ({...row, preferences: {human: (row['preferences'] as Record<string, string>)['human'], copy: (row['preferences'] as Record<string, string>)['human']}}))
  const {summary} = await scoreRows(profile, rows, {factors: '', bootstrap: 50})
  assert.deepEqual(summary['alignment'], {'human~copy': 1})
  assert.match(misalignmentSentences(viewInput(summary))[0]!, /^human and copy weigh no factor differently beyond its bootstrap interval; the largest difference is on length \(τ 0\.00 vs 0\.00\)\.$/)
})

test('html: chart, escaped sentence and alignment table; markdown: τ table, alignment, sentence', () => {
  const summary = structuredClone(expected.supplied) as Record<string, unknown>
  const section = profile.views!.html!(viewInput(summary), htmlKit)
  assert.equal(section.charts!.length, 1)
  assert.match(section.blocks![0]!, /^<p class="profile-misaligned">human and gpt-4o disagree most on consistency/)
  assert.match(section.blocks![1]!, /<caption>Factor-level alignment between judges<\/caption>.*<td>human~gpt-4o<\/td><td>-1\.00<\/td><td>\[-1\.00, -0\.99\]<\/td><td>1\/2<\/td><td>consistency, length<\/td>/)
  const md = profile.views!.markdown!(viewInput(summary), markdownKit)
  assert.match(md, /^\| factor \| human \| gpt-4o \| llama \|\n\| --- \| ---: \| ---: \| ---: \|\n\| length \| 0\.00 \[-0\.21, 0\.20\] \(n=60\) \| 0\.83 \[0\.75, 0\.91\] \(n=60\) \| 0\.47 \[0\.23, 0\.65\] \(n=48\) \|/)
  assert.match(md, /\| human~gpt-4o \| -1\.00 \| \[-1\.00, -0\.99\] \| 1\/2 \| consistency, length \|/)
  assert.match(md, /human rewards consistency more; gpt-4o rewards length more\./)
})

test('judge and factor names from the data are escaped', () => {
  const summary = {
    factors: {'<b>len|gth</b>': {'h<i>': {tau: 0.5, low: 0.1, high: 0.9, concordance: 1, n: 3, decided: 3}}},
    factorAlignment: {},
  }
  const section = profile.views!.html!(viewInput(summary), htmlKit)
  assert.deepEqual(section.blocks, [])
  const md = profile.views!.markdown!(viewInput(summary), markdownKit)
  assert.ok(md.includes('&lt;b>len\\|gth&lt;/b>'))
  assert.ok(!md.includes('<b>'))
})

test('with byTask, each task gets its own sentences after the overall ones', () => {
  const summary = {...structuredClone(expected.supplied), byTask: {summarization: structuredClone(expected.supplied)}}
  const md = profile.views!.markdown!(viewInput(summary), markdownKit)
  assert.match(md, /By task:\n\n- summarization: human and gpt-4o disagree most on consistency/)
  const section = profile.views!.html!(viewInput(summary), htmlKit)
  assert.match(section.blocks![1]!, /^<p class="profile-misaligned-by-task">By task:<br>summarization: human and gpt-4o/)
})
