import assert from 'node:assert/strict'
import {test} from 'node:test'

import {checkSupport, parseAspects} from '../../../metrics/ctc/setup.js'

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
