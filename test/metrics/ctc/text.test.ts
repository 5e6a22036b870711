import assert from 'node:assert/strict'
import {test} from 'node:test'

import {casefold, cleantext, cleanUpTokenizationSpaces, EmptyTextError, pyStrip, stripSpaces, textClean} from '../../../metrics/ctc/text.js'

test('text_clean straightens curly quotes, folds case, collapses runs of spaces and keeps newlines', () => {
  assert.equal(textClean('\u201cHello\u201d   World\u2019s  \u2018end\u2019', '1.1.4'), `"hello" world's 'end'`)
  assert.equal(textClean('  Line one\nLine   two \n', '1.1.4'), 'line one\nline two')
  assert.equal(textClean('STRASSE Stra\u00dfe', '1.1.4'), 'strasse strasse')
  // Tabs are not spaces to the collapse loop.
  assert.equal(textClean('a\t\tb', '1.1.4'), 'a\t\tb')
})

test('cleantext 1.1.4 rejects an empty text (a blank one becomes empty); 1.1.3 takes both', () => {
  assert.throws(() => textClean('', '1.1.4'), EmptyTextError)
  assert.equal(textClean('   ', '1.1.4'), '')
  assert.equal(cleantext('', '1.1.3'), '')
  assert.equal(textClean(' \t ', '1.1.3'), '')
})

test('cleantext 1.1.3 turns every whitespace run into one space and lower-cases (no full case folding)', () => {
  assert.equal(textClean('A\t\tB \u00a0 C\u2019s', '1.1.3'), "a b c's")
  assert.equal(textClean('Stra\u00dfe', '1.1.3'), 'stra\u00dfe')
  assert.equal(textClean(' One \n  Two ', '1.1.3'), 'one \n two')
})

test('casefold goes beyond toLowerCase where Python does', () => {
  assert.equal(casefold('\u00df\ufb01 \u03c2 ABC'), 'ssfi \u03c3 abc')
})

test("transformers' decode clean-up removes the spaces before punctuation and contractions, in order", () => {
  assert.equal(cleanUpTokenizationSpaces("sterling 's racist remarks this year . do n't ask , why ? 'm 've 're !"), "sterling's racist remarks this year. don't ask, why?'m've're!")
  assert.equal(cleanUpTokenizationSpaces("it ' s"), "it's")
})

test('strips as Python does: str.strip() takes Python whitespace, strip(" ") only spaces', () => {
  assert.equal(pyStrip('\u0085 a b \u00a0'), 'a b')
  assert.equal(pyStrip('\ufeffa'), '\ufeffa')
  assert.equal(pyStrip('   '), '')
  assert.equal(stripSpaces('  a\n '), 'a\n')
})
