import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {delimiter, join, resolve} from 'node:path'

import {parse} from 'yaml'

import {readOutputs} from './action.js'
import {ROOT, tempDir} from './cli.js'

interface Step {
  id?: string
  name?: string
  uses?: string
  if?: string
  shell?: string
  run?: string
  env?: Record<string, string>
  'working-directory'?: string
}

interface ActionFile {
  inputs: Record<string, {default?: string}>
  outputs: Record<string, {value: string}>
  runs: {using: string; steps: Step[]}
}

export function readActionFile(): ActionFile {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionFile
}

export interface CompositeRun {
  /** 0, or the exit code of the step that failed (later steps do not run, as on GitHub). */
  code: number
  /** Each run step's name (or its first line) and exit code; `uses:` steps as `skipped`. */
  steps: Array<{step: string; code: number | 'skipped'}>
  log: string
  /** The action's outputs, from its `outputs:` expressions. */
  outputs: Record<string, string>
  /** PATH as later steps of the job see it (with the lines the action appended to $GITHUB_PATH). */
  path: string
  env: NodeJS.ProcessEnv
  /** Each step's outputs, by step id. */
  stepOutputs: Record<string, Record<string, string>>
}

/**
 * Runs action.yml's composite steps as the runner would, in `workspace`: `${{ inputs.* }}`
 * (defaults included), `${{ github.action_path }}` and `${{ steps.<id>.outputs.* }}` filled
 * in, each `run:` through bash in its working directory with its `env:` and the runner's
 * variables (GITHUB_ACTION_PATH, GITHUB_OUTPUT per step, GITHUB_PATH, RUNNER_TEMP, ...), and
 * `if: inputs.x != ''` honoured. `uses:` steps (actions/setup-node, actions/cache) are
 * other actions and are skipped: the Node.js running the tests stands in for setup-node.
 */
export function runComposite(workspace: string, inputs: Record<string, string>, runnerEnv: Record<string, string> = {}): CompositeRun {
  const action = readActionFile()
  if (action.runs.using !== 'composite') throw new Error(`action.yml runs.using is ${action.runs.using}, not composite`)
  const values: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) values[name] = inputs[name] ?? spec.default ?? ''
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`action.yml has no input "${name}"`)
  values['github-token'] = inputs['github-token'] ?? ''

  const temp = tempDir('runner-temp')
  const githubPath = join(temp, 'github-path')
  writeFileSync(githubPath, '')
  const stepOutputs: Record<string, Record<string, string>> = {}
  const expression = (text: string): string =>
    text.replaceAll(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (expr === 'github.action_path') return ROOT
      const input = /^inputs\.([\w-]+)$/.exec(expr)
      if (input !== null) return values[input[1]!] ?? ''
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr)
      if (output !== null) return stepOutputs[output[1]!]?.[output[2]!] ?? ''
      throw new Error(`action.yml: expression ${expr} is not simulated`)
    })

  const base: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!/^(GITHUB_|INPUT_|RUNNER_)/.test(key)) base[key] = value
  Object.assign(base, {GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: ROOT, GITHUB_PATH: githubPath, RUNNER_OS: 'Linux', RUNNER_TEMP: temp, NO_COLOR: '1'}, runnerEnv)
  const pathNow = () => [...readFileSync(githubPath, 'utf8').split('\n').filter((l) => l !== '').reverse(), base['PATH'] ?? ''].join(delimiter)

  const steps: CompositeRun['steps'] = []
  let log = ''
  let code = 0
  for (const [i, step] of action.runs.steps.entries()) {
    const label = step.name ?? step.id ?? step.uses ?? `step ${i}`
    if (step.uses !== undefined) {
      steps.push({step: label, code: 'skipped'})
      continue
    }
    if (step.if !== undefined) {
      const condition = /^inputs\.([\w-]+) != ''$/.exec(step.if)
      if (condition === null) throw new Error(`action.yml: if: ${step.if} is not simulated`)
      if ((values[condition[1]!] ?? '') === '') continue
    }
    if (step.shell !== 'bash') throw new Error(`action.yml: step ${label} has shell ${step.shell}, not bash`)
    const outputFile = join(temp, `output-${i}`)
    writeFileSync(outputFile, '')
    const env: NodeJS.ProcessEnv = {...base, PATH: pathNow(), GITHUB_OUTPUT: outputFile}
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = expression(String(value))
    const cwd = step['working-directory'] === undefined ? workspace : resolve(workspace, expression(step['working-directory']))
    mkdirSync(cwd, {recursive: true})
    // As the runner does: bash --noprofile --norc -eo pipefail {0}
    const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expression(step.run!)], {cwd, env, encoding: 'utf8'})
    log += `## ${label}\n${run.stdout}${run.stderr}`
    steps.push({step: label, code: run.status ?? -1})
    if (step.id !== undefined) stepOutputs[step.id] = readOutputs({outputFile})
    if (run.status !== 0) {
      code = run.status ?? -1
      break
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, expression(spec.value)]))
  return {code, steps, log, outputs, path: pathNow(), env: base, stepOutputs}
}
