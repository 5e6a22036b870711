import assert from 'node:assert/strict'
import {existsSync, mkdirSync, renameSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {FIXTURES, runCli} from './cli.js'

/** The CTC parity packs: E packs per layer, the D and the R pack. */
export type CtcPackName = 'e-bert@1' | 'e-bert@2' | 'e-roberta@1' | 'e-roberta@2' | 'd-roberta' | 'r-bert'

const SOURCES: Record<CtcPackName, {model: string; checkpoint: string; arch: string; layer?: number}> = {
  'e-bert@1': {model: 'e-bert', checkpoint: 'pytorch_model.bin', arch: 'ctc-e', layer: 1},
  'e-bert@2': {model: 'e-bert', checkpoint: 'pytorch_model.bin', arch: 'ctc-e', layer: 2},
  'e-roberta@1': {model: 'e-roberta', checkpoint: 'pytorch_model.bin', arch: 'ctc-e', layer: 1},
  'e-roberta@2': {model: 'e-roberta', checkpoint: 'pytorch_model.bin', arch: 'ctc-e', layer: 2},
  'd-roberta': {model: 'd-roberta', checkpoint: 'd-roberta.ckpt', arch: 'ctc-d'},
  'r-bert': {model: 'r-bert', checkpoint: 'r-bert.ckpt', arch: 'ctc-r'},
}

/** The max length the fixtures were made with (fixtures/ctc/expected.json settings.maxLength). */
export const CTC_MAX_LENGTH = 32

/**
 * The tiny CTC checkpoints of fixtures/ctc/models converted by `alignctl models convert` (the
 * real checkpoint reader and graph builder), once per test run: test files of one run share
 * them (the runner is their common parent process), a later run converts afresh.
 */
export async function ctcPack(name: CtcPackName): Promise<string> {
  const root = join(tmpdir(), `alignctl-ctc-packs-${process.ppid}`)
  const dir = join(root, name.replace('@', '-l'))
  if (existsSync(join(dir, 'alignctl-model.json'))) return dir
  mkdirSync(root, {recursive: true})
  const source = SOURCES[name]
  const from = join(FIXTURES, 'ctc/models', source.model)
  // Converted under a name of its own, then moved in place: parallel test files may race here.
  const mine = `${dir}.${process.pid}`
  const result = await runCli([
    'models', 'convert',
    '--checkpoint', join(from, source.checkpoint),
    '--config', join(from, 'config.json'),
    '--tokenizer', join(from, 'tokenizer.json'),
    '--arch', source.arch,
    ...(source.layer === undefined ? [] : ['--layer', String(source.layer)]),
    '--max-length', String(CTC_MAX_LENGTH),
    '--name', name.replace('@', '-l'),
    '--out', mine,
  ])
  assert.equal(result.code, 0, result.stderr)
  try {
    renameSync(mine, dir)
  } catch {
    rmSync(mine, {recursive: true, force: true})
  }
  assert.ok(existsSync(join(dir, 'alignctl-model.json')))
  return dir
}
