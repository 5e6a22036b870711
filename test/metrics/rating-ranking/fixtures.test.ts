import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {tempFile} from '../../helpers/cli.js'
import {assertDeepClose, evaluatePairs, expectedDatasets, FIXTURE_DIR, readInput} from './support.js'

const expected = expectedDatasets()

async function evaluateFixture(name: string) {
  const dataset = expected[name]!
  const inputs: Record<string, Awaited<ReturnType<typeof readInput>>> = {}
  for (const [input, path] of Object.entries(dataset.inputs)) inputs[input] = await readInput(path, input)
  return {dataset, ...(await evaluatePairs(inputs))}
}

describe('rows of the released data (fixtures/rating-ranking/reference)', () => {
  test('reproduces what the original consistency.py and win-rate scripts print', async () => {
    const {summary} = await evaluateFixture('reference-eval')
    // consistency.py --ratings_csv eval_ratings_combined.csv --rankings_csv eval_rankings.csv
    //   → "Consistency: 66.66666666666666"
    assert.equal(summary['pairs'], 6)
    assert.equal(100 * (summary['consistency'] as number), 66.66666666666666)
    // calc_win_rate_from_rankings_eval.py --input eval_rankings.csv, and
    // calc_win_rate_from_ratings_eval.py on the two halves of the ratings:
    //   → "Mean: 50.0", "95% CI: 35.784540423670855" (printed ×100 and ×196·SEM)
    const winRates = summary['winRateB'] as Record<string, {mean: number; ci95: number; pairs: number}>
    for (const protocol of ['ratings', 'rankings']) {
      assert.equal(100 * winRates[protocol]!.mean, 50)
      assert.ok(Math.abs(100 * winRates[protocol]!.ci95 - 35.784540423670855) < 1e-12, `${protocol}: ${winRates[protocol]!.ci95}`)
      assert.equal(winRates[protocol]!.pairs, 6)
    }
    // The per-instruction table of the research notes, as a confusion matrix.
    assert.deepEqual(summary['confusion'], {
      equal: {equal: 1, a: 0, b: 1},
      A: {equal: 0, a: 2, b: 0},
      B: {equal: 1, a: 0, b: 1},
    })
  })

  test('a generation sample with a non-empty input: "Consistency: 100.0"', async () => {
    const {summary} = await evaluateFixture('reference-generation')
    assert.equal(summary['pairs'], 1)
    assert.equal(100 * (summary['consistency'] as number), 100)
    // One pair: a standard error needs two.
    assert.deepEqual(summary['winRateB'], {
      ratings: {pairs: 1, mean: 1, ci95: null, low: null, high: null},
      rankings: {pairs: 1, mean: 1, ci95: null, low: null, high: null},
    })
  })
})

describe('every dataset matches scripts/fixtures/rating-ranking.py', () => {
  for (const name of Object.keys(expected)) {
    test(name, async () => {
      const {dataset, outcomes, summary} = await evaluateFixture(name)
      assertDeepClose(summary, dataset.summary)
      assert.equal(outcomes.length, dataset.rows.length)
      dataset.rows.forEach((wanted, i) => {
        const outcome = outcomes[i]!
        if (wanted.error !== undefined) {
          // The script records the offending label; the message must name it.
          assert.ok('error' in outcome, `row ${i}: expected an error`)
          assert.ok(outcome.error.includes(JSON.stringify(wanted.error)), `row ${i}: ${outcome.error}`)
        } else {
          assert.deepEqual(outcome, {value: wanted.value}, `row ${i}`)
        }
      })
    })
  }
})

test('hand-made feedback files: what the original consistency.py prints, and what alignctl adds', async () => {
  const {summary, outcomes} = await evaluateFixture('handmade-files')
  // Original script on handmade/ratings.csv + handmade/rankings.csv: "13 9", "13", "Consistency: 50.0".
  assert.equal(summary['consistency'], 0.5)
  assert.equal(summary['pairs'], 6)
  assert.equal(summary['skipped'], 1)
  assert.equal(summary['duplicates'], 1)
  // The reference drops rows 5 "(c)" and 8 "(A)" without a word; alignctl reports them.
  const errors = outcomes.flatMap((o, row) => ('error' in o ? [{row, error: o.error}] : []))
  assert.deepEqual(errors.map((e) => e.row), [5, 8])
  assert.match(errors[0]!.error, /^ranking "\(c\)" is not a label this input accepts \(pair for instruction "Is water wet\?"\)\. Use "\(a\)", "\(b\)" or "equal"\./)
})

test('the one-file format reads the same from JSONL and from CSV with a header', async () => {
  const jsonl = await evaluatePairs({default: await readInput(join(FIXTURE_DIR, 'handmade/pairs.jsonl'), 'default')})
  const csv = await evaluatePairs({default: await readInput(join(FIXTURE_DIR, 'handmade/pairs.csv'), 'default')})
  assert.deepEqual(csv, jsonl)
})

test('newlines inside quoted CSV fields are kept byte for byte, so CRLF and LF responses do not join', async () => {
  // The released eval files hold both kinds; the reference keeps them apart (4 of 39 instructions).
  const ratings = tempFile('ratings.csv', 'Q,nan,"first\r\nsecond",6\r\nQ,nan,"other\nreply",4\r\n')
  const rankings = tempFile('rankings.csv', 'Q,nan,"first\nsecond","other\nreply",(a)\r\nQ,nan,"first\r\nsecond","other\nreply",(a)\r\n')
  const {outcomes, summary} = await evaluatePairs({ratings: await readInput(ratings, 'ratings'), rankings: await readInput(rankings, 'rankings')})
  assert.deepEqual(outcomes[0], {value: {status: 'unrated', fromRatings: null, fromRanking: 'a', agree: null, unrated: ['a']}})
  assert.deepEqual(outcomes[1], {value: {status: 'counted', fromRatings: 'A', fromRanking: 'a', agree: true}})
  assert.deepEqual([summary['pairs'], summary['skipped']], [1, 1])
})

test('a header row is recognised; the same rows without one read the same', async () => {
  const body = 'Q,,x,5\nQ,,y,3\n'
  const withHeader = await readInput(tempFile('ratings.csv', `instruction,input,output,rating\n${body}`), 'ratings')
  const without = await readInput(tempFile('ratings.csv', body), 'ratings')
  assert.deepEqual(withHeader, without)
  assert.deepEqual(without[0], {instruction: 'Q', input: '', output: 'x', rating: 5})
})
