import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, test} from 'node:test'

import {FIXTURES, readScoreLines, readValidReport, runCli, tempDir} from '../../helpers/cli.js'

/**
 * int8 packs on trained weights (scripts/fixtures/trained_encoder.py: a small RoBERTa trained
 * for a few CPU minutes, since random weights exaggerate int8 drift): `models convert
 * --precision int8` must stay within 0.01 of the fp32 pack in every AlignScore mode, label
 * itself in report.json, and give every row the same score at any batch size.
 */
const trained = join(FIXTURES, 'trained')
const pairs = join(FIXTURES, 'alignscore', 'pairs.jsonl')
const MODES = ['nli_sp', 'bin_sp', 'reg_sp', 'nli', 'bin', 'reg'] as const
const TOLERANCE = 0.01
const packs: Record<'fp32' | 'int8', string> = {fp32: '', int8: ''}
// The packs are converted into a cache folder, so that `models list` sees them.
const home = tempDir()

before(async () => {
  const root = join(home, 'models')
  for (const precision of ['fp32', 'int8'] as const) {
    packs[precision] = join(root, `trained-${precision}`)
    const converted = await runCli(['models', 'convert', '--checkpoint', join(trained, 'encoder.ckpt'), '--config', join(trained, 'config.json'), '--tokenizer', join(trained, 'tokenizer.json'), '--arch', 'alignscore', '--precision', precision, '--out', packs[precision]])
    assert.equal(converted.code, 0, converted.stderr)
  }
})

async function scores(pack: string, mode: string, extra: string[] = []): Promise<{byId: Map<string, number>; model: Record<string, unknown>}> {
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'alignscore', '--input', pairs, '--model', pack, '--param', `mode=${mode}`, '--out', out, '--format', 'json', ...extra])
  assert.equal(result.code, 0, result.stderr)
  const model = readValidReport(out).metrics['alignscore']!.model as Record<string, unknown>
  const byId = new Map(readScoreLines(out).map((line) => [line['id'] as string, (line['alignscore'] as {score: number}).score]))
  return {byId, model}
}

for (const mode of MODES) {
  test(`${mode}: the int8 pack scores within ${TOLERANCE} of fp32 on trained weights`, async () => {
    const fp32 = await scores(packs.fp32, mode)
    const int8 = await scores(packs.int8, mode)
    assert.equal(int8.byId.size, fp32.byId.size)
    let worst = 0
    let sum = 0
    for (const [id, score] of fp32.byId) {
      const diff = Math.abs(int8.byId.get(id)! - score)
      worst = Math.max(worst, diff)
      sum += diff
    }
    if (process.env.ALIGNCTL_PRINT_DRIFT) console.log(`trained alignscore ${mode}: int8 - fp32 max ${worst.toExponential(2)}, mean ${(sum / fp32.byId.size).toExponential(2)} over ${fp32.byId.size} rows`)
    assert.ok(worst <= TOLERANCE, `${mode}: int8 moves a score by ${worst}`)
    assert.equal(fp32.model['precision'], 'fp32')
    assert.equal(fp32.model['quantization'], undefined)
    assert.equal(int8.model['precision'], 'int8')
    assert.deepEqual(int8.model['quantization'], {weights: 'int8-symmetric-per-channel', activations: 'uint8-dynamic-per-token'})
  })
}

test('int8: every row gets the same score with --batch-size 1 and 64 (other neighbours, other padding)', async () => {
  for (const mode of ['nli_sp', 'reg'] as const) {
    const one = await scores(packs.int8, mode, ['--batch-size', '1'])
    const many = await scores(packs.int8, mode, ['--batch-size', '64'])
    let worst = 0
    for (const [id, score] of one.byId) worst = Math.max(worst, Math.abs(many.byId.get(id)! - score))
    assert.ok(worst <= 1e-6, `${mode}: a row's int8 score moves by ${worst} with the batch size`)
  }
})

test('the int8 manifest records how the pack was quantized', () => {
  const manifest = JSON.parse(readFileSync(join(packs.int8, 'alignctl-model.json'), 'utf8')) as Record<string, unknown>
  assert.equal(manifest['precision'], 'int8')
  assert.deepEqual(manifest['quantization'], {weights: 'int8-symmetric-per-channel', activations: 'uint8-dynamic-per-token'})
  const fp32 = JSON.parse(readFileSync(join(packs.fp32, 'alignctl-model.json'), 'utf8')) as Record<string, unknown>
  assert.equal(fp32['quantization'], undefined)
})

test('models list shows each cached pack\'s precision and how an int8 pack was quantized', async () => {
  const listed = await runCli(['models', 'list'], {env: {ALIGNCTL_HOME: home}})
  assert.equal(listed.code, 0, listed.stderr)
  assert.match(listed.stdout, /trained-int8 +cached, [\d.]+ MB +int8, uint8-dynamic-per-token activations +converted from a local checkpoint/)
  assert.match(listed.stdout, /trained-fp32 +cached, [\d.]+ MB +fp32 +converted/)
  const json = JSON.parse((await runCli(['models', 'list', '--json'], {env: {ALIGNCTL_HOME: home}})).stdout) as Array<{name: string; precision?: string; quantization?: unknown}>
  const int8 = json.find((e) => e.name === 'trained-int8')!
  assert.equal(int8.precision, 'int8')
  assert.deepEqual(int8.quantization, {weights: 'int8-symmetric-per-channel', activations: 'uint8-dynamic-per-token'})
})
