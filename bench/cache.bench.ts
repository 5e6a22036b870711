/**
 * `npm run bench -- --case cache`: the result cache's cost and gain (issue 15 items 1 and 5).
 *
 * Workload: --rows N distinct honesty rows (default 100000; the fixture's 160 rows, each with an
 * id of its own), scored by the built CLI (`bin/run.js eval --format json`) three times, each in
 * its own process: (a) without the cache (`--no-cache`), (b) with an empty cache (every row a
 * miss, then written), (c) the same run again (every row a hit). Prints rows/s and peak RSS of
 * each, the size of results.sqlite, and checks that (c)'s scores.jsonl equals (a)'s byte for byte.
 * Build first (`npm run build`).
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const {values} = parseArgs({options: {rows: {type: 'string', default: '100000'}}})
const count = Number(values.rows)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(join(tmpdir(), 'alignctl-bench-cache-'))

const fixture = readFileSync(join(root, 'fixtures/honesty/synthetic.jsonl'), 'utf8').split('\n').filter((l) => l !== '')
const input = join(work, 'answers.jsonl')
writeFileSync(input, Array.from({length: count}, (_, i) => JSON.stringify({...(JSON.parse(fixture[i % fixture.length]!) as object), id: `q${i}`})).join('\n') + '\n')

// Peak RSS of the CLI process itself, said on stderr as it exits.
const preload = join(work, 'maxrss.cjs')
writeFileSync(preload, "process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\\n`))\n")

function evalRun(name: string, extra: string[]): {seconds: number; rss: number; out: string} {
  const out = join(work, name)
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, ['-r', preload, join(root, 'bin/run.js'), 'eval', '-m', 'honesty', '-i', input, '-o', out, '--format', 'json', ...extra], {
    env: {...process.env, ALIGNCTL_HOME: join(work, 'home'), CI: 'true'},
    encoding: 'utf8',
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0) {
    console.error(result.stderr)
    process.exit(3)
  }
  const rss = Number(/maxrss_kb=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024
  return {seconds, rss, out}
}

const runs = [
  {name: 'no cache', ...evalRun('none', ['--no-cache'])},
  {name: 'empty cache (misses, written)', ...evalRun('cold', [])},
  {name: 'same run again (hits)', ...evalRun('warm', [])},
]
for (const r of runs) console.log(`cache ${r.name}: ${count} rows in ${r.seconds.toFixed(2)} s (${Math.round(count / r.seconds)} rows/s, whole process), peak RSS ${r.rss.toFixed(0)} MB`)
const warm = JSON.parse(readFileSync(join(runs[2]!.out, 'report.json'), 'utf8')) as {metrics: {honesty: {cache: {hits: number; misses: number}}}}
console.log(`cache hits on the re-run: ${warm.metrics.honesty.cache.hits} of ${count}; results.sqlite ${(statSync(join(work, 'home', 'results.sqlite')).size / 1e6).toFixed(1)} MB`)
const same = readFileSync(join(runs[0]!.out, 'scores.jsonl')).equals(readFileSync(join(runs[2]!.out, 'scores.jsonl')))
console.log(`cached scores.jsonl identical to the computed one: ${same}`)
if (!same || warm.metrics.honesty.cache.hits !== count) process.exit(1)
