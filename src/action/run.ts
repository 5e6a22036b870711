import {existsSync, statSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {Config} from '@oclif/core'

import {findConfig, loadConfig} from '../core/config.js'
import {ExitCode, isAlignctlError} from '../kernel/errors.js'
import {buildEvalRequest} from '../core/eval-request.js'
import {evaluate} from '../core/evaluate.js'
import {describeGate} from '../core/gates.js'
import type {Logger} from '../kernel/interfaces/index.js'
import {loadPlugins} from '../core/plugins.js'
import {renderCompareMarkdown} from '../report/compare-markdown.js'
import {compareReports, readRun, type Comparison} from '../report/compare.js'
import {flattenSummary} from '../report/flatten.js'
import {renderHtml} from '../report/html.js'
import {FILES, readScores, type ReportFormat} from '../report/output.js'
import {renderMarkdown} from '../report/markdown.js'
import type {ViewLookup} from '../report/metric-view.js'
import type {Report} from '../report/report.js'
import {commentMarker, upsertComment} from './comment.js'
import {evalArgs, evalFlags, shellLine} from './eval-args.js'
import {readInputs, type ActionInputs} from './inputs.js'
import {modelCache} from './model-cache.js'
import {pullRequestOf} from './pull-request.js'
import {outputName, Workflow} from './workflow.js'
import {ensurePack} from '../models/store.js'

/**
 * The GitHub Action: runs `eval` in-process with the action's inputs, writes the job summary
 * and the step outputs, compares with a baseline report when given, and keeps one PR comment
 * per workflow and job up to date. Returns the step's exit code: 0, 1 for a failed gate (or a
 * regression with fail-on-regression), 2 for bad inputs, 3 for a runtime failure.
 */
export async function runAction(env: NodeJS.ProcessEnv, workflow = new Workflow(env)): Promise<number> {
  try {
    return await run(env, workflow)
  } catch (error) {
    if (isAlignctlError(error)) {
      const text = `${error.message}${error.suggestions.length > 0 ? ` ${error.suggestions.join(' ')}` : ''}`
      workflow.error(`alignctl: ${inActionTerms(text)}`)
      return error.exitCode
    }
    workflow.error(`alignctl: unexpected failure: ${(error as Error).stack ?? String(error)}`)
    return ExitCode.runtime
  }
}

/** The CLI's flags, as the action's inputs that set them (action.yml). */
const FLAG_TO_INPUT: ReadonlyArray<[RegExp, string]> = [
  [/--metric\b/g, '`metrics:`'],
  [/--input\b/g, '`input:`'],
  [/--fail-under\b/g, '`fail-under:`'],
  [/--fail-over\b/g, '`fail-over:`'],
  [/--param\b/g, '`params:`'],
  [/--model\b/g, '`model:`'],
  [/--device\b/g, '`device:`'],
  [/--config\b/g, '`config:`'],
  [/--on-error\b/g, '`on-error:`'],
  [/--format\b/g, '`format:`'],
  [/--workers\b/g, '`workers:`'],
]

/** Rewords a core message that names CLI flags so it names the action's inputs instead. */
export function inActionTerms(text: string): string {
  return FLAG_TO_INPUT.reduce((t, [flag, input]) => t.replace(flag, input), text)
}

async function run(env: NodeJS.ProcessEnv, workflow: Workflow): Promise<number> {
  const inputs = readInputs(env)
  const oclif = await Config.load(import.meta.url)
  const {metrics: registry, judges} = await loadPlugins(oclif)

  const configFile = inputs.config ?? findConfig(process.cwd())
  const config = configFile === undefined ? {} : await loadConfig(configFile)
  const flags = evalFlags(inputs)
  workflow.info(`alignctl eval ${shellLine(evalArgs(inputs))}`)
  const request = buildEvalRequest(flags, config, configFile, (id) => registry.get(id).metric)

  if (inputs.cache) {
    const cache = modelCache(env, inputs.model, request.metrics.map((id) => registry.get(id).metric))
    workflow.setOutput('cache-path', cache.path)
    workflow.setOutput('cache-key', cache.key)
    workflow.info(`Model cache: ${cache.path} (${existsSync(cache.path) ? 'restored' : 'empty: the models will be downloaded'}); actions/cache key ${cache.key}`)
  }

  const {report} = await evaluate(request, {
    registry,
    judges,
    logger: logger(workflow),
    progress: {start: () => {}, advance: () => {}, stop: () => {}},
    signal: new AbortController().signal,
    tool: {name: oclif.name, version: oclif.version},
    resolvePack: (ref) => ensurePack(ref, {converter: `${oclif.name} ${oclif.version}`}),
  })
  const reportFile = join(request.out, FILES.json)
  for (const [id, metric] of Object.entries(report.metrics)) workflow.info(`${id}: ${metric.rows} rows scored in ${metric.timing.seconds.toFixed(2)} s`)

  const views = (id: string) => registry.views(id)
  const comparison = inputs.baseline === undefined ? undefined : await compareWithBaseline(inputs, report, reportFile, workflow, views, request.formats.includes('html'))
  const markdown = [renderMarkdown(report, {views}), ...(comparison === undefined ? [] : [renderCompareMarkdown(comparison)])].join('\n')
  workflow.appendSummary(markdown)
  setStepOutputs(workflow, report, reportFile, request.out, request.formats, comparison)
  await comment(env, inputs, markdown, workflow)

  let code: number = ExitCode.ok
  if (!report.passed) {
    const failed = report.gates.filter((g) => !g.passed).map((g) => describeGate(g).replace(/^FAIL\s+/, ''))
    workflow.error(`alignctl: ${failed.length} gate(s) failed: ${failed.join(', ')}. See the job summary and ${join(request.out, request.formats.includes('html') ? FILES.html : FILES.json)}.`)
    code = ExitCode.gateFailed
  }
  if (comparison?.regressed && inputs.failOnRegression) {
    workflow.error(`alignctl: regressed against the baseline: ${comparison.regressions.join(', ')} (tolerance ${comparison.tolerance}).`)
    code = ExitCode.gateFailed
  }
  return code
}

/**
 * Compares the run with the baseline and writes compare.json, compare.md and report.html
 * with a comparison section. A baseline that is not there (the default branch has no
 * report yet) is a warning, not a failure; one that is there but invalid is an error.
 */
async function compareWithBaseline(inputs: ActionInputs, report: Report, reportFile: string, workflow: Workflow, views: ViewLookup, html: boolean): Promise<Comparison | undefined> {
  let file = resolve(inputs.baseline!)
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, FILES.json)
  if (!existsSync(file)) {
    workflow.warning(`alignctl: baseline ${file} not found, so there is no comparison. Give a report.json or the folder an artifact holding one was downloaded to; on the first run of the default branch there is none yet.`)
    return undefined
  }
  const base = await readRun(file)
  const out = join(reportFile, '..')
  const head = {file: reportFile, report, rows: await readScores(join(out, FILES.scores))}
  const comparison = compareReports(base, head, {tolerance: inputs.tolerance, ...(inputs.significance === undefined ? {} : {significance: inputs.significance})})
  await writeFile(join(out, 'compare.json'), JSON.stringify(comparison, null, 2) + '\n')
  await writeFile(join(out, 'compare.md'), renderCompareMarkdown(comparison))
  if (html) await writeFile(join(out, FILES.html), renderHtml(report, head.rows, {comparison, views}))
  return comparison
}

function setStepOutputs(workflow: Workflow, report: Report, reportFile: string, out: string, formats: readonly ReportFormat[], comparison: Comparison | undefined): void {
  workflow.setOutput('report', reportFile)
  if (formats.includes('html')) workflow.setOutput('html', join(out, FILES.html))
  if (formats.includes('md')) workflow.setOutput('summary', join(out, FILES.md))
  workflow.setOutput('passed', String(report.passed))
  if (comparison !== undefined) workflow.setOutput('regressed', String(comparison.regressed))
  // Each number as its own output (for a step that runs bin/action.js itself), and all of
  // them as one JSON object: a composite action can only pass on outputs it declares.
  const stats: Record<string, number> = {}
  for (const [id, metric] of Object.entries(report.metrics)) {
    for (const stat of flattenSummary(metric.summary)) {
      if (typeof stat.value === 'number') stats[outputName(id, stat.path)] = stat.value
    }
  }
  for (const [name, value] of Object.entries(stats)) workflow.setOutput(name, String(value))
  workflow.setOutput('stats', JSON.stringify(stats))
}

/** Creates or updates this workflow and job's PR comment; a failure to comment is a warning. */
async function comment(env: NodeJS.ProcessEnv, inputs: ActionInputs, markdown: string, workflow: Workflow): Promise<void> {
  if (!inputs.comment) return
  const pullRequest = pullRequestOf(env)
  if (pullRequest === undefined) return
  if (inputs.githubToken === undefined) {
    workflow.warning('alignctl: no github-token, so no PR comment. Pass github-token: ${{ github.token }}, or set comment: false.')
    return
  }
  const marker = commentMarker(env['GITHUB_WORKFLOW'] ?? 'workflow', env['GITHUB_JOB'] ?? 'job')
  const run = env['GITHUB_RUN_ID'] ? `\n\n<sub>[Workflow run](${env['GITHUB_SERVER_URL'] ?? 'https://github.com'}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}) · report.html is in the run's artifacts if the workflow uploads it.</sub>` : ''
  try {
    const result = await upsertComment({apiUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com', token: inputs.githubToken, pullRequest, marker}, markdown + run)
    workflow.info(`PR #${pullRequest.number}: ${result.action} comment ${result.id}${result.url === undefined ? '' : ` (${result.url})`}`)
  } catch (error) {
    workflow.warning(`alignctl: could not comment on PR #${pullRequest.number}: ${(error as Error).message}`)
  }
}

function logger(workflow: Workflow): Logger {
  return {info: (m) => workflow.info(m), warn: (m) => workflow.warning(m), debug: () => {}}
}
