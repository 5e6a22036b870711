// docs/scale: the Kubernetes and GitHub Actions manifests, run here as their schedulers would run
// them. Each manifest's own command lines are extracted from the YAML and run by sh/bash for
// every shard index, with what the scheduler provides substituted: JOB_COMPLETION_INDEX or the
// matrix value, the shared volume as a temp folder, artifacts as temp folders, an `alignctl` on
// PATH that is this checkout's bin/run.js. The merged report must equal a single-machine run.
import assert from 'node:assert/strict'
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {describe, test} from 'node:test'

import {parse, parseAllDocuments} from 'yaml'

import {FIXTURES, readValidReport, ROOT, runProcess, tempDir} from '../helpers/cli.js'
import type {Report} from '../../src/report/report.js'

const SCALE = join(ROOT, 'docs/scale')

/** A folder holding an `alignctl` that runs this checkout's CLI, as an installed one would. */
function alignctlOnPath(): string {
  const bin = tempDir('alignctl-bin')
  writeFileSync(join(bin, 'alignctl'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/run.js'))} "$@"\n`, {mode: 0o755})
  return bin
}

/** The environment a fresh container or runner starts with: no shard index of ours leaking in. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${alignctlOnPath()}:${process.env['PATH'] ?? ''}`,
    XDG_DATA_HOME: tempDir('xdg-data'),
    XDG_CACHE_HOME: tempDir('xdg-cache'),
    XDG_CONFIG_HOME: tempDir('xdg-config'),
    CI: 'true',
    NO_COLOR: '1',
  }
  for (const name of ['JOB_COMPLETION_INDEX', 'ALIGNCTL_SHARD_INDEX', 'ALIGNCTL_HOME', 'ALIGNCTL_OFFLINE']) delete env[name]
  return env
}

/** A small generated honesty input: the synthetic fixture's rows, cycled to `rows` with fresh ids. */
function generatedInput(file: string, rows: number): void {
  const lines = readFileSync(join(FIXTURES, 'honesty/synthetic.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '')
  const out = Array.from({length: rows}, (_, i) => JSON.stringify({...(JSON.parse(lines[i % lines.length]!) as object), id: `g${i}`}))
  mkdirSync(dirname(file), {recursive: true})
  writeFileSync(file, out.join('\n') + '\n')
}

/** The value of `--flag <value>` in a command line. */
function flagValue(script: string, flag: string): string {
  const match = new RegExp(`${flag} (\\S+)`).exec(script)
  assert.ok(match, `no ${flag} in: ${script}`)
  return match[1]!
}

/** The shard command turned into the same eval on one machine: no --shards, another --out. */
function singleMachine(script: string, out: string): string {
  assert.match(script, /--shards \d+/)
  return script.replace(/ --shards \d+/, '').replace(/--out \S+/, `--out ${out}`)
}

/** Merged and single-machine runs agree: scores.jsonl byte for byte; summaries, row counts and errors. */
function assertSameAsOneRun(merged: string, whole: string): Report {
  assert.equal(readFileSync(join(merged, 'scores.jsonl'), 'utf8'), readFileSync(join(whole, 'scores.jsonl'), 'utf8'))
  const a = readValidReport(merged)
  const b = readValidReport(whole)
  assert.deepEqual(Object.keys(a.metrics), Object.keys(b.metrics))
  for (const [id, metric] of Object.entries(b.metrics)) {
    const got = a.metrics[id]!
    assert.deepEqual(got.summary, metric.summary, id)
    assert.deepEqual([got.rows, got.skipped, got.errors], [metric.rows, metric.skipped, metric.errors], id)
  }
  assert.equal(a.run?.shard, undefined)
  return a
}

/** docs/scale.md shows each manifest whole, so the page and the tested file cannot drift apart. */
test('docs/scale.md includes every manifest verbatim, and README links it', () => {
  const page = readFileSync(join(ROOT, 'docs/scale.md'), 'utf8')
  for (const name of readdirSync(SCALE)) {
    const text = readFileSync(join(SCALE, name), 'utf8')
    assert.ok(page.includes('```yaml\n' + text + '```'), `docs/scale.md does not include docs/scale/${name} verbatim in a yaml block`)
  }
  assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /\]\(docs\/scale\.md\)/)
})

describe('the Kubernetes Indexed Job and merge Job', () => {
  type Container = {command: string[]; env?: Array<{name: string; value: string}>; volumeMounts: Array<{name: string; mountPath: string}>}
  type Job = {kind: string; metadata: {name: string}; spec: {completionMode?: string; completions?: number; parallelism?: number; template: {spec: {restartPolicy: string; containers: Container[]; volumes: Array<{name: string; persistentVolumeClaim?: {claimName: string}}>}}}}
  const read = (name: string) => parseAllDocuments(readFileSync(join(SCALE, name), 'utf8')).map((d) => d.toJS() as Job & {spec: {accessModes?: string[]}})
  const docs = read('k8s-indexed-job.yaml')
  const job = docs.find((d) => d.kind === 'Job')!
  const merge = read('k8s-merge-job.yaml').find((d) => d.kind === 'Job')!
  const claim = docs.find((d) => d.kind === 'PersistentVolumeClaim')!

  /** The container's `sh -c` script and env, with the shared volume's mount path moved to `shared`. */
  function container(of: Job, shared: string): {script: string; env: Record<string, string>} {
    const [c] = of.spec.template.spec.containers
    assert.equal(of.spec.template.spec.containers.length, 1)
    assert.deepEqual(c!.command.slice(0, 2), ['sh', '-c'])
    const [mount] = c!.volumeMounts
    const volume = of.spec.template.spec.volumes.find((v) => v.name === mount!.name)
    assert.equal(volume?.persistentVolumeClaim?.claimName, claim.metadata.name)
    const moved = (s: string) => s.replaceAll(mount!.mountPath, shared)
    return {script: moved(c!.command[2]!), env: Object.fromEntries((c!.env ?? []).map((e) => [e.name, moved(e.value)]))}
  }

  test('is an Indexed Job whose completions equal --shards, on a volume every pod can mount', () => {
    assert.equal(job.spec.completionMode, 'Indexed')
    assert.ok(claim.spec.accessModes?.includes('ReadWriteMany'))
    assert.equal(job.spec.template.spec.restartPolicy, 'Never')
    assert.equal(Number(flagValue(container(job, '/x').script, '--shards')), job.spec.completions)
    assert.ok(job.spec.parallelism! >= 1 && job.spec.parallelism! <= job.spec.completions!)
  })

  test('its pods, one per JOB_COMPLETION_INDEX, merge into the single-machine report', async () => {
    const shared = tempDir('k8s-shared')
    const env = baseEnv()
    const pod = container(job, shared)
    generatedInput(flagValue(pod.script, '--input'), 403)
    const n = job.spec.completions!
    // The pods of one Job run side by side, as parallelism lets them.
    const results = await Promise.all(Array.from({length: n}, (_, i) => runProcess(['sh', '-c', pod.script], {cwd: tempDir('pod'), env: {...env, ...pod.env, JOB_COMPLETION_INDEX: String(i)}})))
    results.forEach((r, i) => assert.equal(r.code, 0, `index ${i}: ${r.stderr}`))
    const shardDirs = readdirSync(dirname(flagValue(pod.script, '--out'))).filter((d) => d.startsWith('shard-'))
    assert.equal(shardDirs.length, n)
    for (let i = 0; i < n; i++) assert.deepEqual(readValidReport(join(dirname(flagValue(pod.script, '--out')), `shard-${i}`)).run?.shard, {index: i + 1, count: n})

    const merger = container(merge, shared)
    const merged = await runProcess(['sh', '-c', merger.script], {cwd: tempDir('pod'), env: {...env, ...merger.env}})
    assert.equal(merged.code, 0, merged.stderr)

    const whole = tempDir('one-machine')
    const one = await runProcess(['sh', '-c', singleMachine(pod.script, whole)], {cwd: tempDir('pod'), env: {...env, ...pod.env}})
    assert.equal(one.code, 0, one.stderr)
    const report = assertSameAsOneRun(flagValue(merger.script, '--out'), whole)
    assert.equal(report.metrics['honesty']!.rows, 403)
    assert.deepEqual(report.gates.map((g) => g.passed), [true])
  })
})

describe('the GitHub Actions workflow', () => {
  type Step = {uses?: string; run?: string; if?: string; env?: Record<string, string | number>; with?: Record<string, string | number>}
  type Job = {needs?: string | string[]; strategy?: {matrix: Record<string, unknown[]>}; env?: Record<string, string>; steps: Step[]}
  const workflow = parse(readFileSync(join(SCALE, 'github-workflow.yml'), 'utf8')) as {env?: Record<string, string>; jobs: Record<string, Job>}
  const [shardId, shardJob] = Object.entries(workflow.jobs).find(([, j]) => j.strategy !== undefined)!
  const [, mergeJob] = Object.entries(workflow.jobs).find(([, j]) => [j.needs ?? []].flat().includes(shardId))!
  const [matrixKey, matrixValues] = Object.entries(shardJob.strategy!.matrix)[0]!
  const INSTALL = /^ONNXRUNTIME_NODE_INSTALL=skip npm install --global alignctl@\S+$/

  /** `${{ matrix.<key> }}` replaced; any other expression is one this simulation does not know. */
  function expand(text: string | number, matrix: Record<string, unknown>): string {
    const out = String(text).replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_, key: string) => String(matrix[key]))
    assert.ok(!out.includes('${{'), `unsupported expression in ${text}`)
    return out
  }

  /**
   * Runs one job as a fresh runner would: the workspace emptied and checked out again at the
   * same path (so the input has the path the shards recorded), then each step in turn.
   */
  async function runJob(job: Job, matrix: Record<string, unknown>, at: {workspace: string; repo: string; artifacts: string; env: NodeJS.ProcessEnv}): Promise<void> {
    rmSync(at.workspace, {recursive: true, force: true})
    mkdirSync(at.workspace, {recursive: true})
    const summary = join(tempDir('runner'), 'step-summary.md')
    let failed: string | undefined
    for (const step of job.steps) {
      if (step.if !== undefined) assert.equal(step.if, 'always()', 'only if: always() is simulated')
      if (failed !== undefined && step.if !== 'always()') continue
      const action = step.uses?.replace(/@.*$/, '')
      const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v, matrix)]))
      if (action === 'actions/checkout') cpSync(at.repo, at.workspace, {recursive: true})
      else if (action === 'actions/setup-node') assert.equal(withs['node-version'], '20')
      else if (action === 'actions/upload-artifact') {
        const from = resolve(at.workspace, withs['path']!)
        const to = join(at.artifacts, withs['name']!)
        if (!existsSync(from)) {
          assert.notEqual(withs['if-no-files-found'], 'error', `upload-artifact: ${withs['path']} does not exist`)
          continue
        }
        assert.ok(!existsSync(to), `artifact ${withs['name']} uploaded twice (v4 artifacts are immutable)`)
        // A single folder's files are the artifact's root; hidden files are left out (v4.4+ default).
        cpSync(from, to, {recursive: true, filter: (src) => !src.slice(from.length).split('/').some((part) => part.startsWith('.'))})
      } else if (action === 'actions/download-artifact') {
        assert.notEqual(withs['merge-multiple'], 'true', 'merge-multiple is not simulated')
        const pattern = new RegExp(`^${withs['pattern']!.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
        for (const name of readdirSync(at.artifacts).filter((n) => pattern.test(n))) cpSync(join(at.artifacts, name), join(at.workspace, withs['path']!, name), {recursive: true})
      } else if (step.run !== undefined && INSTALL.test(step.run.trim())) {
        // The installed CLI is the `alignctl` on PATH.
      } else if (step.run !== undefined) {
        const env = {...at.env, ...workflow.env, ...job.env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, matrix)])), GITHUB_WORKSPACE: at.workspace, GITHUB_STEP_SUMMARY: summary}
        const result = await runProcess(['bash', '--noprofile', '--norc', '-e', '-c', expand(step.run, matrix)], {cwd: at.workspace, env})
        if (result.code !== 0) failed = `${step.run}: exit ${result.code}: ${result.stderr}`
      } else assert.fail(`step not simulated: ${JSON.stringify(step)}`)
    }
    assert.equal(failed, undefined, failed)
  }

  test('the matrix has one index per shard, 0-based, and --shards equals its size', () => {
    assert.deepEqual(matrixValues, Array.from({length: matrixValues.length}, (_, i) => i))
    const score = shardJob.steps.find((s) => s.run?.includes('alignctl eval'))!
    assert.equal(Number(flagValue(score.run!, '--shards')), matrixValues.length)
  })

  test('its matrix jobs, artifacts and merge job merge into the single-machine report', async () => {
    const repo = tempDir('repo')
    const eval_ = shardJob.steps.find((s) => s.run?.includes('alignctl eval'))!.run!
    generatedInput(join(repo, flagValue(eval_, '--input')), 403)
    const at = {workspace: join(tempDir('runner-work'), 'repo'), repo, artifacts: tempDir('artifacts'), env: baseEnv()}
    for (const value of matrixValues) await runJob(shardJob, {[matrixKey]: value}, at)
    assert.equal(readdirSync(at.artifacts).length, matrixValues.length)
    await runJob(mergeJob, {}, at)

    const mergeStep = mergeJob.steps.find((s) => s.run?.includes('alignctl merge'))!.run!
    const merged = resolve(at.workspace, flagValue(mergeStep, '--out'))
    assert.ok(existsSync(join(at.artifacts, 'alignctl-report', 'report.json')))

    const whole = tempDir('one-machine')
    const one = await runProcess(['bash', '-e', '-c', singleMachine(expand(eval_, {[matrixKey]: 0}), whole)], {cwd: at.workspace, env: at.env})
    assert.equal(one.code, 0, one.stderr)
    const report = assertSameAsOneRun(merged, whole)
    assert.equal(report.metrics['honesty']!.rows, 403)
    assert.deepEqual(report.gates.map((g) => g.passed), [true])
  })
})
