import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../../src/kernel/errors.js'
import type {InputRow} from '../../../src/kernel/interfaces/index.js'
import {combinePairs} from '../../../metrics/rating-ranking/pairs.js'
import {pandasCell, referenceKey} from '../../../metrics/rating-ranking/reference-keys.js'

const rating = (instruction: string, input: string | null | undefined, output: string, value: number): InputRow =>
  input === undefined ? {instruction, output, rating: value} : {instruction, input, output, rating: value}
const ranking = (instruction: string, input: string | null | undefined, output1: string, output2: string, label: string): InputRow =>
  input === undefined ? {instruction, output1, output2, ranking: label} : {instruction, input, output1, output2, ranking: label}

function usageFailure(inputs: Record<string, readonly InputRow[]>): AlignctlError {
  try {
    combinePairs(inputs)
  } catch (error) {
    assert.ok(error instanceof AlignctlError)
    assert.equal(error.exitCode, ExitCode.usage)
    return error
  }
  assert.fail('expected a usage error')
}

describe('which inputs go together', () => {
  const one = [{instruction: 'q', response_a: 'x', response_b: 'y', rating_a: 1, rating_b: 2, ranking: 'b'}]
  const ratings = [rating('q', '', 'x', 1)]
  const rankings = [ranking('q', '', 'x', 'y', '(a)')]

  test('the file of pairs alone, or ratings with rankings', () => {
    assert.equal(combinePairs({default: one}).length, 1)
    assert.equal(combinePairs({ratings, rankings}).length, 1)
  })

  test('anything else is a usage error that says what to pass', () => {
    const cases: Array<[Record<string, readonly InputRow[]>, string]> = [
      [{ratings}, 'only a ratings file (--input ratings=...)'],
      [{rankings}, 'only a rankings file (--input rankings=...)'],
      [{default: one, ratings}, 'a file of pairs (--input <path>) and a ratings file (--input ratings=...)'],
      [{default: one, ratings, rankings}, 'a file of pairs (--input <path>) and a ratings file (--input ratings=...) and a rankings file (--input rankings=...)'],
    ]
    for (const [inputs, given] of cases) {
      const error = usageFailure(inputs)
      assert.equal(error.message, `Metric "rating-ranking" reads either one file of pairs, or a ratings file and a rankings file together; it was given ${given}.`)
      assert.match(error.suggestions[0]!, /--input ratings=ratings\.csv --input rankings=rankings\.csv/)
    }
  })
})

describe('joining ratings to rankings as consistency.py does', () => {
  test('duplicate ratings keep the first rating; duplicate rankings are marked, reversed pairs are not duplicates', () => {
    const pairs = combinePairs({
      ratings: [rating('q', '', 'x', 5), rating('q', '', 'y', 3), rating('q', '', 'x', 1)],
      rankings: [ranking('q', '', 'x', 'y', '(a)'), ranking('q', '', 'x', 'y', '(b)'), ranking('q', '', 'y', 'x', '(b)')],
    })
    assert.deepEqual(pairs.map((p) => [p.ratingA, p.ratingB, p.duplicateOf]), [
      [5, 3, undefined],
      [5, 3, 0],
      [3, 5, undefined],
    ])
  })

  test('an empty, absent, null or "nan" input names the same response, as pandas NaN does', () => {
    const pairs = combinePairs({
      ratings: [rating('q', 'nan', 'x', 5), rating('q', '', 'y', 3)],
      rankings: [ranking('q', '', 'x', 'y', '(a)'), ranking('q', undefined, 'x', 'y', '(a)'), ranking('q', null, 'y', 'x', '(a)'), ranking('q', 'NaN', 'x', 'y', 'equal')],
    })
    assert.deepEqual(pairs.map((p) => [p.ratingA, p.ratingB, p.duplicateOf]), [
      [5, 3, undefined],
      [5, 3, 0],
      [3, 5, undefined],
      [5, 3, 0],
    ])
  })

  test('any field spelled as a pandas missing value matches another such spelling', () => {
    assert.equal(pandasCell('N/A'), null)
    assert.equal(pandasCell('NULL'), null)
    assert.equal(pandasCell(' nan'), ' nan')
    assert.equal(pandasCell('None'), 'None')
    const [pair] = combinePairs({ratings: [rating('q', '', 'NA', 2), rating('q', '', 'fine', 4)], rankings: [ranking('q', '', 'N/A', 'fine', '(b)')]})
    assert.deepEqual([pair!.ratingA, pair!.ratingB], [2, 4])
  })

  test('fields do not run into each other as they do in the reference\'s "-"-joined key', () => {
    assert.notEqual(referenceKey('a-b', 'c', 'd'), referenceKey('a', 'b-c', 'd'))
    const [pair] = combinePairs({ratings: [rating('a-b', 'c', 'x', 1)], rankings: [ranking('a', 'b-c', 'x', 'x', 'equal')]})
    assert.deepEqual([pair!.ratingA, pair!.ratingB], [null, null])
  })

  test('text is compared byte for byte: case, spaces and newlines matter', () => {
    const [pair] = combinePairs({
      ratings: [rating('q', '', 'Line one\nline two', 4), rating('q', '', 'other', 4)],
      rankings: [ranking('q', '', 'Line one\nline two ', 'Other', '(a)')],
    })
    assert.deepEqual([pair!.ratingA, pair!.ratingB], [null, null])
  })

  test('a response missing from the ratings has no rating; its pair keeps the label as written', () => {
    const [pair] = combinePairs({ratings: [rating('q', '', 'x', 5)], rankings: [ranking('q', '', 'x', 'y', '(a)')]})
    assert.deepEqual([pair!.ratingA, pair!.ratingB, pair!.ranking, pair!.source], [5, null, '(a)', 'rankings'])
  })
})

describe('the one-file format', () => {
  const row = (annotator: string | undefined, label: string, extra: Record<string, unknown> = {}): InputRow => ({
    instruction: 'q',
    response_a: 'x',
    response_b: 'y',
    rating_a: 1,
    rating_b: 2,
    ranking: label,
    ...(annotator === undefined ? {} : {annotator}),
    ...extra,
  })

  test('a repeat by the same annotator is a duplicate; another annotator\'s judgement is not', () => {
    const pairs = combinePairs({default: [row('ann1', 'a'), row('ann2', 'b'), row('ann1', 'b'), row(undefined, 'a'), row(undefined, 'a', {input: ''})]})
    assert.deepEqual(pairs.map((p) => p.duplicateOf), [undefined, undefined, 0, undefined, 3])
  })

  test('ids and annotators pass through; numeric annotators become text; absent ratings are null', () => {
    const [pair] = combinePairs({default: [row(undefined, 'a', {id: 7, annotator: 3, rating_b: null})]})
    assert.deepEqual([pair!.id, pair!.annotator, pair!.ratingA, pair!.ratingB, pair!.source], [7, '3', 1, null, 'default'])
  })
})
