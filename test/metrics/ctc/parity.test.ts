import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import ctc from '../../../metrics/ctc/index.js'
import {ASPECT_SPECS} from '../../../metrics/ctc/aspects.js'
import type {CtcResult} from '../../../metrics/ctc/score.js'
import type {CtcParams, CtcRow} from '../../../metrics/ctc/schemas.js'
import {resolveParams} from '../../../src/core/params.js'
import {Engine} from '../../../src/engine/engine.js'
import {openPack} from '../../../src/models/pack.js'
import {FIXTURES} from '../../helpers/cli.js'
import {ctcPack, ctcPackName} from '../../helpers/ctc-packs.js'

/**
 * Every case of fixtures/ctc/expected.json (an independent Python implementation of the
 * reference, scripts/fixtures/ctc_reference.py, on tiny checkpoints in the hub and reference
 * layouts, converted here by `alignctl models convert`): each aligner, aspect, aggregation,
 * stopword setting, rescale and library-version variant. The metric runs in process on a real
 * engine (one per file, so the packs' sessions are made once); eval.test.ts runs it through the CLI.
 */
interface ExpectedAlign {
  input: string
  context: string
  tokens: string[] | null
  scores: number[]
  aggregate: number
}
interface ExpectedCase {
  model: 'e-bert' | 'e-roberta' | 'd-roberta' | 'r-bert'
  layer?: number
  aligner: 'E' | 'D' | 'R'
  aspect: keyof typeof ASPECT_SPECS
  aggregation: 'mean' | 'sum'
  stopwords: boolean
  rescale: boolean
  variant: Record<string, unknown>
  row: string
  value: number | null
  error?: string
  aligns?: ExpectedAlign[]
}
const dir = join(FIXTURES, 'ctc')
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {settings: {tolerance: number; baselines: Record<string, number>}; cases: ExpectedCase[]}
const rows = new Map(
  readFileSync(join(dir, 'rows.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as CtcRow)
    .map((r) => [r.id as string, r]),
)
const TOLERANCE = expected.settings.tolerance
const quiet = {info() {}, warn() {}, debug() {}}

let engine: Engine
before(() => {
  engine = new Engine({device: 'cpu', workers: 1, threads: 1, resolvePack: (ref) => openPack(ref)})
})
after(() => engine.close())

/** The cases that one run of the metric covers: same pack, aspect and params. */
function groups(): Map<string, ExpectedCase[]> {
  const byRun = new Map<string, ExpectedCase[]>()
  for (const c of expected.cases) {
    const key = JSON.stringify([c.model, c.layer, c.aspect, c.aggregation, c.stopwords, c.rescale, c.variant])
    byRun.set(key, [...(byRun.get(key) ?? []), c])
  }
  return byRun
}

/** The align calls of one aspect of a row result, in the reference's order, tokens put back. */
function callsOf(result: CtcResult, aspect: keyof typeof ASPECT_SPECS) {
  const calls = result.aligns[aspect]!
  return calls.map((call, i) => (i === ASPECT_SPECS[aspect].spanCall && result.tokens?.[aspect] !== undefined ? {...call, tokens: result.tokens[aspect]} : call))
}

const worst: Record<string, number> = {}

for (const aligner of ['E', 'D', 'R'] as const) {
  describe(`${aligner} aligner: every case matches the reference implementation`, () => {
    for (const [key, cases] of groups()) {
      const first = cases[0]!
      if (first.aligner !== aligner) continue
      test(key, async () => {
        const pack = await ctcPack(ctcPackName(first.model, first.layer))
        const given: Record<string, unknown> = {aspect: first.aspect, aggregation: first.aggregation, stopwords: first.stopwords, rescale: first.rescale, ...first.variant}
        if (first.rescale) given['baseline'] = expected.settings.baselines[first.model]
        const params = resolveParams(ctc, given, 'test') as CtcParams
        const batch = cases.map((c) => rows.get(c.row)!)
        const outcomes = await ctc.score(batch, {params, logger: quiet, signal: new AbortController().signal, engine, model: pack, rows: batch.map((_, i) => i)})
        cases.forEach((c, i) => {
          const outcome = outcomes[i]!
          const label = `${c.row} (${c.aspect})`
          if (c.value === null) {
            assert.ok('error' in outcome, `${label}: the reference fails (${c.error}), so the row must be an error`)
            return
          }
          assert.ok('value' in outcome, `${label}: ${'error' in outcome ? outcome.error : ''}`)
          const got = outcome.value
          const diff = Math.abs((got[c.aspect] as number) - c.value)
          worst[aligner] = Math.max(worst[aligner] ?? 0, diff)
          const calls = callsOf(got, c.aspect)
          assert.equal(calls.length, c.aligns!.length, `${label}: align calls`)
          c.aligns!.forEach((want, j) => {
            const call = calls[j]!
            assert.ok(Math.abs(call.value - want.aggregate) <= TOLERANCE, `${label} call ${j}: aggregate ${call.value} vs ${want.aggregate}`)
            if (want.tokens === null) {
              assert.equal(call.tokens, undefined)
              assert.ok(Math.abs(call.value - want.scores[0]!) <= TOLERANCE)
              return
            }
            assert.deepEqual(call.tokens!.map((t) => t.text), want.tokens, `${label} call ${j}: tokens`)
            call.tokens!.forEach((t, k) => assert.ok(Math.abs(t.score - want.scores[k]!) <= TOLERANCE, `${label} call ${j} token ${k}: ${t.score} vs ${want.scores[k]}`))
          })
          assert.ok(diff <= TOLERANCE, `${label}: ${got[c.aspect]} vs ${c.value}`)
        })
      })
    }
  })
}

after(() => {
  if (process.env['ALIGNCTL_PRINT_DRIFT']) console.log(`ctc parity, max abs diff per aligner: ${JSON.stringify(worst)}`)
})
