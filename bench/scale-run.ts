/**
 * Shared by the scale cases (scale.bench.ts, scale-model.bench.ts): writes a large input in a
 * temp folder, runs `alignctl eval` on it in a child process, and reports its rows/s, peak RSS
 * (the child's own `process.resourceUsage().maxRSS`, printed as it exits; the engine's
 * workers are threads of that process) and report.html's size against the bounds of
 * issue 15: under 1 GB peak RSS, report.html under 20 MB.
 */
import {spawnSync} from 'node:child_process'
import {createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {createInterface} from 'node:readline'
import {once} from 'node:events'
import {fileURLToPath} from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const RSS_BOUND_BYTES = 1024 ** 3
export const HTML_BOUND_BYTES = 20 * 1e6

export function tempFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Writes `rows` rows to `file`: the rows of `fixture` (JSONL) that `keep` takes, over and over, each given a fresh id `r<n>`. */
export async function repeatRows(fixture: string, file: string, rows: number, keep: (row: Record<string, unknown>) => boolean = () => true): Promise<void> {
  const source = readFileSync(fixture, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>).filter(keep)
  const out = createWriteStream(file)
  let chunk = ''
  for (let i = 0; i < rows; i++) {
    chunk += JSON.stringify({...source[i % source.length], id: `r${i}`}) + '\n'
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
}

const PRINT_MAX_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('alignctl-bench-maxrss-kb '+process.resourceUsage().maxRSS+'\\n'))`

export interface ScaleResult {
  rows: number
  seconds: number
  rowsPerSecond: number
  peakRssBytes: number
  htmlBytes: number
}

/**
 * Runs `alignctl eval <args> --out <out>` (default formats: json, html, md; the result cache on,
 * as by default, in an empty alignctl folder beside `out`, so every row is scored and stored) and
 * measures it.
 */
export async function runEval(args: readonly string[], out: string): Promise<ScaleResult> {
  const started = process.hrtime.bigint()
  const child = spawnSync(process.execPath, ['--import', PRINT_MAX_RSS, join(ROOT, 'bin/run.js'), 'eval', ...args, '--out', out], {cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, env: {...process.env, NO_COLOR: '1', ALIGNCTL_HOME: join(dirname(out), 'alignctl-home')}})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (child.status !== 0) throw new Error(`alignctl eval failed (exit ${child.status}):\n${child.stderr}`)
  const rss = /alignctl-bench-maxrss-kb (\d+)/.exec(child.stderr)
  if (rss === null) throw new Error(`the child did not print its peak RSS:\n${child.stderr}`)
  let rows = 0
  for await (const line of createInterface({input: createReadStream(join(out, 'scores.jsonl')), crlfDelay: Infinity})) if (line !== '') rows++
  return {rows, seconds, rowsPerSecond: rows / seconds, peakRssBytes: Number(rss[1]) * 1024, htmlBytes: statSync(join(out, 'report.html')).size}
}

/** Prints the figures and PASS/FAIL against the bounds; returns whether both held. */
export function reportScale(label: string, result: ScaleResult): boolean {
  const rssOk = result.peakRssBytes < RSS_BOUND_BYTES
  const htmlOk = result.htmlBytes < HTML_BOUND_BYTES
  console.log(`${label}: ${result.rows} rows in ${result.seconds.toFixed(1)} s, ${result.rowsPerSecond.toFixed(0)} rows/s (whole process: start, scan, score, write)`)
  console.log(`${label} peak RSS: ${(result.peakRssBytes / 1024 ** 2).toFixed(0)} MiB (bound 1 GiB): ${rssOk ? 'PASS' : 'FAIL'}`)
  console.log(`${label} report.html: ${(result.htmlBytes / 1e6).toFixed(2)} MB (bound 20 MB): ${htmlOk ? 'PASS' : 'FAIL'}`)
  return rssOk && htmlOk
}

export function cleanUp(dir: string): void {
  rmSync(dir, {recursive: true, force: true})
}
