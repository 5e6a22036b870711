import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, test} from 'node:test'

import {FIXTURES, ROOT, readScoreLines, readValidReport, runCli, tempDir} from '../../helpers/cli.js'
import {makeMaskedSumPack} from '../../helpers/packs.js'

/**
 * AlignScore end to end against the reference: the tiny AlignScore-layout Lightning checkpoint
 * is converted by `alignctl models convert` (TypeScript checkpoint reader and graph builder),
 * then scored by `alignctl eval` in every mode; the numbers must match an independent Python
 * re-implementation of the reference algorithm (scripts/fixtures/alignscore_reference.py).
 */
const dir = join(FIXTURES, 'alignscore')
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  tolerance: number
  modes: Record<string, Record<string, {score: number; chunks?: number; sentences?: Array<{text: string; score: number; chunk: number}>} | number>>
}
const MODES = ['nli_sp', 'bin_sp', 'reg_sp', 'nli', 'bin', 'reg'] as const
let pack: string

before(async () => {
  pack = join(tempDir(), 'alignscore-tiny')
  const tiny = join(dir, 'tiny')
  const converted = await runCli(['models', 'convert', '--checkpoint', join(tiny, 'AlignScore-tiny.ckpt'), '--config', join(tiny, 'config.json'), '--tokenizer', join(tiny, 'tokenizer.json'), '--arch', 'alignscore', '--out', pack])
  assert.equal(converted.code, 0, converted.stderr)
})

describe('scores match the reference implementation in every mode', () => {
  for (const mode of MODES) {
    test(mode, async () => {
      const out = tempDir()
      const result = await runCli(['eval', '--metric', 'alignscore', '--input', join(dir, 'pairs.jsonl'), '--model', pack, '--param', `mode=${mode}`, '--out', out, '--format', 'json'])
      assert.equal(result.code, 0, result.stderr)
      const report = readValidReport(out)
      const metric = report.metrics['alignscore']!
      assert.equal(metric.errors.length, 0)
      assert.equal((metric.model as {name: string}).name, 'alignscore-tiny')
      assert.equal((metric.device as {provider: string}).provider, 'cpu')
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
  const args = ['eval', '--metric', 'alignscore', '--input', input, '--model', pack, '--out', out, '--format', 'json']
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
  assert.equal(readValidReport(out).metrics['alignscore']!.summary['n'], 780)
  assert.equal(existsSync(join(out, '.partial')), false)
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
