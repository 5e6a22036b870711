import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT, runNode, tempDir, type CliResult} from './cli.js'

/** A simulated GitHub Actions step: the files the runner provides and the environment it sets. */
export interface ActionStep {
  dir: string
  eventPath: string
  summaryFile: string
  outputFile: string
  env: Record<string, string>
}

/**
 * The runner's environment for one step of workflow `eval`, job `score`, on event `event`
 * (a pull_request on PR #7 unless said otherwise), with the GitHub API at `apiUrl`.
 */
export function actionStep(apiUrl: string, options: {event?: string; payload?: unknown} = {}): ActionStep {
  const dir = tempDir('action-step')
  const eventPath = join(dir, 'event.json')
  writeFileSync(eventPath, JSON.stringify(options.payload ?? {action: 'synchronize', number: 7, pull_request: {number: 7}}))
  const summaryFile = join(dir, 'step-summary.md')
  const outputFile = join(dir, 'output.txt')
  writeFileSync(summaryFile, '')
  writeFileSync(outputFile, '')
  return {
    dir,
    eventPath,
    summaryFile,
    outputFile,
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.event ?? 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: outputFile,
      GITHUB_REPOSITORY: 'acme/models',
      GITHUB_WORKFLOW: 'eval',
      GITHUB_JOB: 'score',
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_API_URL: apiUrl,
      GITHUB_WORKSPACE: dir,
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: dir,
    },
  }
}

/**
 * Runs the action's entry point (`bin/action.js`, as action.yml names it) in the step's
 * folder with `inputs` as INPUT_* variables, named the way GitHub names them.
 */
export function runAction(step: ActionStep, inputs: Record<string, string>): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {}
  // The test's own environment, less anything GitHub-specific it may have (tests can run in Actions).
  for (const [key, value] of Object.entries(process.env)) if (!/^(GITHUB_|INPUT_|RUNNER_)/.test(key)) env[key] = value
  Object.assign(env, step.env, {XDG_DATA_HOME: tempDir('xdg-data'), XDG_CACHE_HOME: tempDir('xdg-cache'), NO_COLOR: '1'})
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return runNode([join(ROOT, 'bin/action.js')], {cwd: step.dir, env})
}

/** The step outputs written to `$GITHUB_OUTPUT` (`name=value` and heredoc forms). */
export function readOutputs(step: Pick<ActionStep, 'outputFile'>): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = readFileSync(step.outputFile, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc !== null) {
      const end = lines.indexOf(heredoc[2]!, i + 1)
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return outputs
}
