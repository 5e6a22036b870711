import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {describe, test} from 'node:test'

import {
  englishParameters,
  parsePunktTab,
  PunktSentenceTokenizer,
  PunktTabError,
  sentenceSpans,
  splitSentences,
} from '../../../metrics/alignscore/punkt/index.js'
import {ENGLISH_PUNKT_TAB} from '../../../metrics/alignscore/punkt/parameters.js'

// Recorded by scripts/fixtures/punkt.py: NLTK's own PunktSentenceTokenizer, given the
// parameter files under metrics/alignscore/punkt/english/ (what nltk.sent_tokenize runs).
interface Fixture {
  nltk: string
  parameters_sha256: Record<string, string>
  cases: Array<{name: string; text: string; sentences: string[]; spans: Array<[number, number]>}>
}

const fixture = JSON.parse(readFileSync(new URL('punkt-expected.json', import.meta.url), 'utf8')) as Fixture

test('the fixture was made from the parameter files that ship', () => {
  for (const [name, sha256] of Object.entries(fixture.parameters_sha256)) {
    const actual = createHash('sha256').update(readFileSync(new URL(name, ENGLISH_PUNKT_TAB))).digest('hex')
    assert.equal(actual, sha256, `${name} changed since the fixture was made: re-run scripts/fixtures/punkt.py`)
  }
})

describe(`splitSentences matches nltk.sent_tokenize (NLTK ${fixture.nltk}, punkt_tab English)`, () => {
  for (const {name, text, sentences, spans} of fixture.cases) {
    test(name, () => {
      assert.deepEqual(splitSentences(text), sentences)
      assert.deepEqual(
        sentenceSpans(text).map(({start, end}) => [start, end]),
        spans,
      )
    })
  }
})

describe('English parameters', () => {
  test('hold what NLTK publishes in punkt_tab/english', () => {
    const params = englishParameters()
    assert.equal(params.abbrevTypes.size, 156)
    assert.equal(params.collocations.size, 37)
    assert.equal(params.sentStarters.size, 39)
    assert.equal(params.orthoContext.size, 20366)
    // Entries are taken verbatim, trailing space included.
    assert.ok(params.abbrevTypes.has('. . '))
    assert.ok(params.abbrevTypes.has('u.s'))
    assert.ok(params.collocations.has('##number##\tleisure'))
    assert.equal(params.orthoContext.get('the'), 126) // seen in all six case/position contexts
  })

  test('are read once', () => {
    assert.equal(englishParameters(), englishParameters())
  })
})

describe('parsePunktTab', () => {
  const base = {abbrevTypes: '', collocations: '', sentStarters: '', orthoContext: ''}

  test('reads lines as NLTK does: universal newlines, one final newline optional, other whitespace kept', () => {
    const params = parsePunktTab({...base, abbrevTypes: 'dr\r\nu.s\r. . \n', sentStarters: 'the\n\n', collocations: 'j\twalter', orthoContext: 'the\t110\n'})
    assert.deepEqual([...params.abbrevTypes], ['dr', 'u.s', '. . '])
    assert.deepEqual([...params.sentStarters], ['the', ''])
    assert.deepEqual([...params.collocations], ['j\twalter'])
    assert.deepEqual([...params.orthoContext], [['the', 110]])
  })

  test('an empty table is empty', () => {
    const params = parsePunktTab(base)
    assert.equal(params.abbrevTypes.size + params.collocations.size + params.sentStarters.size + params.orthoContext.size, 0)
  })

  test('rejects malformed rows, naming file and line', () => {
    assert.throws(() => parsePunktTab({...base, collocations: 'a\tb\nc'}), (error: unknown) => {
      assert.ok(error instanceof PunktTabError)
      assert.match(error.message, /^collocations\.tab:2: expected 2 tab-separated fields, found 1\./)
      return true
    })
    assert.throws(() => parsePunktTab({...base, orthoContext: 'the\tmany'}), /^PunktTabError: ortho_context\.tab:1: flags "many"/)
  })

  test('a tokenizer uses the parameters it is given', () => {
    const none = new PunktSentenceTokenizer(parsePunktTab(base))
    assert.deepEqual(none.tokenize('Dr. Smith left. He came back.'), ['Dr.', 'Smith left.', 'He came back.'])
    assert.deepEqual(splitSentences('Dr. Smith left. He came back.'), ['Dr. Smith left.', 'He came back.'])
  })
})

// Benchmark note, not a timed test: splitting must stay linear in the text. Each input is
// split at two sizes and the times are reported (node --test prints the diagnostics); only
// the test timeout would catch a quadratic or catastrophic-backtracking regression.
describe('performance stays linear', () => {
  const prose = 'Dr. Smith met Mr. Jones at 5 p.m. in the U.S. capital. "Really?" she asked... (Yes.) '
  const shapes: Record<string, (n: number) => string> = {
    'news-like prose': (n) => prose.repeat(Math.ceil(n / prose.length)),
    'one long word': (n) => 'a'.repeat(n) + '. Next.',
    'long whitespace run': (n) => 'One. ' + ' '.repeat(n) + 'x',
    'run of periods': (n) => '.'.repeat(n),
    'spaced periods': (n) => '. '.repeat(n / 2),
    'punctuation without spaces': (n) => 'b!)'.repeat(n / 3),
    'many abbreviations': (n) => 'Inc. '.repeat(n / 5),
    'many initials': (n) => 'J. '.repeat(n / 3),
    'long next token': (n) => 'Go. ' + 'a.'.repeat(n / 2),
    'commas and dashes in a word': (n) => 'x' + ',-'.repeat(n / 2) + '. Next.',
  }

  for (const [name, make] of Object.entries(shapes)) {
    test(name, {timeout: 120_000}, (t) => {
      const ms = (n: number): number => {
        const text = make(n)
        const start = performance.now()
        splitSentences(text)
        return performance.now() - start
      }
      ms(10_000) // warm up the regexes
      const small = ms(100_000)
      const large = ms(400_000)
      t.diagnostic(`100k chars ${small.toFixed(1)} ms, 400k chars ${large.toFixed(1)} ms (x${(large / Math.max(small, 0.01)).toFixed(1)} for 4x the text)`)
    })
  }
})
