import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, test} from 'node:test'

import {ASPECTS} from '../../../metrics/ctc/schemas.js'
import {FIXTURES, readScoreLines, readValidReport, runCli, tempDir} from '../../helpers/cli.js'
import {ctcPack, type CtcPackName} from '../../helpers/ctc-packs.js'

/**
 * `alignctl eval --metric ctc` end to end, as users run it: every aspect in one run with each
 * aligner kind on packs made by `models convert`, the numbers checked against the reference
 * fixtures; bad inputs and impossible settings as the messages and exit codes users get.
 */
interface ExpectedCase {
  model: string
  layer?: number
  aspect: string
  aggregation: string
  stopwords: boolean
  rescale: boolean
  variant: Record<string, unknown>
  row: string
  value: number | null
}
const dir = join(FIXTURES, 'ctc')
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  settings: {tolerance: number; paperEra: Record<string, unknown>; defaults: Record<string, {aggregation: string; stopwords: boolean}>}
  cases: ExpectedCase[]
}
const fixtureRows = new Map(
  readFileSync(join(dir, 'rows.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map((r) => [r['id'] as string, r]),
)

/** Rows with the fields of every task, each task's from one fixture row. */
const COMBINED = [
  {summarization: 'sum-short', style: 'st-short', dialog: 'dlg-short', factual: 'fc-short'},
  {summarization: 'sum-long-document', style: 'st-long', dialog: 'dlg-long-history', factual: 'fc-long-grounding'},
  {summarization: 'sum-cleanup', style: 'st-upper-quotes', dialog: 'dlg-contractions', factual: 'fc-cleanup'},
]
const TASK_OF: Record<string, keyof (typeof COMBINED)[number]> = {
  consistency: 'summarization',
  relevance: 'summarization',
  preservation: 'style',
  engagingness: 'dialog',
  groundedness: 'dialog',
  'factual-consistency': 'factual',
}
const FIELDS = {summarization: ['document', 'summary', 'references'], style: ['input', 'output'], dialog: ['history', 'fact', 'response'], factual: ['grounding', 'hypothesis']}

function combinedRows(): string {
  const rows = COMBINED.map((sources, i) => {
    const row: Record<string, unknown> = {id: `combined-${i}`}
    for (const [task, id] of Object.entries(sources)) for (const field of FIELDS[task as keyof typeof FIELDS]) row[field] = fixtureRows.get(id)![field]
    return row
  })
  const file = join(tempDir(), 'combined.jsonl')
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  return file
}

/** The reference value of an aspect of a combined row under the scorers' defaults and the paper-era versions. */
function want(model: string, layer: number | undefined, aspect: string, row: number): number | undefined {
  const id = COMBINED[row]![TASK_OF[aspect]!]
  const defaults = expected.settings.defaults[aspect]!
  const match = expected.cases.find(
    (c) =>
      c.model === model && c.layer === layer && c.aspect === aspect && c.row === id && !c.rescale &&
      (model === 'r-bert' || (c.aggregation === defaults.aggregation && c.stopwords === defaults.stopwords)) &&
      JSON.stringify(c.variant) === JSON.stringify(expected.settings.paperEra),
  )
  return match?.value ?? undefined
}

let input: string
before(() => {
  input = combinedRows()
})

describe('every aspect in one run, with each aligner kind', () => {
  const kinds: Array<{pack: CtcPackName; model: string; layer?: number; aligner: string}> = [
    {pack: 'e-bert-l1', model: 'e-bert', layer: 1, aligner: 'E-bert'},
    {pack: 'e-roberta-l2', model: 'e-roberta', layer: 2, aligner: 'E-roberta'},
    {pack: 'd-roberta', model: 'd-roberta', aligner: 'D'},
    {pack: 'r-bert', model: 'r-bert', aligner: 'R'},
  ]
  for (const kind of kinds) {
    test(kind.aligner, async () => {
      const pack = await ctcPack(kind.pack)
      const out = tempDir()
      const result = await runCli(['eval', '--metric', 'ctc', '--param', `aspect=${ASPECTS.join(',')}`, '--model', pack, '--input', input, '--out', out, '--format', 'json,html,md'])
      assert.equal(result.code, 0, result.stderr)
      const report = readValidReport(out)
      const metric = report.metrics['ctc']!
      assert.deepEqual(metric.errors, [])
      const summary = metric.summary as Record<string, unknown> & {settings: {aligner: string; aspects: Record<string, {aggregation: string; stopwords: boolean}>}}
      assert.equal(summary['n'], 3)
      assert.equal(summary.settings.aligner, kind.aligner)
      if (kind.aligner !== 'R') {
        assert.deepEqual(summary.settings.aspects['groundedness'], {aggregation: 'sum', stopwords: true})
        assert.deepEqual(summary.settings.aspects['consistency'], {aggregation: 'mean', stopwords: false})
      }
      assert.equal((metric.params as Record<string, unknown>)['stopwordList'], '179')
      let checked = 0
      const lines = readScoreLines(out)
      for (const aspect of ASPECTS) {
        const values: number[] = []
        lines.forEach((line, row) => {
          const value = (line['ctc'] as Record<string, number>)[aspect]!
          values.push(value)
          const reference = want(kind.model, kind.layer, aspect, row)
          if (reference === undefined) return
          assert.ok(Math.abs(value - reference) <= expected.settings.tolerance, `${aspect} row ${row}: ${value} vs ${reference}`)
          checked++
        })
        assert.ok(Math.abs((summary[aspect] as number) - values.reduce((a, b) => a + b, 0) / values.length) < 1e-12, `${aspect} mean`)
      }
      assert.ok(checked >= 12, `only ${checked} values had a reference case`)
      const first = lines[0]!['ctc'] as {tokens?: Record<string, Array<{text: string; score: number}>>}
      if (kind.aligner === 'R') assert.equal(first.tokens, undefined)
      else for (const aspect of ASPECTS) assert.ok(first.tokens![aspect]!.length > 0, `tokens of ${aspect}`)
      assert.ok(existsSync(join(out, 'report.html')))
      assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /ctc/)
    })
  }
})

test('rows the reference fails on are per-row errors with a sentence; the other rows are scored', async () => {
  const rows = ['sum-short', 'sum-no-references', 'sum-empty-document'].map((id) => JSON.stringify(fixtureRows.get(id)))
  const file = join(tempDir(), 'errors.jsonl')
  writeFileSync(file, rows.join('\n') + '\n')
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'ctc', '--param', 'aspect=consistency,relevance', '--model', await ctcPack('e-roberta-l1'), '--input', file, '--out', out, '--format', 'json'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['ctc']!
  assert.equal(metric.summary['n'], 1)
  assert.deepEqual(metric.errors.map((e) => e.row), [1, 2])
  assert.match(metric.errors[0]!.message, /^relevance: field "references" is an empty list/)
  assert.match(metric.errors[1]!.message, /^consistency: field "document" is empty: the E aligner scores each token of summary by its best match in document/)
})

test('a D run reports words that BPE groups differently as a row error naming the field', async () => {
  const file = join(tempDir(), 'newline.jsonl')
  writeFileSync(file, JSON.stringify(fixtureRows.get('dlg-newline-response')) + '\n')
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'ctc', '--param', 'aspect=groundedness', '--model', await ctcPack('d-roberta'), '--input', file, '--out', out, '--format', 'json'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['ctc']!
  assert.match(metric.errors[0]!.message, /field "response": the D aligner cannot map its tokens to words/)
})

test('a field an aspect needs is an input error naming row and field (exit 2)', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'ctc', '--param', 'aspect=groundedness', '--model', await ctcPack('e-bert-l1'), '--input', join(dir, 'rows.jsonl'), '--out', out])
  assert.equal(result.code, 2, result.stderr)
  assert.match(result.stderr, /Row 0 \(id "sum-short"\): field "fact" is missing; aspect groundedness \(dialog\) needs fact, response/)
})

test('impossible settings are usage errors that say why (exit 2)', async () => {
  const d = await ctcPack('d-roberta')
  const e = await ctcPack('e-bert-l1')
  const cases: Array<[string[], RegExp]> = [
    [['--param', 'aspect=relevance', '--param', 'aligner=D-xsum', '--model', d], /aligner D-xsum cannot compute relevance: the reference has no "summ_to_ref" checkpoint/],
    [['--param', 'aspect=consistency', '--param', 'aligner=R', '--model', d], /aligner=R, but d-roberta is a D aligner pack/],
    [['--param', 'aspect=consistency', '--param', 'aligner=D'], /no pack for the "doc_to_summ" checkpoint. D and R checkpoints cannot be downloaded/],
    [['--param', 'aspect=preservation', '--param', 'rescale=true', '--model', e], /no published baseline for pack .*Give one with --param baseline/s],
    [['--param', 'aspect=preservation', '--param', 'rescale=true', '--model', d], /the reference rescales only E aligner scores/],
    [['--param', 'aspect=fluency', '--model', e], /"fluency" is not a CTC aspect/],
    [['--param', 'aspect=relevance', '--param', 'packs={"toString":"x"}', '--model', d], /--param packs: "toString" is not one of the reference's aligner names/],
  ]
  for (const [args, message] of cases) {
    const result = await runCli(['eval', '--metric', 'ctc', '--input', join(dir, 'rows.jsonl'), '--out', tempDir(), ...args])
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
    assert.match(result.stderr, message)
  }
})

test('E encodes a document shared by many rows once per run (document × summaries, as SummEval)', async () => {
  const document = fixtureRows.get('sum-short')!['document']
  // More rows than one batch of the metric (64): the document's states are reused across batches too.
  const summaries = Array.from({length: 70}, (_, i) => `The council approved budget ${i}.`)
  const file = join(tempDir(), 'shared.jsonl')
  writeFileSync(file, summaries.map((summary) => JSON.stringify({document, summary})).join('\n') + '\n')
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'ctc', '--param', 'aspect=consistency', '--model', await ctcPack('e-roberta-l2'), '--input', file, '--out', out, '--format', 'json'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['ctc']!
  assert.equal(metric.summary['n'], 70)
  const stats = (metric.model as {stats: {requests: number}}).stats
  assert.equal(stats.requests, summaries.length + 1)
})

test('packs: one D pack per checkpoint name, as the reference loads them; one pack for all only with a warning', async () => {
  const d = await ctcPack('d-roberta')
  const file = join(tempDir(), 'relevance.jsonl')
  writeFileSync(file, JSON.stringify(fixtureRows.get('sum-short')) + '\n')
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'ctc', '--param', 'aspect=relevance,consistency', '--param', 'aligner=D-cnndm', '--param', `packs=${JSON.stringify({summ_to_ref: d})}`, '--model', d, '--input', file, '--out', out, '--format', 'json'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['ctc']!
  // summary → document is aligned once for both aspects, then each of the two references.
  assert.equal((metric.model as {stats: {requests: number}}).stats.requests, 3)
  const summary = metric.summary as {relevance: number; consistency: number; settings: {aligner: string; packs: Record<string, string>}}
  assert.ok(Math.abs(summary.consistency - want('d-roberta', undefined, 'consistency', 0)!) <= expected.settings.tolerance)
  assert.deepEqual(summary.settings.packs, {doc_to_summ: 'd-roberta', summ_to_ref: 'd-roberta'})
  assert.equal(summary.settings.aligner, 'D-cnndm')
  assert.ok(Math.abs(summary.relevance - want('d-roberta', undefined, 'relevance', 0)!) <= expected.settings.tolerance)
  assert.match(result.stderr, /one pack serves several of the reference's checkpoints/)
})

test('a CPU run does not print why CUDA did not load unless --verbose; report.json records it either way', async () => {
  const rows = join(tempDir(), 'one.jsonl')
  writeFileSync(rows, JSON.stringify(fixtureRows.get('sum-short')) + '\n')
  const pack = await ctcPack('e-roberta-l1')
  for (const verbose of [false, true]) {
    const out = tempDir()
    const result = await runCli(['eval', '--metric', 'ctc', '--param', 'aspect=consistency', '--model', pack, '--input', rows, '--out', out, '--format', 'json', ...(verbose ? ['--verbose'] : [])])
    assert.equal(result.code, 0, result.stderr)
    const device = readValidReport(out).metrics['ctc']!.device as {provider: string; fallbacks: Array<{provider: string; reason: string}>}
    assert.equal(device.provider, 'cpu')
    assert.match(result.stderr, /ctc: ran on cpu/)
    const cuda = device.fallbacks.find((f) => f.provider === 'cuda')
    if (cuda === undefined) continue // a machine where CUDA loads has nothing to hide
    if (verbose) assert.match(result.stderr, /not used: cuda: /)
    else assert.doesNotMatch(result.stderr, /not used|Failed to load shared library/)
  }
})
