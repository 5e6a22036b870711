import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, test} from 'node:test'

import {ASPECTS} from '../../../metrics/ctc/schemas.js'
import {FIXTURES, readScoreLines, readValidReport, runCli, tempDir} from '../../helpers/cli.js'

/**
 * The `ctc` metric end to end on trained weights (scripts/fixtures/trained_encoder.py), fp32
 * packs against int8 packs made by `models convert --precision int8`, through `alignctl eval`:
 * every aspect with the E (hidden_states[2] of the trained RoBERTa), D (its token classifier)
 * and R (the trained BERT regressor) aligners. Each row's aspect value must stay within
 * TOLERANCE of fp32, except the dialog aspects, which the reference sums over the kept tokens
 * (aggregation `sum`): their bound is TOLERANCE per kept token, i.e. the mean token score within
 * TOLERANCE (measured: the sums move by up to 2.1e-2, 1.1e-3 per kept token; the other aspects
 * by up to 1.8e-3 with E and D, 6.0e-3 with R). And the int8 pack must give every row the same
 * values at --batch-size 1 and 64.
 * ALIGNCTL_PRINT_DRIFT=1 prints the drift (src/models/onnx/README.md quotes it).
 */
const trained = join(FIXTURES, 'trained')
const TOLERANCE = 0.01

type Kind = 'E' | 'D' | 'R'
const CONVERT: Record<Kind, string[]> = {
  E: ['--checkpoint', join(trained, 'encoder.ckpt'), '--config', join(trained, 'config.json'), '--tokenizer', join(trained, 'tokenizer.json'), '--arch', 'ctc-e', '--layer', '2'],
  D: ['--checkpoint', join(trained, 'encoder.ckpt'), '--config', join(trained, 'config.json'), '--tokenizer', join(trained, 'tokenizer.json'), '--arch', 'ctc-d'],
  R: ['--checkpoint', join(trained, 'r-bert', 'regressor.ckpt'), '--config', join(trained, 'r-bert', 'config.json'), '--tokenizer', join(trained, 'r-bert', 'tokenizer.json'), '--arch', 'ctc-r'],
}
const KINDS = Object.keys(CONVERT) as Kind[]
const packs = {} as Record<Kind, Record<'fp32' | 'int8', string>>
let input = ''

/**
 * Rows with every task's fields, from the AlignScore fixture pairs (contexts of 0 to 1,605
 * words, multi-sentence claims): the context as document, fact and grounding, the claim as the
 * text each aspect scores, the next row's claim as reference, style-transfer output and history.
 */
function rows(): string {
  const pairs = readFileSync(join(FIXTURES, 'alignscore', 'pairs.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as {id: string; context: string; claim: string})
  const lines = pairs.map((pair, i) => {
    const next = pairs[(i + 1) % pairs.length]!.claim
    return JSON.stringify({id: pair.id, document: pair.context, summary: pair.claim, references: [next], input: pair.claim, output: next, history: next, fact: pair.context, response: pair.claim, grounding: pair.context, hypothesis: pair.claim})
  })
  const file = join(tempDir(), 'rows.jsonl')
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

before(async () => {
  input = rows()
  const root = tempDir()
  for (const kind of KINDS) {
    packs[kind] = {fp32: '', int8: ''}
    for (const precision of ['fp32', 'int8'] as const) {
      const out = join(root, `${kind.toLowerCase()}-${precision}`)
      const converted = await runCli(['models', 'convert', ...CONVERT[kind], '--precision', precision, '--out', out])
      assert.equal(converted.code, 0, converted.stderr)
      packs[kind][precision] = out
    }
  }
})

interface Scored {
  /** Aspect values by row id. */
  values: Map<string, Record<string, number>>
  /** Kept (non-stopword) token count of each dialog aspect by row id. */
  kept: Map<string, Record<string, number>>
  errors: Array<{row: number; message: string}>
  model: Record<string, unknown>
}

async function evaluate(pack: string, extra: readonly string[]): Promise<Scored> {
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'ctc', '--param', `aspect=${ASPECTS.join(',')}`, '--model', pack, '--input', input, '--out', out, '--format', 'json', ...extra])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['ctc']!
  const values = new Map<string, Record<string, number>>()
  const kept = new Map<string, Record<string, number>>()
  for (const line of readScoreLines(out)) {
    const ctc = line['ctc'] as (Record<string, unknown> & {tokens?: Record<string, Array<{stopword?: boolean}>>}) | undefined
    if (ctc === undefined || typeof ctc['consistency'] !== 'number') continue
    values.set(line['id'] as string, Object.fromEntries(ASPECTS.map((a) => [a, ctc[a] as number])))
    if (ctc.tokens !== undefined) kept.set(line['id'] as string, Object.fromEntries(Object.entries(ctc.tokens).map(([a, tokens]) => [a, tokens.filter((t) => t.stopword !== true).length])))
  }
  return {values, kept, errors: metric.errors.map((e) => ({row: e.row, message: e.message})), model: metric.model as Record<string, unknown>}
}

const SUMMED = new Set(['engagingness', 'groundedness'])

/** The int8 run at --batch-size 64 serves both tests of a kind: it is computed once. */
const runs = new Map<string, Promise<Scored>>()
function scored(pack: string, batchSize: number): Promise<Scored> {
  const key = `${pack} ${batchSize}`
  if (!runs.has(key)) runs.set(key, evaluate(pack, ['--batch-size', String(batchSize)]))
  return runs.get(key)!
}

describe('ctc on trained weights: int8 packs against fp32 through alignctl eval', () => {
  for (const kind of KINDS) {
    test(`${kind} aligner: every aspect of every row within ${TOLERANCE} of fp32 (dialog sums: per kept token)`, async () => {
      const fp32 = await scored(packs[kind].fp32, 64)
      const int8 = await scored(packs[kind].int8, 64)
      assert.equal(int8.model['precision'], 'int8')
      assert.deepEqual(int8.errors, fp32.errors, 'the same rows fail, with the same sentences')
      assert.ok(fp32.values.size >= 50, `only ${fp32.values.size} rows were scored`)
      assert.deepEqual([...int8.values.keys()], [...fp32.values.keys()])
      const worst: Record<string, number> = {}
      const mean: Record<string, number> = {}
      const raw: Record<string, number> = {}
      for (const [id, want] of fp32.values) {
        const got = int8.values.get(id)!
        for (const aspect of ASPECTS) {
          const diff = Math.abs(got[aspect]! - want[aspect]!)
          // R has no tokens and no aggregation: its dialog values are the raw score.
          const tokens = kind !== 'R' && SUMMED.has(aspect) ? Math.max(1, fp32.kept.get(id)![aspect]!) : 1
          const bound = TOLERANCE * tokens
          assert.ok(diff <= bound, `${kind} ${aspect} row ${id}: int8 ${got[aspect]} vs fp32 ${want[aspect]} (bound ${bound})`)
          worst[aspect] = Math.max(worst[aspect] ?? 0, diff / tokens)
          raw[aspect] = Math.max(raw[aspect] ?? 0, diff)
          mean[aspect] = (mean[aspect] ?? 0) + diff / tokens / fp32.values.size
        }
      }
      if (process.env.ALIGNCTL_PRINT_DRIFT) {
        const per = ASPECTS.map((a) => `${a} ${worst[a]!.toExponential(2)} (mean ${mean[a]!.toExponential(1)})`).join(', ')
        const sums = kind === 'R' ? '' : `; the sums themselves: ${[...SUMMED].map((a) => `${a} ${raw[a]!.toExponential(2)}`).join(', ')}`
        console.log(`trained ctc ${kind} end to end, int8 - fp32 over ${fp32.values.size} rows (${fp32.errors.length} row errors)${kind === 'R' ? '' : ', dialog sums per kept token'}: ${per}${sums}`)
      }
    })

    test(`${kind} aligner: the int8 pack gives every row the same values at --batch-size 1 and 64`, async () => {
      const one = await scored(packs[kind].int8, 1)
      const many = await scored(packs[kind].int8, 64)
      assert.deepEqual(one.errors, many.errors)
      assert.equal(one.values.size, many.values.size)
      let moved = 0
      for (const [id, values] of one.values) for (const aspect of ASPECTS) moved = Math.max(moved, Math.abs(values[aspect]! - many.values.get(id)![aspect]!))
      assert.ok(moved <= 1e-6, `${kind}: an int8 value moves by ${moved} between batch sizes 1 and 64`)
    })
  }
})
