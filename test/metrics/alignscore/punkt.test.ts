import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {describe, test} from 'node:test'

import {
  DEFAULT_PUNKT_VERSION,
  englishParameters,
  isPunktVersion,
  parsePunktTab,
  PUNKT_VERSIONS,
  PunktSentenceTokenizer,
  PunktTabError,
  sentenceSpans,
  splitSentences,
  type PunktVersion,
} from '../../../metrics/alignscore/punkt/index.js'
import {ENGLISH_PUNKT_TAB} from '../../../metrics/alignscore/punkt/parameters.js'

// Recorded by scripts/fixtures/punkt.py: NLTK 3.10.3's own nltk.sent_tokenize and NLTK 3.8's
// PunktSentenceTokenizer, each given the parameter files under metrics/alignscore/punkt/english/.
interface Fixture {
  nltk: Record<PunktVersion, string>
  parameters_sha256: Record<string, string>
  differing: string[]
  cases: Array<{name: string; text: string; spans: Record<PunktVersion, Array<[number, number]>>}>
}

const fixture = JSON.parse(readFileSync(new URL('punkt-expected.json', import.meta.url), 'utf8')) as Fixture

test('the fixture was made from the parameter files that ship', () => {
  for (const [name, sha256] of Object.entries(fixture.parameters_sha256)) {
    const actual = createHash('sha256').update(readFileSync(new URL(name, ENGLISH_PUNKT_TAB))).digest('hex')
    assert.equal(actual, sha256, `${name} changed since the fixture was made: re-run scripts/fixtures/punkt.py`)
  }
})

test('the fixture has both NLTK versions, and they differ where the curly-quote change says', () => {
  assert.deepEqual(Object.keys(fixture.nltk).sort(), [...PUNKT_VERSIONS].sort())
  const differing = fixture.cases.filter((c) => JSON.stringify(c.spans['3.8']) !== JSON.stringify(c.spans['3.10.3'])).map((c) => c.name)
  assert.deepEqual(differing, fixture.differing)
  // Only texts with a curly quote or guillemet can split differently.
  for (const name of differing) assert.match(fixture.cases.find((c) => c.name === name)!.text, /[\u2018\u2019\u201c\u201d\u00ab\u00bb]/u, name)
})

for (const version of PUNKT_VERSIONS) {
  describe(`splitSentences matches NLTK ${version} (${fixture.nltk[version]})`, () => {
    for (const {name, text, spans} of fixture.cases) {
      test(name, () => {
        const want = spans[version]
        assert.deepEqual(splitSentences(text, version), want.map(([start, end]) => text.slice(start, end)))
        assert.deepEqual(
          sentenceSpans(text, version).map(({start, end}) => [start, end]),
          want,
        )
      })
    }
  })
}

describe('NLTK versions', () => {
  test('the default follows NLTK 3.10.3', () => {
    assert.equal(DEFAULT_PUNKT_VERSION, '3.10.3')
    assert.deepEqual(splitSentences('\u201cHello.\u201d She waved.'), ['\u201cHello.\u201d', 'She waved.'])
    assert.equal(new PunktSentenceTokenizer(englishParameters()).version, '3.10.3')
  })

  test('the three texts of issue 17: two sentences in 3.10.3, one in 3.8', () => {
    const texts: Array<[string, string[]]> = [
      ['\u201cHello.\u201d She waved.', ['\u201cHello.\u201d', 'She waved.']],
      ['\u00abBonjour.\u00bb Il partit.', ['\u00abBonjour.\u00bb', 'Il partit.']],
      ['It was \u2018odd.\u2019 Then rain.', ['It was \u2018odd.\u2019', 'Then rain.']],
    ]
    for (const [text, sentences] of texts) {
      assert.deepEqual(splitSentences(text, '3.10.3'), sentences)
      assert.deepEqual(splitSentences(text, '3.8'), [text])
    }
  })

  test('isPunktVersion accepts exactly the versions followed', () => {
    assert.ok(isPunktVersion('3.10.3') && isPunktVersion('3.8'))
    for (const other of ['3.10', '3.9', '3.8.1', 3.8, undefined]) assert.equal(isPunktVersion(other), false, String(other))
  })
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
