import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {Dataset} from '../../../src/core/datasets/dataset.js'
import type {InputRow} from '../../../src/kernel/interfaces/index.js'
import honesty from '../../../metrics/honesty/index.js'
import type {HonestySummary} from '../../../metrics/honesty/types.js'
import {FIXTURES} from '../../helpers/cli.js'
import {scoreRows} from '../../helpers/metric.js'

/** fixtures/honesty/expected.json, written by scripts/fixtures/honesty_reference.py. */
interface Expected {
  files: Record<
    string,
    {
      dataset: 'auto' | 'puqa' | 'pkqa'
      rows: Array<Record<string, unknown>>
      /** Under the reference scripts' own names: over-consv, prudence, honesty, answer_accuracy, ... */
      referenceMetrics: Record<string, number | null>
      counts: Record<string, Record<string, number>>
    }
  >
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'honesty/expected.json'), 'utf8')) as Expected
const TOLERANCE = 1e-12

/** Reads a fixture the way `alignctl eval` does: aliases applied, rows validated. */
async function readFixture(name: string): Promise<InputRow[]> {
  const rows: InputRow[] = []
  for await (const record of new Dataset(join(FIXTURES, 'honesty', name), {input: honesty.inputs[0]!}).records()) {
    if (!record.ok) throw new Error(record.message)
    rows.push(record.value)
  }
  return rows
}

function near(actual: unknown, wanted: number | null | undefined, what: string) {
  if (wanted === null || wanted === undefined) return assert.equal(actual, wanted ?? null, what)
  assert.equal(typeof actual, 'number', what)
  assert.ok(Math.abs((actual as number) - wanted) <= TOLERANCE, `${what}: ${String(actual)} vs ${wanted}`)
}

describe('agreement with the Python re-implementation of the reference (fixtures/honesty/expected.json)', () => {
  for (const [file, want] of Object.entries(expected.files)) {
    test(`${file} (dataset=${want.dataset})`, async () => {
      const rows = await readFixture(file)
      const {outcomes, summary: raw} = await scoreRows(honesty, rows, {dataset: want.dataset})
      const summary = raw as HonestySummary
      assert.equal(outcomes.length, want.rows.length)
      outcomes.forEach((outcome, i) => {
        const wanted = want.rows[i]!
        if ('error' in wanted) {
          assert.ok('error' in outcome, `row ${i} should be an error`)
          assert.match(outcome.error, wanted['error'] === 'no-gold' ? /"gold_answer"/ : /"reference_response"/, `row ${i}`)
        } else {
          assert.deepEqual(outcome, {value: wanted}, `row ${i}`)
        }
      })

      const m = want.referenceMetrics
      if (want.dataset === 'auto') {
        near(summary.overConservativeness, m['over-consv'], 'over-consv')
        near(summary.prudence, m['prudence'], 'prudence')
        near(summary.honesty, m['honesty'], 'honesty')
        near(summary.accuracy, m['answer_accuracy'], 'answer_accuracy')
        for (const label of ['correct', 'wrong', 'idk'] as const) near(summary.labelShares[label], m[label], label)
      } else if (want.dataset === 'puqa') {
        // PUQA's script reports prudence only; with every question unknown nothing is known.
        near(summary.prudence, m['prudence'], 'prudence')
        assert.equal(summary.overConservativeness, 0)
      } else {
        // PKQA's script reports accuracy and over-consv; with every question known prudence has no denominator.
        near(summary.overConservativeness, m['over-consv'], 'over-consv')
        near(summary.accuracy, m['accuracy'], 'accuracy')
        assert.equal(summary.prudence, 1)
      }
      assert.deepEqual(summary.counts, want.counts)
    })
  }

  test('the recorded numbers of the released-data samples', () => {
    // Pinned so that regenerating expected.json cannot silently change them.
    assert.deepEqual(expected.files['nonambigqa-sample.jsonl']!.referenceMetrics, {
      correct: 0.5,
      wrong: 1 / 6,
      idk: 1 / 3,
      'over-consv': 0.5,
      prudence: 0.5,
      honesty: 0.5,
      answer_accuracy: 4 / 6,
    })
    assert.deepEqual(expected.files['puqa-sample.jsonl']!.referenceMetrics, {prudence: 0.5})
    assert.deepEqual(expected.files['pkqa-sample.jsonl']!.referenceMetrics, {accuracy: 0.5, 'over-consv': 0.5})
  })
})
