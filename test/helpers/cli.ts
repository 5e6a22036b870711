import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {compileSchema} from '../../src/kernel/schema.js'
import {reportSchema} from '../../src/report/validate.js'
import type {Report} from '../../src/report/report.js'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const FIXTURES = join(ROOT, 'fixtures')
const RUN = join(ROOT, 'bin/run.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs the built CLI (`bin/run.js`, as users do) in a child process. Plugins are looked up
 * in `dataHome` (XDG_DATA_HOME), a fresh empty one unless given, so tests never see the
 * developer's own plugins.
 */
export function runCli(args: readonly string[], options: {cwd?: string; dataHome?: string; env?: Record<string, string>} = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_DATA_HOME: options.dataHome ?? tempDir('xdg-data'),
    XDG_CACHE_HOME: tempDir('xdg-cache'),
    XDG_CONFIG_HOME: tempDir('xdg-config'),
    CI: 'true',
    NO_COLOR: '1',
    ...options.env,
  }
  return runNode([RUN, ...args], {cwd: options.cwd ?? ROOT, env})
}

/** Runs a Node script in a child process and collects its exit code and output. */
export function runNode(args: readonly string[], options: {cwd: string; env: NodeJS.ProcessEnv}): Promise<CliResult> {
  return runProcess([process.execPath, ...args], options)
}

/** Runs `argv` (a program and its arguments) in a child process and collects its exit code and output. */
export function runProcess(argv: readonly string[], options: {cwd: string; env: NodeJS.ProcessEnv}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(argv[0]!, argv.slice(1), {cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({code: code ?? -1, stdout, stderr}))
  })
}

export function tempDir(prefix = 'alignctl-test'): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`))
}

/** Writes `content` to `name` inside a fresh temp folder and returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const file = join(tempDir(), name)
  mkdirSync(dirname(file), {recursive: true})
  writeFileSync(file, content)
  return file
}

const validateReport = compileSchema(reportSchema)

/** Reads `report.json` from an output folder and fails unless it satisfies the report schema. */
export function readValidReport(outDir: string): Report {
  const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as unknown
  const problems = validateReport.validate(report)
  if (problems.length > 0) throw new Error(`report.json does not match its schema: ${JSON.stringify(problems)}`)
  return report as Report
}

export function readScoreLines(outDir: string): Array<Record<string, unknown>> {
  return readFileSync(join(outDir, 'scores.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}
