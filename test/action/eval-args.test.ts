import assert from 'node:assert/strict'
import {test} from 'node:test'

import {Parser} from '@oclif/core'

import {evalArgs, evalFlags, shellLine} from '../../src/action/eval-args.js'
import {readInputs} from '../../src/action/inputs.js'
import Eval from '../../src/commands/eval.js'

const ENV = {
  INPUT_METRICS: 'honesty, exact-match',
  INPUT_INPUT: 'answers.jsonl',
  INPUT_PARAMS: 'exact-match.normalize=lower',
  INPUT_FAIL_UNDER: 'honesty.honesty=0.7',
  INPUT_FAIL_OVER: 'honesty.overConservativeness=0.2',
  INPUT_CONFIG: 'ci/alignctl.config.yaml',
  INPUT_MODEL: 'alignscore-base',
  INPUT_DEVICE: 'cpu',
  INPUT_ON_ERROR: 'skip',
  INPUT_FORMAT: 'json, md',
  INPUT_WORKERS: '2',
  INPUT_OUT: 'results',
  INPUT_COMMENT: 'false',
}

test('the inputs map to the eval command line, flag by flag', () => {
  const inputs = readInputs(ENV)
  assert.deepEqual(evalArgs(inputs), [
    '--metric', 'honesty', '--metric', 'exact-match',
    '--input', 'answers.jsonl',
    '--config', 'ci/alignctl.config.yaml',
    '--param', 'exact-match.normalize=lower',
    '--fail-under', 'honesty.honesty=0.7',
    '--fail-over', 'honesty.overConservativeness=0.2',
    '--out', 'results',
    '--format', 'json', '--format', 'md',
    '--on-error', 'skip',
    '--model', 'alignscore-base',
    '--device', 'cpu',
    '--workers', '2',
  ])
  // Inputs left empty give no flag: the CLI's defaults (or the config file's) apply.
  assert.deepEqual(evalArgs(readInputs({})), ['--out', 'alignctl-out'])
})

test("the command line, parsed by eval's own flag definitions, gives the flags the action runs with", async () => {
  for (const env of [ENV, {}, {INPUT_METRICS: 'honesty', INPUT_ON_ERROR: 'fail', INPUT_WORKERS: '1'}]) {
    const inputs = readInputs(env)
    const {flags} = await Parser.parse(evalArgs(inputs), {flags: Eval.flags, strict: true})
    assert.deepEqual(flags, evalFlags(inputs))
  }
})

test('the logged command line reads back as the same words in a shell', () => {
  assert.equal(shellLine(['--metric', 'honesty', '--input', 'my answers.jsonl', '--param', "q=it's"]), `--metric honesty --input 'my answers.jsonl' --param 'q=it'\\''s'`)
})

test('on-error, format and workers are checked, naming the input', () => {
  assert.throws(() => readInputs({INPUT_ON_ERROR: 'ignore'}), /input "on-error": "ignore" is not fail or skip/)
  assert.throws(() => readInputs({INPUT_FORMAT: 'json,pdf'}), /input "format": "pdf" is not a report format/)
  assert.throws(() => readInputs({INPUT_WORKERS: '0'}), /input "workers": "0" is not a whole number ≥ 1/)
  assert.throws(() => readInputs({INPUT_WORKERS: '1.5'}), /input "workers": "1.5"/)
  assert.deepEqual(readInputs({INPUT_PLUGINS: 'alignctl-plugin-a, @acme/alignctl-b@1.2.0\n./plugins/mine'}).plugins, ['alignctl-plugin-a', '@acme/alignctl-b@1.2.0', './plugins/mine'])
})
