/**
 * `npm run bench -- --case scale-model`: a 100,000-row model-backed run (issue 15 item 3):
 * CTC consistency with the E aligner on the tiny e-roberta fixture checkpoint (layer 1,
 * converted by `alignctl models convert` as the CTC tests convert it), default formats, in a
 * child `alignctl eval`: rows/s, peak RSS against the 1 GB bound and report.html's size
 * against the 20 MB bound, each PASS/FAIL. Rows: the summarization rows of fixtures/ctc/rows.jsonl over and over, in a
 * temp folder removed after. `--rows N` for another size.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {cleanUp, reportScale, repeatRows, ROOT, runEval, tempFolder} from './scale-run.js'

const {values} = parseArgs({options: {rows: {type: 'string', default: '100000'}}})
const rows = Number(values.rows)
const dir = tempFolder('alignctl-bench-scale-model-')
try {
  const ctc = join(ROOT, 'fixtures/ctc')
  const spec = (JSON.parse(readFileSync(join(ctc, 'expected.json'), 'utf8')) as {settings: {packs: Record<string, {args: string[]}>}}).settings.packs['e-roberta-l1']!
  const args = spec.args.map((arg) => (/\.(json|bin)$/.test(arg) ? join(ctc, arg) : arg))
  const pack = join(dir, 'pack')
  const converted = spawnSync(process.execPath, [join(ROOT, 'bin/run.js'), 'models', 'convert', ...args, '--name', 'bench-ctc-e-roberta-l1', '--out', pack], {cwd: ROOT, encoding: 'utf8'})
  if (converted.status !== 0) throw new Error(`models convert failed:\n${converted.stderr}`)
  const input = join(dir, 'ctc.jsonl')
  await repeatRows(join(ctc, 'rows.jsonl'), input, rows, (row) => typeof row['document'] === 'string' && typeof row['summary'] === 'string')
  const result = await runEval(['--metric', 'ctc', '--param', 'aspect=consistency', '--model', pack, '--input', input], join(dir, 'out'))
  if (!reportScale(`scale ctc (fixture model) ${rows} rows`, result)) process.exitCode = 1
} finally {
  cleanUp(dir)
}
