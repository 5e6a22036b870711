import assert from 'node:assert/strict'
import {test} from 'node:test'

import {checkGates, describeGate, evaluateGates, gateSpecs, parseGate, type GatedMetric} from '../../src/core/gates.js'
import type {Logger, StatDeclaration} from '../../src/kernel/interfaces/index.js'

const under = (expr: string) => parseGate({op: 'under', expr})
const over = (expr: string) => parseGate({op: 'over', expr})

const STATS: StatDeclaration[] = [
  {path: 'mean', direction: 'higher', kind: 'quality', meaning: 'mean score'},
  {path: 'errorRate', direction: 'lower', kind: 'quality', meaning: 'share wrong'},
  {path: 'n', direction: 'none', kind: 'count', meaning: 'rows'},
  {path: 'byDataset.*.rocAuc', direction: 'higher', kind: 'quality', support: 'byDataset.*.n', meaning: 'per dataset'},
  {path: 'byDataset.*.n', direction: 'none', kind: 'count', meaning: 'rows per dataset'},
]

function collect(): Logger & {warnings: string[]} {
  const warnings: string[] = []
  return {warnings, info() {}, debug() {}, warn: (m: string) => warnings.push(m)}
}

test('gates parse metric, dotted stat, threshold and which bound', () => {
  assert.deepEqual(under(' rating-ranking.byAnnotator.h1.consistency=0.5 '), {op: 'under', expr: 'rating-ranking.byAnnotator.h1.consistency=0.5', metric: 'rating-ranking', stat: 'byAnnotator.h1.consistency', threshold: 0.5})
  assert.equal(over('honesty.overConservativeness=0.2').op, 'over')
  for (const bad of ['alignscore.mean', 'alignscore=0.5', 'alignscore.mean=high', 'Align.mean=1']) assert.throws(() => under(bad), /--fail-under .* is not of the form/)
  assert.throws(() => over('x.y=z'), /--fail-over "x.y=z" is not of the form/)
  assert.deepEqual(gateSpecs(['a.b=1'], ['c.d=2']), [{op: 'under', expr: 'a.b=1'}, {op: 'over', expr: 'c.d=2'}])
})

test('--fail-under passes at or above its threshold, --fail-over at or below, nested stats included', () => {
  const metrics: Record<string, GatedMetric> = {m: {stats: STATS, scored: 10, summary: {mean: 0.5, errorRate: 0.3, byDataset: {xsum: {rocAuc: 0.7, n: 4}}}}}
  const results = evaluateGates([under('m.mean=0.5'), under('m.mean=0.51'), under('m.byDataset.xsum.rocAuc=0.6'), over('m.errorRate=0.3'), over('m.errorRate=0.29')], metrics)
  assert.deepEqual(
    results.map((r) => [r.expr, r.op, r.value, r.support, r.passed]),
    [
      ['m.mean=0.5', 'under', 0.5, 10, true],
      ['m.mean=0.51', 'under', 0.5, 10, false],
      ['m.byDataset.xsum.rocAuc=0.6', 'under', 0.7, 4, true],
      ['m.errorRate=0.3', 'over', 0.3, 10, true],
      ['m.errorRate=0.29', 'over', 0.3, 10, false],
    ],
  )
  assert.equal(describeGate(results[4]!), 'FAIL  --fail-over m.errorRate=0.29 (value 0.3, 10 rows)')
})

test('a gate over zero rows fails with a reason, whatever the value', () => {
  // The honesty case: every row skipped gives honesty = 1, the reference's value for an empty set.
  const [result] = evaluateGates([under('m.mean=0.7')], {m: {stats: STATS, scored: 0, summary: {mean: 1}}})
  assert.equal(result!.passed, false)
  assert.equal(result!.support, 0)
  assert.match(result!.reason!, /rests on zero rows/)
  // Support read from the summary for a per-dataset stat.
  const [perDataset] = evaluateGates([under('m.byDataset.cnn.rocAuc=0.1')], {m: {stats: STATS, scored: 9, summary: {byDataset: {cnn: {rocAuc: 0.9, n: 0}}}}})
  assert.equal(perDataset!.passed, false)
  assert.match(perDataset!.reason!, /zero rows/)
})

test('a gate on a null, NaN or absent value fails and says why', () => {
  for (const [summary, why] of [
    [{mean: null}, /undefined for this data/],
    [{mean: Number.NaN}, /undefined for this data/],
    [{}, /not in the summary/],
  ] as const) {
    const [result] = evaluateGates([under('m.mean=0.1')], {m: {stats: STATS, scored: 3, summary}})
    assert.equal(result!.passed, false)
    assert.equal(result!.value, null)
    assert.match(result!.reason!, why)
  }
})

test('gates are checked against the declarations: unknown stats and metrics are usage errors listing the quality stats', () => {
  const logger = collect()
  assert.throws(() => checkGates([under('m.meen=0.5')], {m: STATS}, logger), (e: Error & {suggestions: string[]}) => /"meen" is not a quality stat/.test(e.message) && e.suggestions[0]!.startsWith('Gate on one of: mean, errorRate, byDataset.*.rocAuc'))
  assert.throws(() => checkGates([under('m.n=5')], {m: STATS}, logger), /"n" is not a quality stat that m reports \(it is a count\)/)
  assert.throws(() => checkGates([under('other.mean=0.5')], {m: STATS}, logger), /metric "other" is not among the metrics run/)
  checkGates([under('m.byDataset.anything.rocAuc=0.5')], {m: STATS}, logger)
  assert.deepEqual(logger.warnings, [])
})

test('a bound on the wrong side of a directed stat warns and names the other flag', () => {
  const logger = collect()
  checkGates([under('m.errorRate=0.2'), over('m.mean=0.9')], {m: STATS}, logger)
  assert.equal(logger.warnings.length, 2)
  assert.match(logger.warnings[0]!, /lower is better .* use --fail-over m\.errorRate=0\.2/)
  assert.match(logger.warnings[1]!, /higher is better .* use --fail-under m\.mean=0\.9/)
})
