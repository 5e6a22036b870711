import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import type {InputRow} from '../../../src/kernel/interfaces/index.js'
import {tempFile} from '../../helpers/cli.js'
import {assertDeepClose, evaluatePairs, expectedDatasets, FIXTURE_DIR, readInput, readInputSkipping, statisticsOf, type InputProblem} from './support.js'

const expected = expectedDatasets()

/** Reads a dataset's inputs as `--on-error skip` does (rows with unknown labels left out), then evaluates. */
async function evaluateFixture(name: string) {
  const dataset = expected[name]!
  const inputs: Record<string, InputRow[]> = {}
  const problems: Array<InputProblem & {input: string}> = []
  for (const [input, path] of Object.entries(dataset.inputs)) {
    const read = await readInputSkipping(path, input)
    inputs[input] = read.rows
    problems.push(...read.problems.map((p) => ({input, ...p})))
  }
  return {dataset, problems, ...(await evaluatePairs(inputs))}
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
      const {dataset, problems, outcomes, summary} = await evaluateFixture(name)
      // The script lists the rows whose label the input does not accept; the schema rejects
      // exactly those, naming file, line and field.
      assert.deepEqual(
        problems.map((p) => [p.input, p.row, p.line]),
        dataset.inputErrors.map((e) => [e.input, e.row, e.line]),
      )
      for (const problem of problems) {
        assert.ok(problem.message.startsWith(`${dataset.inputs[problem.input]}:${problem.line}: field "ranking": must be one of `), problem.message)
      }
      assertDeepClose(statisticsOf(summary), dataset.summary)
      assert.deepEqual(
        outcomes,
        dataset.rows.map((r) => ({value: r.value})),
      )
    })
  }
})

test('hand-made feedback files: what the original consistency.py prints, and what alignctl adds', async () => {
  const {dataset, summary, outcomes, problems} = await evaluateFixture('handmade-files')
  // Original script on handmade/ratings.csv + handmade/rankings.csv: "13 9", "13", "Consistency: 50.0".
  assert.equal(summary['consistency'], 0.5)
  assert.equal(summary['pairs'], 6)
  assert.equal(summary['skipped'], 1)
  assert.equal(summary['duplicates'], 1)
  // The reference drops rows 5 "(c)" and 8 "(A)" without a word; alignctl rejects them as bad
  // input rows (records start on lines 10 and 13: earlier records hold multi-line fields).
  assert.deepEqual(
    problems.map((p) => [p.input, p.row, p.line]),
    [
      ['rankings', 5, 10],
      ['rankings', 8, 13],
    ],
  )
  assert.equal(problems[0]!.message, `${dataset.inputs['rankings']}:10: field "ranking": must be one of "(a)", "(b)", "equal".`)
  // The other eight rows are pairs, renumbered 0-7.
  assert.equal(outcomes.length, 8)
})

test('a skipped row does not take part in dropping repeats (the reference keeps it as the "first")', async () => {
  // Row 0 has an unknown label, row 1 repeats its pair with a valid one. consistency.py would
  // keep row 0 as the first of the two, drop row 1, and then ignore row 0: nothing counted.
  // alignctl skips row 0 before repeats are dropped, so row 1 is counted.
  const ratings = tempFile('ratings.csv', 'Q,,x,5\r\nQ,,y,3\r\n')
  const rankings = tempFile('rankings.csv', 'Q,,x,y,(c)\r\nQ,,x,y,(a)\r\n')
  const read = await readInputSkipping(rankings, 'rankings')
  assert.deepEqual(read.problems.map((p) => [p.row, p.line]), [[0, 1]])
  const {outcomes, summary} = await evaluatePairs({ratings: await readInput(ratings, 'ratings'), rankings: read.rows})
  assert.deepEqual(outcomes, [{value: {status: 'counted', fromRatings: 'A', fromRanking: 'a', agree: true}}])
  assert.deepEqual([summary['pairs'], summary['duplicates'], summary['consistency']], [1, 0, 1])
})

test('the one-file format reads the same from JSONL and from CSV with a header', async () => {
  const jsonl = await readInputSkipping(join(FIXTURE_DIR, 'handmade/pairs.jsonl'), 'default')
  const csv = await readInputSkipping(join(FIXTURE_DIR, 'handmade/pairs.csv'), 'default')
  // p8's ranking "A" is skipped from both; the CSV's header row puts it one line lower.
  assert.deepEqual(jsonl.problems.map((p) => [p.row, p.line]), [[7, 8]])
  assert.deepEqual(csv.problems.map((p) => [p.row, p.line]), [[7, 9]])
  assert.match(csv.problems[0]!.message, /pairs\.csv:9: field "ranking": must be one of "a", "b", "equal"\.$/)
  assert.deepEqual(await evaluatePairs({default: csv.rows}), await evaluatePairs({default: jsonl.rows}))
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
