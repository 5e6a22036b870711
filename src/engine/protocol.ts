/**
 * Messages between the engine pool and its workers. Imported by both sides; keep it free of
 * anything that loads native code.
 */
import type {ProviderChoice, ProviderName} from './providers.js'

export type TensorType = 'int64' | 'int32' | 'float32' | 'float16' | 'bool'

/** A tensor crossing the worker boundary (structured-cloned; typed arrays survive intact). */
export interface TensorPayload {
  type: TensorType
  dims: number[]
  data: BigInt64Array | Int32Array | Float32Array | Uint16Array | Uint8Array
}

/** Which ONNX model to run and how; a worker keeps one session per distinct spec. */
export interface SessionSpec {
  /** Absolute path of the model.onnx file. */
  model: string
  /** Providers to try in order; the first that creates a session wins. */
  providers: ProviderName[]
  /** ONNX Runtime intra-op threads for this session. */
  threads: number
}

export interface RunTask {
  session: SessionSpec
  feeds: Record<string, TensorPayload>
  /** Output names to return; all outputs when empty. */
  fetches: string[]
}

export interface RunResult {
  outputs: Record<string, TensorPayload>
  choice: ProviderChoice
  /** Seconds ONNX Runtime spent in `run`, measured in the worker. */
  seconds: number
}

/** Asks a worker to create (or reuse) a session and describe it. */
export interface ProbeTask {
  probe: true
  session: SessionSpec
}

export interface ProbeResult {
  choice: ProviderChoice
  inputs: Array<{name: string; type: string; dims: Array<number | string>}>
  outputs: Array<{name: string; type: string; dims: Array<number | string>}>
}

/** A probe whose session no provider could create: the reasons, as data rather than a message to parse. */
export interface ProbeFailure {
  loadFailure: {model: string; fallbacks: ProviderChoice['fallbacks']}
}

export type ProbeOutcome = ProbeResult | ProbeFailure

export type WorkerTask = RunTask | ProbeTask
