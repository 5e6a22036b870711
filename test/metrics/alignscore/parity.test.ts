import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, test} from 'node:test'

import {FIXTURES, ROOT, readScoreLines, readValidReport, runCli, tempDir} from '../../helpers/cli.js'
import {makeMaskedSumPack} from '../../helpers/packs.js'
import {splitSentences} from '../../../metrics/alignscore/punkt/index.js'

/**
 * AlignScore end to end against the reference: the tiny AlignScore-layout Lightning checkpoint
 * is converted by `alignctl models convert` (TypeScript checkpoint reader and graph builder),
 * then scored by `alignctl eval` in every mode; the numbers must match an independent Python
 * re-implementation of the reference algorithm (scripts/fixtures/alignscore_reference.py).
 */
const dir = join(FIXTURES, 'alignscore')
interface Classes {
  aligned: number
  neutral: number
  contradict: number
}
type ExpectedSentence = {text: string; score: number; chunk: number; classes?: Classes}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  tolerance: number
  modes: Record<string, Record<string, {score: number; chunks?: number; sentences?: ExpectedSentence[]; classes?: Classes} | number>>
}
const MODES = ['nli_sp', 'bin_sp', 'reg_sp', 'nli', 'bin', 'reg'] as const
let pack: string

before(async () => {
  pack = join(tempDir(), 'alignscore-tiny')
  const tiny = join(dir, 'tiny')
  const converted = await runCli(['models', 'convert', '--checkpoint', join(tiny, 'AlignScore-tiny.ckpt'), '--config', join(tiny, 'config.json'), '--tokenizer', join(tiny, 'tokenizer.json'), '--arch', 'alignscore', '--out', pack])
  assert.equal(converted.code, 0, converted.stderr)
})

// The reference numbers were made with NLTK 3.8's Punkt; none of these texts splits differently
// in NLTK 3.10.3 (checked below), so they hold for the default too.
describe('scores match the reference implementation in every mode (punkt=3.8, as the fixture was made)', () => {
  for (const mode of MODES) {
    test(mode, async () => {
      const out = tempDir()
      const result = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'pairs.jsonl'), '--model', pack, '--param', `mode=${mode}`, '--param', 'punkt=3.8', '--out', out, '--format', 'json'])
      assert.equal(result.code, 0, result.stderr)
      const report = readValidReport(out)
      const metric = report.metrics['alignscore']!
      assert.equal(metric.errors.length, 0)
      assert.equal((metric.model as {name: string}).name, 'alignscore-tiny')
      assert.equal((metric.device as {provider: string}).provider, 'cpu')
      assert.equal(metric.params['punkt'], '3.8')
      let worst = 0
      for (const line of readScoreLines(out)) {
        const want = expected.modes[mode]![line['id'] as string]!
        const got = line['alignscore'] as {score: number; chunks?: number; sentences?: Array<{text: string; score: number; chunk: number}>}
        const wantScore = typeof want === 'number' ? want : want.score
        worst = Math.max(worst, Math.abs(got.score - wantScore))
        if (typeof want !== 'number' && want.sentences !== undefined) {
          assert.equal(got.chunks, want.chunks, `${line['id']}: chunk count`)
          assert.deepEqual(got.sentences!.map((s) => [s.text, s.chunk]), want.sentences.map((s) => [s.text, s.chunk]), `${line['id']}: sentences and best chunks`)
          got.sentences!.forEach((s, i) => assert.ok(Math.abs(s.score - want.sentences![i]!.score) <= expected.tolerance, `${line['id']} sentence ${i}`))
        }
      }
      assert.ok(worst <= expected.tolerance, `max abs diff ${worst} > ${expected.tolerance}`)
    })
  }
})

function readPairs(): Array<{id: string; context: string; claim: string}> {
  return ['pairs.jsonl', 'empty-claim.jsonl'].flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as {id: string; context: string; claim: string}),
  )
}

test('the fixture texts split the same in NLTK 3.8 and 3.10.3, so its numbers hold for the default', () => {
  const texts = readPairs().flatMap((row) => [row.context, row.claim])
  assert.equal(texts.length, 136)
  for (const text of texts) assert.deepEqual(splitSentences(text, '3.10.3'), splitSentences(text, '3.8'))
})

test('the default punkt is 3.10.3, recorded in report.json, and gives the reference numbers here', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'pairs.jsonl'), '--model', pack, '--out', out, '--format', 'json'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['alignscore']!
  assert.deepEqual(metric.params, {mode: 'nli_sp', referenceBatchSize: 32, punkt: '3.10.3', classes: false})
  for (const line of readScoreLines(out)) {
    const want = expected.modes['nli_sp']![line['id'] as string] as {score: number}
    const got = line['alignscore'] as {score: number; sentences: Array<Record<string, unknown>>}
    assert.ok(Math.abs(got.score - want.score) <= expected.tolerance)
    for (const sentence of got.sentences) assert.equal('classes' in sentence, false)
  }
})

describe('--param classes=true adds the three NLI probabilities, score unchanged', () => {
  const close = (got: Classes, want: Classes, what: string) => {
    for (const key of ['aligned', 'neutral', 'contradict'] as const) assert.ok(Math.abs(got[key] - want[key]) <= expected.tolerance, `${what} ${key}: ${got[key]} vs ${want[key]}`)
    assert.ok(Math.abs(got.aligned + got.neutral + got.contradict - 1) <= 1e-12, `${what} sums to 1`)
  }

  test('nli_sp: per claim sentence, from the chunk that gave its score', async () => {
    const out = tempDir()
    const result = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'pairs.jsonl'), '--model', pack, '--param', 'classes=true', '--out', out, '--format', 'json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(readValidReport(out).metrics['alignscore']!.params['classes'], true)
    let sentences = 0
    for (const line of readScoreLines(out)) {
      const id = line['id'] as string
      const want = expected.modes['nli_sp']![id] as {score: number; sentences: ExpectedSentence[]}
      const got = line['alignscore'] as {score: number; sentences: Array<ExpectedSentence & {classes: Classes}>}
      assert.ok(Math.abs(got.score - want.score) <= expected.tolerance, `${id} score`)
      got.sentences.forEach((sentence, i) => {
        assert.equal(sentence.classes.aligned, sentence.score, `${id} sentence ${i}: aligned is the score`)
        assert.equal(sentence.chunk, want.sentences[i]!.chunk)
        close(sentence.classes, want.sentences[i]!.classes!, `${id} sentence ${i}`)
        sentences++
      })
    }
    assert.ok(sentences > 65)
  })

  test('nli: for the whole pair', async () => {
    const out = tempDir()
    const result = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'pairs.jsonl'), '--model', pack, '--param', 'mode=nli', '--param', 'classes=true', '--out', out, '--format', 'json'])
    assert.equal(result.code, 0, result.stderr)
    for (const line of readScoreLines(out)) {
      const id = line['id'] as string
      const want = expected.modes['nli']![id] as {score: number; classes: Classes}
      const got = line['alignscore'] as {score: number; classes: Classes}
      assert.equal(got.classes.aligned, got.score)
      assert.ok(Math.abs(got.score - want.score) <= expected.tolerance)
      close(got.classes, want.classes, id)
    }
  })

  test('with a binary or regression mode it is a usage error', async () => {
    const result = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'empty-claim.jsonl'), '--model', pack, '--param', 'mode=bin_sp', '--param', 'classes=true', '--out', tempDir()])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--param classes=true needs the three-way NLI head, and mode bin_sp reads the binary head\./)
    assert.match(result.stderr, /mode=nli_sp/)
  })
})

test('an empty or blank claim is a per-row error with a sentence, not a crash', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'empty-claim.jsonl'), '--model', pack, '--out', out, '--format', 'json'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['alignscore']!
  assert.equal(metric.errors.length, 2)
  for (const error of metric.errors) {
    assert.equal(error.stage, 'score')
    assert.match(error.message, /field "claim" is empty.*Give the row a claim, or remove it\./)
    assert.match(String(error.line), /^\d+$/)
  }
  assert.equal(metric.summary['n'], 1)
})

test('labels, datasets and dev rows give the meta-evaluation summary', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'pairs.jsonl'), '--model', pack, '--out', out, '--format', 'json', '--fail-under', 'alignscore.rocAuc=0'])
  assert.equal(result.code, 0, result.stderr)
  const summary = readValidReport(out).metrics['alignscore']!.summary
  assert.equal(summary['n'], 65)
  for (const key of ['mean', 'rocAuc', 'balancedAccuracy', 'threshold']) assert.equal(typeof summary[key], 'number', key)
  assert.equal(summary['thresholdSource'], 'dev')
  assert.equal(typeof summary['byDataset'], 'object')
})

test('Ctrl-C keeps the rows scored so far; --resume scores only the rest and gives the same results', async () => {
  const rows = readFileSync(join(dir, 'pairs.jsonl'), 'utf8')
  const input = join(tempDir(), 'many.jsonl')
  writeFileSync(input, rows.repeat(12))
  const out = tempDir()
  // A pack of its own, converted again below. No result cache: the repeated rows would be
  // taken from it after the first batch, and the run would end before it is interrupted.
  const mine = join(tempDir(), 'alignscore-tiny')
  cpSync(pack, mine, {recursive: true})
  const args = ['eval', '--metric', 'alignscore', '--input', input, '--model', mine, '--out', out, '--format', 'json', '--no-cache']
  const child = spawn(process.execPath, [join(ROOT, 'bin/run.js'), ...args], {stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, CI: 'true'}})
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const closed = new Promise<number | null>((done) => child.on('close', done))
  // Interrupt once the first batch has been saved.
  const partial = join(out, '.partial', 'alignscore.jsonl')
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (existsSync(partial) && readFileSync(partial, 'utf8').split('\n').length > 2) break
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGINT')
  assert.equal(await closed, 3)
  assert.match(stderr, /Interrupted \(Ctrl-C\): the run did not finish; no report was written, and the rows scored so far are kept\..*\n.*--resume/)
  assert.equal(existsSync(join(out, 'report.json')), false)
  const saved = readFileSync(partial, 'utf8').split('\n').filter((l) => l !== '').length - 1
  assert.ok(saved > 0 && saved < 780, `saved ${saved} rows`)

  const again = await runCli(args)
  assert.equal(again.code, 2)
  assert.match(again.stderr, /holds \d+ row\(s\) of "alignscore" from a run that did not finish.*\n.*--resume.*--fresh/)
  const otherParams = await runCli([...args, '--resume', '--param', 'mode=nli'])
  assert.equal(otherParams.code, 2)
  assert.match(otherParams.stderr, /was saved by a run with other inputs, params or model/)
  // The same pack folder converted again (int8 here): other weights, so its rows are not resumed.
  const tiny = join(dir, 'tiny')
  renameSync(mine, `${mine}.fp32`)
  const int8 = await runCli(['models', 'convert', '--checkpoint', join(tiny, 'AlignScore-tiny.ckpt'), '--config', join(tiny, 'config.json'), '--tokenizer', join(tiny, 'tokenizer.json'), '--arch', 'alignscore', '--precision', 'int8', '--out', mine])
  assert.equal(int8.code, 0, int8.stderr)
  const reconverted = await runCli([...args, '--resume'])
  assert.equal(reconverted.code, 2)
  assert.match(reconverted.stderr, /was saved by a run with other inputs, params or model/)
  rmSync(mine, {recursive: true})
  renameSync(`${mine}.fp32`, mine)

  const resumed = await runCli([...args, '--resume'])
  assert.equal(resumed.code, 0, resumed.stderr)
  assert.match(resumed.stderr, /alignscore: resuming; \d+ row\(s\) were scored by the interrupted run\./)
  const lines = readScoreLines(out)
  assert.equal(lines.length, 780)
  assert.deepEqual(lines.map((l) => l['row']), lines.map((_, i) => i))
  for (const line of lines) {
    const want = expected.modes['nli_sp']![line['id'] as string]!
    assert.ok(Math.abs((line['alignscore'] as {score: number}).score - (typeof want === 'number' ? want : want.score)) <= expected.tolerance)
  }
  const report = readValidReport(out).metrics['alignscore']!
  assert.equal(report.summary['n'], 780)
  assert.equal(existsSync(join(out, '.partial')), false)

  // The engine's counts cover the whole run, both processes: the same as an uninterrupted run's.
  const whole = tempDir()
  assert.equal((await runCli(['eval', '--metric', 'alignscore', '--input', input, '--model', pack, '--out', whole, '--format', 'json', '--no-cache'])).code, 0)
  const counts = (r: typeof report) => {
    const stats = (r.model as {stats: Record<string, number>}).stats
    return {requests: stats['requests'], batches: stats['batches'], tokens: stats['tokens'], computedTokens: stats['computedTokens']}
  }
  assert.deepEqual(counts(report), counts(readValidReport(whole).metrics['alignscore']!))
})

test('--device cuda where CUDA cannot load is a usage error with the install step; a pack for another task is refused', async () => {
  const cuda = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'empty-claim.jsonl'), '--model', pack, '--device', 'cuda', '--out', tempDir()])
  assert.equal(cuda.code, 2)
  assert.match(cuda.stderr, /--device cuda: ONNX Runtime cannot use it here \(.+\)\./)
  assert.match(cuda.stderr, /ONNXRUNTIME_NODE_INSTALL=cuda12/)
  const other = await makeMaskedSumPack(join(tempDir(), 'probe-pack'))
  const wrong = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'empty-claim.jsonl'), '--model', other, '--out', tempDir()])
  assert.equal(wrong.code, 2)
  assert.match(wrong.stderr, /was converted for "probe", not for alignscore/)
})
