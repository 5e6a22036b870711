import assert from 'node:assert/strict'
import {copyFileSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {test} from 'node:test'

import type {CtcParams} from '../../../metrics/ctc/schemas.js'
import {checkSupport, parseAspects, resolveSetup} from '../../../metrics/ctc/setup.js'
import type {MetricEngine} from '../../../src/kernel/interfaces/index.js'
import {FIXTURES, tempDir} from '../../helpers/cli.js'

test('aspects: comma-separated or a list, each once, unknown ones a usage error', () => {
  assert.deepEqual(parseAspects('consistency, relevance,consistency'), ['consistency', 'relevance'])
  assert.deepEqual(parseAspects(['preservation']), ['preservation'])
  assert.throws(() => parseAspects('fluency'), (e: Error & {exitCode?: number}) => e.exitCode === 2 && /"fluency" is not a CTC aspect/.test(e.message))
  assert.throws(() => parseAspects(' , '), /--param aspect is empty/)
})

test('an aligner setting without the checkpoint an aspect needs is a usage error that says which it has', () => {
  assert.doesNotThrow(() => checkSupport('D-cnndm', ['consistency', 'relevance', 'factual-consistency']))
  assert.doesNotThrow(() => checkSupport('R-topical_chat', ['engagingness', 'groundedness']))
  assert.doesNotThrow(() => checkSupport('D', ['relevance', 'preservation']))
  assert.throws(
    () => checkSupport('D-xsum', ['relevance']),
    (e: Error & {exitCode?: number, suggestions?: string[]}) => e.exitCode === 2 && /aligner D-xsum cannot compute relevance: the reference has no "summ_to_ref" checkpoint for D-xsum \(it has doc_to_summ\)/.test(e.message) && /D-cnndm/.test(e.suggestions!.join(' ')),
  )
  assert.throws(() => checkSupport('R-yelp', ['groundedness']), /no "fact_to_response" checkpoint for R-yelp/)
  assert.throws(() => checkSupport('D-cnndm', ['preservation']), /no "sent_to_sent" checkpoint/)
  assert.throws(() => checkSupport('D-mix-albert', ['consistency']), /needs ALBERT/)
})

/** A pack folder with just what the setup reads: its manifest and tokenizer. */
function fakePack(manifest: Record<string, unknown>): string {
  const dir = tempDir()
  copyFileSync(join(FIXTURES, 'tokenizers/roberta-bpe/tokenizer.json'), join(dir, 'tokenizer.json'))
  writeFileSync(join(dir, 'alignctl-model.json'), JSON.stringify({tokenizer: {file: 'tokenizer.json'}, ...manifest}))
  return dir
}

function fakeEngine(task: string): MetricEngine {
  return {
    load: async (ref) => ({
      info: {name: basename(ref), dir: ref, task, precision: 'fp32', maxLength: 512, outputs: []},
      fits: () => true,
      run: async () => [],
    }),
  }
}

const params = (given: Partial<CtcParams>): CtcParams => ({aspect: 'preservation', rescale: true, prefixSpace: true, cleantext: '1.1.3', decodeCleanup: true, stopwordList: '179', ...given})
const quiet = {info() {}, warn() {}, debug() {}}

test("rescale uses bert_score's published baseline of the pack's model and layer, or the baseline param", async () => {
  const mnli = fakePack({architecture: 'roberta', layer: 9, source: {repo: 'FacebookAI/roberta-large-mnli'}})
  const setup = await resolveSetup(params({}), fakeEngine('ctc-e'), mnli, quiet)
  assert.equal(setup.aligner, 'E-roberta-mnli')
  assert.deepEqual(setup.baseline, {value: 0.76359564, source: 'bert_score roberta-large-mnli layer 9'})
  const large = fakePack({architecture: 'roberta', layer: 17, source: {repo: 'FacebookAI/roberta-large'}})
  assert.equal((await resolveSetup(params({}), fakeEngine('ctc-e'), large, quiet)).baseline?.value, 0.83122575)
  const given = await resolveSetup(params({baseline: 0.25}), fakeEngine('ctc-e'), large, quiet)
  assert.deepEqual(given.baseline, {value: 0.25, source: 'param'})
  // The published baseline is per layer: roberta-large cut at layer 9 has none.
  const cut = fakePack({architecture: 'roberta', layer: 9, source: {repo: 'FacebookAI/roberta-large'}})
  await assert.rejects(resolveSetup(params({}), fakeEngine('ctc-e'), cut, quiet), /no published baseline for pack .*roberta, layer 9, FacebookAI\/roberta-large/)
})

test('aggregation and stopwords: the scorer defaults per aspect unless given; R takes neither', async () => {
  const pack = fakePack({architecture: 'roberta', layer: 17, source: {repo: 'FacebookAI/roberta-large'}})
  const setup = await resolveSetup(params({aspect: 'consistency,groundedness', rescale: false}), fakeEngine('ctc-e'), pack, quiet)
  assert.deepEqual(setup.settings, {consistency: {aggregation: 'mean', stopwords: false}, groundedness: {aggregation: 'sum', stopwords: true}})
  const given = await resolveSetup(params({aspect: 'consistency,groundedness', rescale: false, aggregation: 'sum', stopwords: false}), fakeEngine('ctc-e'), pack, quiet)
  assert.deepEqual(given.settings, {consistency: {aggregation: 'sum', stopwords: false}, groundedness: {aggregation: 'sum', stopwords: false}})
  const warnings: string[] = []
  const r = await resolveSetup(params({aspect: 'groundedness', rescale: false, aggregation: 'mean'}), fakeEngine('ctc-r'), fakePack({architecture: 'bert'}), {...quiet, warn: (m) => warnings.push(m)})
  assert.deepEqual(r.settings, {groundedness: {aggregation: 'none', stopwords: false}})
  assert.match(warnings.join('\n'), /R aligner gives one score per pair/)
})
