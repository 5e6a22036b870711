// Where @huggingface/tokenizers 0.2.0 differs from the Rust crate, and that our layer does
// not. Each test asserts that the raw port still differs: when one fails after upgrading the
// port, the difference is gone upstream and its fix in library-fixes.ts can go too.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'

import {parseTokenizer} from '../../../src/engine/tokenizer/index.js'
import {Tokenizer} from '../../../src/engine/tokenizer/port.js'
import {type FixtureTokenizer, expected, tokenizerPath} from './fixtures.js'

const json = (name: FixtureTokenizer) => JSON.parse(readFileSync(tokenizerPath(name), 'utf8')) as Record<string, unknown>
const raw = (name: FixtureTokenizer, changes: Record<string, unknown> = {}) => new Tokenizer({...json(name), ...changes}, {})
const ours = (name: FixtureTokenizer, changes: Record<string, unknown> = {}) => parseTokenizer({...json(name), ...changes}, name)

// Reference ids of a fixture text, without special tokens.
function referenceIds(name: FixtureTokenizer, first: string): number[] {
  const c = expected(name).cases.find((c) => c.first === first && c.second === undefined)
  assert.ok(c, `no fixture case ${JSON.stringify(first)}`)
  return c.encoding.ids.filter((_, i) => c.encoding.sequenceIds[i] === 0)
}

function assertPortDiffers(name: FixtureTokenizer, text: string) {
  const reference = referenceIds(name, text)
  assert.notDeepEqual(raw(name).encode(text, {add_special_tokens: false}).ids, reference, 'the port now matches: drop the fix')
  assert.deepEqual(ours(name).tokenIds(text), reference)
}

test('ByteLevel: JavaScript \\s (with U+FEFF, without U+0085) versus Oniguruma \\s splits pre-tokens differently', () => {
  assertPortDiffers('roberta-bpe', 'nbsp\u00a0and\u2003em space, nel\u0085next \u0085x, bom\ufeff?zero')
  assert.ok(ours('roberta-bpe').fixes.includes('byte-level-whitespace'))
})

test('BertNormalizer: a final capital sigma lowercases to σ in Rust, ς in toLowerCase', () => {
  assertPortDiffers('bert-wordpiece', 'ΟΔΟΣ Σίσυφος and ΣΟΦΙΑ')
})

test('BertNormalizer: CJK ideographs outside the BMP get spaces around them in Rust only', () => {
  assertPortDiffers('bert-wordpiece', '中文 text𠀀mixed 漢字')
})

test('Lowercase and StripAccents normalizers: per-character lowercase, and only nonspacing marks removed', () => {
  // U+0903 is a spacing mark (Mc): Rust keeps it, so "a\u0903" is an unknown word, not "a".
  const normalizer = {type: 'Sequence', normalizers: [{type: 'NFD'}, {type: 'StripAccents'}, {type: 'Lowercase'}]}
  const rawIds = raw('bert-wordpiece', {normalizer}).encode('ΟΔΟΣ a\u0903', {add_special_tokens: false}).ids
  const tokenizer = ours('bert-wordpiece', {normalizer})
  const vocab = (json('bert-wordpiece')['model'] as {vocab: Record<string, number>}).vocab
  assert.deepEqual(tokenizer.tokenIds('ΟΔΟΣ a\u0903'), [vocab['οδοσ'], vocab['[UNK]']])
  assert.deepEqual(rawIds, [vocab['οδος'], vocab['a']])
  assert.deepEqual([...tokenizer.fixes].sort(), ['bert-pre-tokenizer-whitespace', 'lowercase-per-character', 'strip-nonspacing-marks'])
})

test('RobertaProcessing: the port gives the second text type id 1, Rust 0; and the port drops an empty second text', () => {
  const c = expected('roberta-bpe').cases.find((c) => c.second === 'The tower is in Paris.')!
  const portPair = raw('roberta-bpe').encode(c.first, {text_pair: c.second ?? null, return_token_type_ids: true})
  assert.ok(portPair.token_type_ids?.includes(1))
  assert.equal(ours('roberta-bpe').encodePair(c.first, c.second!).typeIds.join(''), c.encoding.typeIds)

  const empty = expected('roberta-bpe').cases.find((c) => c.first === 'Context without claim.' && c.second === '')!
  const portEmpty = raw('roberta-bpe').encode(empty.first, {text_pair: ''})
  assert.equal(portEmpty.ids.length, empty.encoding.ids.length - 2, 'the port encodes it as a single text')
  assert.deepEqual(ours('roberta-bpe').encodePair(empty.first, '').ids, empty.encoding.ids)
})
