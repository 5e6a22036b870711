import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'

import {AlignctlError, ExitCode} from '../../../src/kernel/errors.js'
import {loadTokenizer, parseTokenizer} from '../../../src/engine/tokenizer/index.js'
import {tokenizerPath} from './fixtures.js'

const bertJson = () => JSON.parse(readFileSync(tokenizerPath('bert-wordpiece'), 'utf8')) as Record<string, unknown>

// An AlignctlError with this exit code whose message matches.
function failsWith(exitCode: number, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AlignctlError, String(error))
    assert.equal(error.exitCode, exitCode)
    assert.match(error.message, message)
    return true
  }
}

test('a tokenizer.json is compiled once per path and shared', () => {
  const path = tokenizerPath('roberta-bpe')
  assert.equal(loadTokenizer(path), loadTokenizer(path))
  assert.equal(loadTokenizer(path).source, path)
})

test('a missing or broken tokenizer.json is a runtime error that names the file and says how to fix the pack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alignctl-tok-'))
  const missing = join(dir, 'tokenizer.json')
  assert.throws(() => loadTokenizer(missing), failsWith(ExitCode.runtime, new RegExp(`${missing.replaceAll('\\', '\\\\')}: not found`)))
  assert.throws(() => loadTokenizer(missing), (e: AlignctlError) => /alignctl models (verify|pull)/.test(e.suggestions.join(' ')))

  writeFileSync(missing, '{"model": ')
  assert.throws(() => loadTokenizer(missing), failsWith(ExitCode.runtime, /tokenizer\.json: not valid JSON/))
  assert.throws(() => parseTokenizer('[]', 'x/tokenizer.json'), failsWith(ExitCode.runtime, /x\/tokenizer\.json: not a Hugging Face tokenizer\.json: the top level/))
  assert.throws(() => parseTokenizer({}, 'x/tokenizer.json'), failsWith(ExitCode.runtime, /"model" is missing/))
  assert.throws(() => parseTokenizer({...bertJson(), added_tokens: [{content: 1}]}, 'x/tokenizer.json'), failsWith(ExitCode.runtime, /added_tokens\[0\]/))
  assert.throws(
    () => parseTokenizer({...bertJson(), post_processor: {type: 'Fancy'}}, 'x/tokenizer.json'),
    failsWith(ExitCode.runtime, /x\/tokenizer\.json: unsupported post_processor: unknown post_processor type "Fancy"; known: RobertaProcessing/),
  )
  assert.throws(
    () => parseTokenizer({...bertJson(), normalizer: {type: 'Fancy'}}, 'x/tokenizer.json'),
    failsWith(ExitCode.runtime, /x\/tokenizer\.json: @huggingface\/tokenizers cannot build this tokenizer: Unknown Normalizer type: Fancy/),
  )
})

test('absent pipeline keys are read as null, as tokenizers does', () => {
  const {normalizer, pre_tokenizer, decoder, ...rest} = bertJson()
  void normalizer
  void pre_tokenizer
  void decoder
  const tokenizer = parseTokenizer(rest, 'bare')
  assert.equal(tokenizer.encode('tower').ids.length, 3)
})

test('the pad id comes from "padding", else a named pad token, else <pad> or [PAD]', () => {
  assert.equal(parseTokenizer({...bertJson(), padding: {pad_id: 4}}, 'p').padId, 4)
  assert.equal(parseTokenizer(bertJson(), 'p', {padToken: '[MASK]'}).padId, 4)
  assert.equal(parseTokenizer(bertJson(), 'p').padId, 0)
  assert.throws(() => parseTokenizer(bertJson(), 'p', {padToken: '<nope>'}), failsWith(ExitCode.usage, /p: pad token "<nope>" is not in the vocabulary/))
  const json = bertJson()
  const vocab = {...(json['model'] as {vocab: Record<string, number>}).vocab}
  delete vocab['[PAD]']
  const noPad = parseTokenizer({...json, added_tokens: [], model: {...(json['model'] as object), vocab}}, 'nopad.json')
  assert.equal(noPad.padId, undefined)
  assert.throws(() => noPad.pad([noPad.encode('x')]), failsWith(ExitCode.usage, /nopad\.json: no padding token/))
  assert.deepEqual(noPad.pad([noPad.encode('x')], {padId: 7}).dims, [1, 3])
})

test('a max length below the special tokens, or not an integer, is a usage error naming the tokenizer', () => {
  const roberta = loadTokenizer(tokenizerPath('roberta-bpe'))
  assert.throws(() => roberta.encodePair('a', 'b', {maxLength: 3}), failsWith(ExitCode.usage, /roberta-bpe\/tokenizer\.json: max length 3 is less than the 4 special tokens RobertaProcessing adds to a pair/))
  assert.throws(() => roberta.encode('a', {maxLength: 1.5}), failsWith(ExitCode.usage, /max length must be a non-negative integer, got 1.5/))
  // Without special tokens the whole max length is for the texts (3 tokens each here; on a
  // tie the second keeps the odd token).
  assert.deepEqual(roberta.encodePair('a b c', 'd e', {maxLength: 3, addSpecialTokens: false}).sequenceIds, [0, 1, 1])
})

test('post-processors: TemplateProcessing with multi-id specials, BertProcessing, ByteLevel, Sequence and none', () => {
  const base = bertJson()
  const vocab = (base['model'] as {vocab: Record<string, number>}).vocab
  const [cls, sep, mask] = [vocab['[CLS]']!, vocab['[SEP]']!, vocab['[MASK]']!]
  const a = vocab['tower']!
  const b = vocab['the']!
  const withPost = (post: unknown) => parseTokenizer({...base, post_processor: post}, 'post')

  const template = withPost({
    type: 'TemplateProcessing',
    single: [{SpecialToken: {id: 'X', type_id: 0}}, {Sequence: {id: 'A', type_id: 0}}],
    pair: [{Sequence: {id: 'A', type_id: 0}}, {SpecialToken: {id: 'X', type_id: 2}}, {Sequence: {id: 'B', type_id: 1}}],
    special_tokens: {X: {id: 'X', ids: [cls, mask], tokens: ['[CLS]', '[MASK]']}},
  })
  assert.deepEqual(template.specialTokens, {single: 2, pair: 2})
  assert.deepEqual(template.encodePair('tower', 'the'), {ids: [a, cls, mask, b], typeIds: [0, 2, 2, 1], sequenceIds: [0, -1, -1, 1], truncation: {outcome: 'fits'}})

  const bert = withPost({type: 'BertProcessing', sep: ['[SEP]', sep], cls: ['[CLS]', cls]})
  assert.deepEqual(bert.encodePair('tower', 'the').typeIds, [0, 0, 0, 1, 1])
  assert.deepEqual(bert.encodePair('tower', 'the', {addSpecialTokens: false}), {ids: [a, b], typeIds: [0, 1], sequenceIds: [0, 1], truncation: {outcome: 'fits'}})

  for (const post of [null, {type: 'ByteLevel', trim_offsets: true}, {type: 'Sequence', processors: [{type: 'ByteLevel'}]}]) {
    const plain = withPost(post)
    assert.deepEqual(plain.specialTokens, {single: 0, pair: 0})
    assert.deepEqual(plain.encodePair('tower', 'the'), {ids: [a, b], typeIds: [0, 1], sequenceIds: [0, 1], truncation: {outcome: 'fits'}})
  }
  const sequence = withPost({type: 'Sequence', processors: [{type: 'ByteLevel'}, {type: 'RobertaProcessing', sep: ['[SEP]', sep], cls: ['[CLS]', cls]}]})
  assert.deepEqual(sequence.encodePair('tower', 'the').ids, [cls, a, sep, sep, b, sep])
  assert.throws(() => withPost({type: 'TemplateProcessing', single: [{SpecialToken: {id: 'Y', type_id: 0}}], pair: []}), failsWith(ExitCode.runtime, /special token "Y" has no ids/))
})
