import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Dataset} from '../../../src/core/datasets/dataset.js'
import type {InputRow, RowOutcome} from '../../../src/kernel/interfaces/index.js'
import {resolveParams} from '../../../src/core/params.js'
import ratingRanking from '../../../metrics/rating-ranking/index.js'
import type {PairValue} from '../../../metrics/rating-ranking/types.js'
import {FIXTURES} from '../../helpers/cli.js'
import {scoreRows} from '../../helpers/metric.js'

export const FIXTURE_DIR = join(FIXTURES, 'rating-ranking')

/** A row the dataset layer rejects: its 0-based row, the line it starts on, and why. */
export interface InputProblem {
  row: number
  line: number
  message: string
}

/**
 * Reads one input file the way `alignctl eval --on-error skip` does: the rows that pass the
 * input's schema go on to `combine`, the others are left out and returned as problems.
 */
export async function readInputSkipping(file: string, inputName: string): Promise<{rows: InputRow[]; problems: InputProblem[]}> {
  const input = ratingRanking.inputs.find((i) => i.name === inputName)!
  const rows: InputRow[] = []
  const problems: InputProblem[] = []
  for await (const record of new Dataset(file, {input}).records()) {
    if (record.ok) rows.push(record.value)
    else problems.push({row: record.row, line: record.line, message: record.message})
  }
  return {rows, problems}
}

/** Reads one input file the way `alignctl eval` does, failing on any invalid row. */
export async function readInput(file: string, inputName: string): Promise<InputRow[]> {
  const {rows, problems} = await readInputSkipping(file, inputName)
  assert.deepEqual(problems, [], `${file}: rows the input's schema rejects`)
  return rows
}

/** combine, then score and summarize, as the runner does for a combine-based metric. */
export async function evaluatePairs(
  inputs: Record<string, readonly InputRow[]>,
  params: Record<string, unknown> = {},
): Promise<{outcomes: Array<RowOutcome<PairValue>>; summary: Record<string, unknown>}> {
  const rows = await ratingRanking.combine!(inputs, resolveParams(ratingRanking, params, 'test') as never)
  const {outcomes, summary} = await scoreRows(ratingRanking, rows, params)
  return {outcomes: outcomes as Array<RowOutcome<PairValue>>, summary}
}

export interface ExpectedDataset {
  inputs: Record<string, string>
  params: Record<string, unknown>
  /** Rows with an unknown ranking label, which `--on-error skip` leaves out before `combine`. */
  inputErrors: Array<{input: string; row: number; line: number; ranking: string}>
  summary: Record<string, unknown>
  rows: Array<{row: number; value: PairValue}>
}

/** fixtures/rating-ranking/expected.json, written by scripts/fixtures/rating-ranking.py. */
export function expectedDatasets(): Record<string, ExpectedDataset> {
  return (JSON.parse(readFileSync(join(FIXTURE_DIR, 'expected.json'), 'utf8')) as {datasets: Record<string, ExpectedDataset>}).datasets
}

/** Deep equality where numbers may differ by rounding (relative 1e-12); everything else exact. */
/** A summary without its quoted examples: the statistics the Python re-implementation computes. */
export function statisticsOf(summary: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const {inconsistentExamples: _examples, ...statistics} = summary
  return statistics
}

export function assertDeepClose(actual: unknown, expected: unknown, path = 'summary'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${path}: expected ${expected}, got ${actual}`)
    return
  }
  if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys differ`)
    for (const key of Object.keys(expected)) {
      assertDeepClose((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`)
    }
    return
  }
  assert.deepEqual(actual, expected, path)
}
