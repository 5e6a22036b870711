import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {readActionFile, runComposite} from '../helpers/composite.js'
import {FIXTURES, ROOT, tempDir} from '../helpers/cli.js'

// action.yml's own steps, run through bash as the runner would (see runComposite); the
// package is built already, so the install step's `npm ci` is skipped by its guard.

test('the composite action installs the CLI, links a plugin, and scores with on-error, format and workers passed through', () => {
  const workspace = tempDir('workspace')
  const rows = readFileSync(join(FIXTURES, 'exact-match/qa.jsonl'), 'utf8')
  writeFileSync(join(workspace, 'qa.jsonl'), `${rows.trimEnd()}\n{"id":"bad","prediction":42}\n`)
  const dataHome = tempDir('xdg-data')
  const run = runComposite(
    workspace,
    {
      plugins: join(ROOT, 'plugins/exact-match'),
      metrics: 'exact-match',
      input: 'qa.jsonl',
      'fail-under': 'exact-match.exactMatch=0.5',
      'on-error': 'skip',
      format: 'json,md',
      workers: '1',
      comment: 'false',
    },
    {XDG_DATA_HOME: dataHome, XDG_CACHE_HOME: tempDir('xdg-cache'), XDG_CONFIG_HOME: tempDir('xdg-config')},
  )
  assert.equal(run.code, 0, run.log)
  assert.deepEqual(run.steps.map((s) => s.code), ['skipped', 0, 'skipped', 0, 0, 0], run.log)
  assert.match(run.log, new RegExp(`alignctl plugins link ${join(ROOT, 'plugins/exact-match')} --no-install`))
  assert.match(run.log, /alignctl eval --metric exact-match --input qa\.jsonl --fail-under exact-match\.exactMatch=0\.5 --out alignctl-out --format json --format md --on-error skip --workers 1/)

  const out = join(workspace, 'alignctl-out')
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))
  assert.equal(report.metrics['exact-match'].skipped, 1)
  assert.equal(report.metrics['exact-match'].errors[0].line, 7)
  assert.ok(existsSync(join(out, 'summary.md')))
  assert.ok(!existsSync(join(out, 'report.html')), 'format json,md writes no report.html')

  assert.equal(run.outputs['passed'], 'true')
  assert.equal(run.outputs['report'], join(out, 'report.json'))
  assert.equal(run.outputs['html'], '')
  assert.equal(run.outputs['summary'], join(out, 'summary.md'))
  const stats = JSON.parse(run.outputs['stats']!)
  assert.equal(stats['exact-match_exactMatch'], report.metrics['exact-match'].summary.exactMatch)
  assert.equal(stats['exact-match_n'], 6)

  // Later steps of the job find the installed CLI on PATH, with the plugin.
  const later = spawnSync('bash', ['-c', 'command -v alignctl && alignctl metrics list'], {cwd: workspace, env: {...run.env, PATH: run.path}, encoding: 'utf8'})
  assert.equal(later.status, 0, later.stderr)
  assert.match(later.stdout, /alignctl-bin\/alignctl\n/)
  assert.match(later.stdout, /exact-match/)
})

test('the npm cache key names the OS, the Node major and the lock file; without plugins that step does not run', () => {
  const workspace = tempDir('workspace')
  const run = runComposite(workspace, {metrics: 'honesty', input: join(FIXTURES, 'honesty/handmade.jsonl'), workers: 'many', comment: 'false'}, {XDG_DATA_HOME: tempDir('xdg-data')})
  assert.equal(run.code, 2, run.log)
  assert.deepEqual(run.steps.map((s) => s.step), ['actions/setup-node@v4', 'npm-cache', 'actions/cache@v4', 'Install alignctl', 'Score'])
  assert.match(run.log, /::error::alignctl: input "workers": "many" is not a whole number ≥ 1/)
  const lock = createHash('sha256').update(readFileSync(join(ROOT, 'package-lock.json'))).digest('hex')
  assert.equal(run.stepOutputs['npm-cache']?.['key'], `alignctl-npm-Linux-${process.version.split('.')[0]}-${lock}`)
  assert.ok(existsSync(run.stepOutputs['npm-cache']!['dir']!), 'the npm cache folder')
  const cacheStep = readActionFile().runs.steps[2]!
  assert.equal(cacheStep.uses, 'actions/cache@v4')
  assert.match(String((cacheStep as {with?: Record<string, string>}).with?.['key']), /steps\.npm-cache\.outputs\.key/)
})

test('every input action.yml declares reaches the scoring step (or the plugin step)', () => {
  const action = readActionFile()
  const env = {...action.runs.steps.find((s) => s.id === 'score')!.env, ...action.runs.steps.find((s) => s.name === 'Add plugins')!.env}
  const passed = Object.entries(env).map(([key, value]) => [key, value])
  for (const name of Object.keys(action.inputs).filter((n) => n !== 'node-version')) {
    const key = `INPUT_${name.toUpperCase().replaceAll('-', '_')}`
    assert.ok(passed.some(([k, v]) => k === key && v === `\${{ inputs.${name} }}`), `${key} is not set from inputs.${name}`)
  }
})
