import assert from 'node:assert/strict'
import {test} from 'node:test'

import {runCli} from '../helpers/cli.js'

test('doctor opens a CPU session on its built-in model and explains the providers that fail', async () => {
  const result = await runCli(['doctor', '--json'], {env: {ALIGNCTL_HOME: '/tmp/alignctl-doctor-home'}})
  assert.equal(result.code, 0, result.stderr)
  const report = JSON.parse(result.stdout) as {onnxruntime: string; node: string; cacheDir: string; providers: Array<{provider: string; works: boolean; reason?: string; hint?: string}>}
  assert.equal(report.onnxruntime, '1.30.0')
  assert.equal(report.node, process.version)
  assert.equal(report.cacheDir, '/tmp/alignctl-doctor-home')
  const cpu = report.providers.find((p) => p.provider === 'cpu')
  assert.deepEqual([cpu?.works, cpu?.reason], [true, undefined])
  for (const provider of report.providers.filter((p) => !p.works)) {
    assert.ok(provider.reason && provider.reason.length > 0, `${provider.provider} says why`)
    assert.ok(provider.hint && provider.hint.length > 0, `${provider.provider} says what to do`)
  }
})

test('doctor keeps the native libraries\' own warnings (Vulkan\'s, for one) out of its output and in --json', async () => {
  const result = await runCli(['doctor'], {env: {ALIGNCTL_HOME: '/tmp/alignctl-doctor-home'}})
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '', 'nothing on stderr')
  assert.doesNotMatch(result.stdout, /Couldn't load Vulkan|BackendVk/)
  assert.match(result.stdout, /ok {3}cpu/)
})
