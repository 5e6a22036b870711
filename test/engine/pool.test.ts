import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {EnginePool} from '../../src/engine/pool.js'
import {probeSession, ProviderLoadError} from '../../src/engine/probe.js'
import type {ProbeOutcome, ProbeResult, RunResult, WorkerTask} from '../../src/engine/protocol.js'
import {FIXTURES, tempDir} from '../helpers/cli.js'

const crashWorker = new URL('./workers/crash-once.mjs', import.meta.url)
const model = join(FIXTURES, 'models/masked-sum.onnx')
const pools: EnginePool[] = []
const pool = (options: ConstructorParameters<typeof EnginePool>[0]) => {
  const p = new EnginePool({cores: 4, ...options})
  pools.push(p)
  return p
}
after(() => Promise.all(pools.map((p) => p.destroy())))

// Test workers take their own task shape; the pool passes tasks through untouched.
const task = (value: Record<string, unknown>) => value as unknown as WorkerTask

test('workers × threads never exceed the cores', () => {
  assert.throws(() => new EnginePool({cores: 2, workers: 2, threads: 2}), /workers \(2\) × threads \(2\) = 4 exceeds the 2 cores/)
  const shared = new EnginePool({cores: 8, workers: 3})
  assert.equal(shared.threads, 2)
  void shared.destroy()
})

test('a batch whose worker dies is retried once on a fresh worker', async () => {
  const p = pool({workerFile: crashWorker})
  const marker = join(tempDir(), 'crashed')
  const result = await p.run<{echo: number}>(task({crash: 'once', marker, value: 7}), 'rows 0-31')
  assert.deepEqual(result, {echo: 7})
  assert.equal(p.retries, 1)
  // The pool still works afterwards.
  assert.deepEqual(await p.run(task({value: 8}), 'rows 32-63'), {echo: 8})
})

test('a worker that dies twice fails the run cleanly, naming the batch', async () => {
  const p = pool({workerFile: crashWorker})
  await assert.rejects(p.run(task({crash: 'always'}), 'rows 64-95'), (e: AlignctlError) => e.exitCode === ExitCode.runtime && /worker died twice while running rows 64-95/.test(e.message))
  await assert.rejects(p.run(task({fail: 'tokenizer missing'}), 'rows 96-127'), /The engine failed on rows 96-127: tokenizer missing/)
})

test('the real worker runs an ONNX model and keeps results per request', async () => {
  const p = pool({workers: 1, threads: 1})
  const session = {model, providers: ['cpu' as const], threads: 1}
  const probe = await p.run<ProbeResult>({probe: true, session}, 'probe')
  assert.deepEqual(probe.choice, {provider: 'cpu', fallbacks: []})
  assert.deepEqual(probe.inputs.map((i) => i.name), ['input_ids', 'attention_mask'])
  const result = await p.run<RunResult>(
    {
      session,
      feeds: {
        input_ids: {type: 'int64', dims: [2, 3], data: new BigInt64Array([1n, 2n, 3n, 4n, 5n, 0n])},
        attention_mask: {type: 'int64', dims: [2, 3], data: new BigInt64Array([1n, 1n, 1n, 1n, 1n, 0n])},
      },
      fetches: ['masked_sum'],
    },
    'rows 0-1',
  )
  assert.deepEqual([...(result.outputs['masked_sum']!.data as Float32Array)], [6, 9])
  assert.deepEqual(result.outputs['masked_sum']!.dims, [2, 1])
})

test('auto falls back from CUDA to CPU and says why', async () => {
  const p = pool({workers: 1, threads: 1})
  const probe = await p.run<ProbeResult>({probe: true, session: {model, providers: ['cuda', 'cpu'], threads: 1}}, 'probe')
  assert.equal(probe.choice.provider, 'cpu')
  assert.equal(probe.choice.fallbacks[0]?.provider, 'cuda')
  assert.ok(probe.choice.fallbacks[0]!.reason.length > 0)
  // A provider that cannot load comes back as data, each provider with its reason.
  const failed = await p.run<ProbeOutcome>({probe: true, session: {model, providers: ['cuda'], threads: 1}}, 'probe')
  assert.ok('loadFailure' in failed)
  assert.deepEqual(failed.loadFailure.fallbacks.map((f) => f.provider), ['cuda'])
  await assert.rejects(probeSession(p, {model, providers: ['cuda'], threads: 1}, 'probe'), (e: unknown) => e instanceof ProviderLoadError && /No execution provider could load .*masked-sum\.onnx \(cuda: /.test(e.message) && e.fallbacks[0]!.reason.length > 0)
})

test('worker_threads run the same worker, for callers that prefer no process boundary', async () => {
  const p = pool({workers: 1, threads: 1, runtime: 'worker_threads'})
  const probe = await p.run<ProbeResult>({probe: true, session: {model, providers: ['cpu'], threads: 1}}, 'probe')
  assert.equal(probe.choice.provider, 'cpu')
})

test('a worker killed while idle does not crash the process; the next task runs on a new worker', async () => {
  const p = pool({workers: 1, threads: 1, workerFile: crashWorker})
  assert.deepEqual(await p.run(task({value: 1}), 'first'), {echo: 1})
  // Find the idle worker process (a child of this one running tinypool's entry) and kill it.
  const {readdirSync, readFileSync} = await import('node:fs')
  const children = readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(process.pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('tinypool')
    } catch {
      return false
    }
  })
  assert.ok(children.length > 0, 'a worker process exists')
  for (const pid of children) process.kill(Number(pid), 'SIGKILL')
  await new Promise((r) => setTimeout(r, 500))
  assert.deepEqual(await p.run(task({value: 2}), 'second'), {echo: 2})
})
