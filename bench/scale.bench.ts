/**
 * `npm run bench -- --case scale`: a 1,000,000-row run of a model-free metric (honesty) with
 * the default formats (json, html, md), in a child `alignctl eval` (issue 15 item 3): rows/s,
 * peak RSS against the 1 GB bound and report.html's size against the 20 MB bound, each
 * PASS/FAIL. The input (fixtures/honesty/handmade.jsonl over and over) is written to a temp
 * folder and removed after. `--rows N` for another size.
 */
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {cleanUp, reportScale, repeatRows, ROOT, runEval, tempFolder} from './scale-run.js'

const {values} = parseArgs({options: {rows: {type: 'string', default: '1000000'}}})
const rows = Number(values.rows)
const dir = tempFolder('alignctl-bench-scale-')
try {
  const input = join(dir, 'honesty.jsonl')
  await repeatRows(join(ROOT, 'fixtures/honesty/handmade.jsonl'), input, rows)
  const result = await runEval(['--metric', 'honesty', '--input', input], join(dir, 'out'))
  if (!reportScale(`scale honesty ${rows} rows`, result)) process.exitCode = 1
} finally {
  cleanUp(dir)
}
