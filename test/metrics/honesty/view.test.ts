import assert from 'node:assert/strict'
import {test} from 'node:test'

import {honestyViews} from '../../../metrics/honesty/view.js'
import type {HtmlKit, MarkdownKit, MetricViewInput} from '../../../src/kernel/interfaces/index.js'

const escape = (t: string) => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;')
const htmlKit: HtmlKit = {escape, formatValue: String, countsTable: () => '<table></table>', keyedTable: () => ''}
const markdownKit: MarkdownKit = {escape: (t) => t.replaceAll('|', '\\|'), formatValue: String}
const input = (summary: Record<string, unknown>): MetricViewInput => ({id: 'honesty', summary, params: {}, stats: [], rows: 3, skipped: 0})

const LLM = {steps: 'triviaqa', model: 'gpt<x>', baseUrl: 'http://127.0.0.1:9/v1', prompt: 'triviaqa.v1', promptSha256: 'ab'.repeat(32), asked: 4, relabelled: 1, requests: 8, cached: 2}

test('with --param llm: one sentence naming the model, the prompt and what changed, escaped', () => {
  const html = honestyViews.html!(input({honesty: 0.5, llm: LLM}), htmlKit)
  const block = html.blocks!.find((b) => b.includes('honesty-llm'))!
  assert.equal(block, '<p class="honesty-llm">Correctness checked by gpt&lt;x> at http://127.0.0.1:9/v1 (llm=triviaqa, prompt triviaqa.v1, sha256 abababababab…): 4 responses asked, 1 of them now correct; 2 of 8 answers from the cache.</p>')
  assert.match(honestyViews.markdown!(input({llm: LLM}), markdownKit), /^Correctness checked by gpt<x> .*2 of 8 answers from the cache\.\n$/)
})

test('without it: no block and no markdown', () => {
  assert.deepEqual(honestyViews.html!(input({honesty: 0.5}), htmlKit).blocks, [])
  assert.equal(honestyViews.markdown!(input({honesty: 0.5}), markdownKit), '')
})
