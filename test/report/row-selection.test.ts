import assert from 'node:assert/strict'
import {test} from 'node:test'

import {pageRows} from '../../src/report/html.js'
import type {Report, ScoreLine} from '../../src/report/report.js'
import {RowSelector, sampleKey, selectRows} from '../../src/report/row-selection.js'

const bounds = {all: 100, worst: 5, best: 4, sample: 10, errors: 3, seed: 7}

function lines(n: number): ScoreLine[] {
  return Array.from({length: n}, (_, row) => ({row, m: row % 97 === 5 ? {error: 'no score'} : {score: ((row * 7919) % 5000) / 5000}}))
}

test('the selection is the worst and best rows by score, a seeded sample and the first errors, whatever the order rows arrive in', () => {
  const all = lines(5000)
  const selected = selectRows(all, ['m'], bounds)['m']!.rows()
  const scored = all.filter((l) => !('error' in (l['m'] as object))).map((l) => ({row: l.row, score: (l['m'] as {score: number}).score}))
  const byScore = [...scored].sort((a, b) => a.score - b.score || a.row - b.row)
  const worst = byScore.slice(0, 5).map((s) => s.row)
  const best = [...scored].sort((a, b) => b.score - a.score || a.row - b.row).slice(0, 4).map((s) => s.row)
  const errors = all.filter((l) => 'error' in (l['m'] as object)).slice(0, 3).map((l) => l.row)
  const sample = all.map((l) => l.row).sort((a, b) => sampleKey(a, 7) - sampleKey(b, 7)).slice(0, 10)
  assert.deepEqual([...selected].sort((a, b) => a - b), [...new Set([...worst, ...best, ...errors, ...sample])].sort((a, b) => a - b))

  // Shuffled arrival (batches, restored rows) picks the same rows; dropped rows are told.
  const dropped = new Set<number>()
  const kept = new Set<number>()
  const shuffled = new RowSelector(bounds, (row) => dropped.add(row))
  const order = all.map((_, i) => (i * 2654435761) % all.length)
  assert.equal(new Set(order).size, all.length)
  for (const i of order) {
    const line = all[i]!
    const value = line['m'] as {score?: number; error?: string}
    shuffled.offer(line.row, value.score, value.error !== undefined)
    kept.add(line.row)
  }
  assert.deepEqual([...shuffled.rows()].sort((a, b) => a - b), [...selected].sort((a, b) => a - b))
  for (const row of kept) assert.equal(dropped.has(row), !selected.has(row), `row ${row}`)
})

test('a run of at most `all` rows shows every row', () => {
  const small = selectRows(lines(100), ['m'], bounds)['m']!
  assert.equal(small.complete, true)
  assert.equal(small.rows().size, 100)
  assert.equal(selectRows(lines(101), ['m'], bounds)['m']!.complete, false)
})

test('the page rows keep their scores.jsonl line numbers, and the union over metrics', () => {
  const report = {metrics: {m: {}, n: {}}} as unknown as Report
  const all = lines(5000).map((l) => ({...l, n: {score: 1 - ((l['m'] as {score?: number}).score ?? 0)}}))
  const page = pageRows(report, all, bounds)
  assert.equal(page.complete, false)
  assert.equal(page.total, 5000)
  const union = new Set([...selectRows(all, ['m'], bounds)['m']!.rows(), ...selectRows(all, ['n'], bounds)['n']!.rows()])
  assert.deepEqual(page.rows.map((r) => r.row), [...union].sort((a, b) => a - b))
  page.rows.forEach((r, i) => assert.equal(page.lines[i], r.row + 1))
  assert.ok(page.rows.length <= 2 * (5 + 4 + 10 + 3))
})
