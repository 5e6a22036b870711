/**
 * `npm run bench`: every benchmark case, one after the other, each in its own process.
 *   npm run bench                          AlignScore (engine.bench.ts), CTC (ctc.bench.ts), then the result cache (cache.bench.ts) and the scale cases
 *   npm run bench -- --int8 --examples 32  the same; options go to the AlignScore case
 *   npm run bench -- --case ctc --layer 17 one case, with its own options
 *   npm run bench -- --case scale          1,000,000 honesty rows: rows/s, peak RSS, report.html size
 *   npm run bench -- --case scale-model    100,000 CTC rows on a fixture model: the same
 */
import {spawnSync} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const CASES = {alignscore: 'engine.bench.ts', ctc: 'ctc.bench.ts', scale: 'scale.bench.ts', 'scale-model': 'scale-model.bench.ts', cache: 'cache.bench.ts'} as const
type Case = keyof typeof CASES

const args = process.argv.slice(2)
const at = args.indexOf('--case')
let runs: Array<{name: Case; args: string[]}>
if (at === -1) {
  runs = [
    {name: 'alignscore', args},
    {name: 'ctc', args: []},
    {name: 'scale', args: []},
    {name: 'scale-model', args: []},
    {name: 'cache', args: []},
  ]
} else {
  const name = args[at + 1]
  if (name === undefined || !(name in CASES)) {
    console.error(`--case must be one of ${Object.keys(CASES).join(', ')}, not ${JSON.stringify(name ?? '')}.`)
    process.exit(2)
  }
  runs = [{name: name as Case, args: [...args.slice(0, at), ...args.slice(at + 2)]}]
}

const here = dirname(fileURLToPath(import.meta.url))
for (const run of runs) {
  console.log(`== bench case ${run.name} ==`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, CASES[run.name]), ...run.args], {stdio: 'inherit'})
  if (result.status !== 0) process.exit(result.status ?? 3)
}
