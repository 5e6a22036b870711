/**
 * Runs inside a pool worker (a child process by default). Owns its ONNX Runtime sessions for
 * its whole life: one per distinct model/providers/threads, created on first use.
 */
import {performance} from 'node:perf_hooks'

import ort from 'onnxruntime-node'

import type {ProbeOutcome, ProbeResult, RunResult, SessionSpec, TensorPayload, WorkerTask} from './protocol.js'
import type {ProviderChoice, ProviderName} from './providers.js'

interface OpenSession {
  session: ort.InferenceSession
  choice: ProviderChoice
}

// Provider load failures are reported by us, with a fix; ORT's own log lines would repeat them.
ort.env.logLevel = 'fatal'

// Compile once: sessions are expensive (graph optimisation), runs are cheap.
const sessions = new Map<string, Promise<OpenSession>>()

/** No provider could create the session; carries each provider's reason. */
class NoProviderError extends Error {
  constructor(
    readonly model: string,
    readonly fallbacks: ProviderChoice['fallbacks'],
  ) {
    super(`No execution provider could load ${model} (${fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ')})`)
  }
}

export default async function handle(task: WorkerTask): Promise<RunResult | ProbeOutcome> {
  if ('probe' in task) {
    try {
      return describe(await openSession(task.session))
    } catch (error) {
      // Structured, because only an error's message survives the trip back to the pool.
      if (error instanceof NoProviderError) return {loadFailure: {model: error.model, fallbacks: error.fallbacks}}
      throw error
    }
  }
  const open = await openSession(task.session)
  const feeds: Record<string, ort.Tensor> = {}
  for (const [name, payload] of Object.entries(task.feeds)) feeds[name] = new ort.Tensor(payload.type, payload.data, payload.dims)
  const started = performance.now()
  const results = task.fetches.length > 0 ? await open.session.run(feeds, task.fetches) : await open.session.run(feeds)
  const seconds = (performance.now() - started) / 1000
  const outputs: Record<string, TensorPayload> = {}
  for (const [name, tensor] of Object.entries(results)) {
    outputs[name] = {type: tensor.type as TensorPayload['type'], dims: [...tensor.dims], data: tensor.data as TensorPayload['data']}
    tensor.dispose?.()
  }
  return {outputs, choice: open.choice, seconds}
}

function openSession(spec: SessionSpec): Promise<OpenSession> {
  const key = JSON.stringify(spec)
  let open = sessions.get(key)
  if (open === undefined) {
    open = createSession(spec)
    sessions.set(key, open)
    // A failed creation is not cached: the next task may try again (and report again).
    open.catch(() => sessions.delete(key))
  }
  return open
}

async function createSession(spec: SessionSpec): Promise<OpenSession> {
  const fallbacks: ProviderChoice['fallbacks'] = []
  for (const provider of spec.providers) {
    try {
      const session = await ort.InferenceSession.create(spec.model, {
        executionProviders: [provider],
        intraOpNumThreads: spec.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 4,
      })
      return {session, choice: {provider, fallbacks}}
    } catch (error) {
      fallbacks.push({provider, reason: firstLine((error as Error).message)})
    }
  }
  throw new NoProviderError(spec.model, fallbacks)
}

function describe(open: OpenSession): ProbeResult {
  const meta = (names: readonly string[], metadata: readonly ort.InferenceSession.ValueMetadata[]) =>
    names.map((name, i) => {
      const m = metadata[i]
      return m !== undefined && m.isTensor ? {name, type: m.type, dims: [...m.shape]} : {name, type: 'unknown', dims: []}
    })
  return {choice: open.choice, inputs: meta(open.session.inputNames, open.session.inputMetadata), outputs: meta(open.session.outputNames, open.session.outputMetadata)}
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim()
}

export type {ProviderName}
