import {availableParallelism} from 'node:os'
import {extname} from 'node:path'
import {fileURLToPath} from 'node:url'

import Tinypool from 'tinypool'

import {runtimeError} from '../kernel/errors.js'
import type {WorkerTask} from './protocol.js'

export interface PoolOptions {
  /** Worker processes; each owns its sessions. Default 1. */
  workers?: number
  /** ONNX Runtime intra-op threads per worker. Default: the cores divided among the workers. */
  threads?: number
  /**
   * `child_process` (default) isolates native crashes: a worker that dies is reported and
   * replaced, and the main process lives on. `worker_threads` avoids the copy of inputs and
   * outputs across processes, but a native crash there takes the whole run down.
   */
  runtime?: 'child_process' | 'worker_threads'
  /** The worker module; tests substitute their own. */
  workerFile?: URL
  /** Cores to share out; default `os.availableParallelism()`. */
  cores?: number
}

// Same extension as this module: `.ts` when run from sources (tsx), `.js` when built. Child
// processes inherit tsx through execArgv; worker threads cannot load it on Node 20, so from
// sources they run the built worker (`npm run build`).
const FROM_SOURCES = extname(fileURLToPath(import.meta.url)) === '.ts'
const DEFAULT_WORKER = {
  child_process: new URL(FROM_SOURCES ? './worker.ts' : './worker.js', import.meta.url),
  worker_threads: new URL(FROM_SOURCES ? '../../dist/src/engine/worker.js' : './worker.js', import.meta.url),
}

/** The message tinypool gives when a worker process or thread dies mid-task. */
const WORKER_DIED = 'Worker exited unexpectedly'

/**
 * The engine's worker pool: a thin wrapper over Tinypool that sizes workers and threads to the
 * machine, retries a batch once on a fresh worker when its worker dies, and turns worker
 * failures into errors that name the batch.
 */
export class EnginePool {
  readonly workers: number
  readonly threads: number
  readonly runtime: 'child_process' | 'worker_threads'
  readonly #pool: Tinypool
  /** How many batches were retried after a worker died. */
  #retries = 0

  constructor(options: PoolOptions = {}) {
    const cores = options.cores ?? availableParallelism()
    this.workers = options.workers ?? 1
    this.threads = options.threads ?? Math.max(1, Math.floor(cores / this.workers))
    this.runtime = options.runtime ?? 'child_process'
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new RangeError(`workers must be a positive integer, got ${this.workers}`)
    if (!Number.isInteger(this.threads) || this.threads < 1) throw new RangeError(`threads must be a positive integer, got ${this.threads}`)
    if (this.workers * this.threads > cores) {
      throw new RangeError(`workers (${this.workers}) × threads (${this.threads}) = ${this.workers * this.threads} exceeds the ${cores} cores; lower --workers or --threads`)
    }
    this.#pool = new Tinypool({
      filename: (options.workerFile ?? DEFAULT_WORKER[this.runtime]).href,
      runtime: this.runtime,
      minThreads: 0,
      maxThreads: this.workers,
      // Workers keep their sessions: never recycle an idle one during a run.
      idleTimeout: 60_000,
      serialization: 'advanced',
    })
    // A worker that dies between tasks (the OOM killer, a signal to the process group) is
    // reported by Tinypool as an 'error' event; unheard, it would crash the whole process.
    // Tinypool replaces the worker, and the next task runs on the new one.
    this.#pool.on('error', () => {})
  }

  get retries(): number {
    return this.#retries
  }

  /**
   * Runs one task. `label` names what the task holds (`rows 0-31`) for messages. A worker that
   * dies is replaced and the task tried once more; a second death, or an error thrown by the
   * task itself, fails the run with that label.
   */
  async run<T>(task: WorkerTask, label: string, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.#pool.run(task, signal ? {signal} : {})) as T
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error
        const message = messageOf(error)
        if (message === WORKER_DIED && attempt === 1) {
          this.#retries++
          continue
        }
        if (message === WORKER_DIED) {
          throw runtimeError(`The engine worker died twice while running ${label}; nothing after it was scored.`, {cause: error, suggestions: ['Run again with --workers 1 --batch-size 1 to find the row that crashes it, and report it.']})
        }
        throw runtimeError(`The engine failed on ${label}: ${message}`, {cause: error})
      }
    }
  }

  async destroy(): Promise<void> {
    await this.#pool.destroy()
  }
}

// Errors thrown inside a child process arrive as plain objects with a message.
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  if (error !== null && typeof error === 'object' && 'message' in error) return String((error as {message: unknown}).message)
  return String(error)
}
