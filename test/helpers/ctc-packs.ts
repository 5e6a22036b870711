import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {isAbsolute, join} from 'node:path'

import {FIXTURES, runCli} from './cli.js'

/** The CTC parity packs: E packs per layer, the D and the R pack (fixtures/ctc/expected.json settings.packs). */
export type CtcPackName = 'e-bert-l1' | 'e-bert-l2' | 'e-roberta-l1' | 'e-roberta-l2' | 'd-roberta' | 'r-bert'

const CTC = join(FIXTURES, 'ctc')
const PACKS = (JSON.parse(readFileSync(join(CTC, 'expected.json'), 'utf8')) as {settings: {packs: Record<string, {args: string[]}>}}).settings.packs

/** The pack name of an expected case: `e-bert-l1` for model e-bert at layer 1. */
export function ctcPackName(model: string, layer?: number): CtcPackName {
  return (layer === undefined ? model : `${model}-l${layer}`) as CtcPackName
}

/**
 * The tiny CTC checkpoints of fixtures/ctc/models converted by `alignctl models convert` (the
 * real checkpoint reader and graph builder) with the arguments the fixtures record, once per
 * test run: test files of one run share them (the runner is their common parent process), a
 * later run converts afresh.
 */
export async function ctcPack(name: CtcPackName): Promise<string> {
  const root = join(tmpdir(), `alignctl-ctc-packs-${process.ppid}`)
  const dir = join(root, name)
  if (existsSync(join(dir, 'alignctl-model.json'))) return dir
  mkdirSync(root, {recursive: true})
  const spec = PACKS[name]
  assert.ok(spec !== undefined, `fixtures/ctc/expected.json has no pack ${name}`)
  // Paths in the recorded arguments are relative to fixtures/ctc.
  const args = spec.args.map((arg, i) => (i > 0 && spec.args[i - 1]!.startsWith('--') && /\.(json|bin|ckpt|safetensors)$/.test(arg) && !isAbsolute(arg) ? join(CTC, arg) : arg))
  // Converted under a name of its own, then moved in place: parallel test files may race here.
  const mine = `${dir}.${process.pid}`
  const result = await runCli(['models', 'convert', ...args, '--name', name, '--out', mine])
  assert.equal(result.code, 0, result.stderr)
  try {
    renameSync(mine, dir)
  } catch {
    rmSync(mine, {recursive: true, force: true})
  }
  assert.ok(existsSync(join(dir, 'alignctl-model.json')))
  return dir
}
