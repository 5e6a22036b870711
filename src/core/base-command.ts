import {Command, Errors} from '@oclif/core'
import chalk from 'chalk'

import {ExitCode, isAlignctlError, runtimeError} from '../kernel/errors.js'
import type {EvalServices} from './evaluate.js'
import {createProgress, createStepProgress, progressWanted} from './progress.js'
import {ensurePack} from '../models/store.js'
import type {Logger} from '../kernel/interfaces/index.js'
import type {JudgeRegistry} from './judges.js'
import {loadPlugins} from './plugins.js'
import type {MetricRegistry} from './registry.js'

/**
 * What every alignctl command shares: one place that turns service errors into oclif
 * errors with the right exit code, a logger on stderr, and the metric and judge registries.
 */
export abstract class AlignctlCommand extends Command {
  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (isAlignctlError(error)) return super.catch(cliError(error.message, error.exitCode, error.suggestions ?? []))
    const oclif = (error as {oclif?: {exit?: number}}).oclif
    // Not an oclif error either: a bug, reported as a runtime failure (exit 3).
    if (oclif === undefined) return super.catch(cliError(`Unexpected failure: ${error.message}`, ExitCode.runtime, ['Run again with DEBUG=* for details, and report it.']))
    // oclif's own parse errors (unknown flag, missing argument) are usage errors: exit 2.
    return super.catch(Object.assign(error, {exitCode: oclif.exit ?? ExitCode.usage}))
  }

  /**
   * An abort signal that Ctrl-C fires with a clear error (exit 3) instead of killing the process,
   * so work in progress is cleaned up or kept; `what` says what was interrupted.
   */
  protected interruptSignal(what: string, suggestion: string): AbortSignal {
    const controller = new AbortController()
    process.once('SIGINT', () => controller.abort(runtimeError(`Interrupted (Ctrl-C): ${what}`, {suggestions: [suggestion]})))
    return controller.signal
  }

  /**
   * What `eval` and `merge` (and anything else that evaluates) run with: the registries, a
   * logger, progress on a TTY, the abort signal, and packs fetched on first use with progress.
   */
  protected async evalServices(json: boolean, signal: AbortSignal, options: {verbose?: boolean} = {}): Promise<EvalServices> {
    return {
      verbose: options.verbose ?? false,
      registry: await this.loadRegistry(),
      judges: await this.loadJudges(),
      logger: this.logger(json),
      progress: createProgress({enabled: progressWanted(json)}),
      signal,
      tool: {name: this.config.name, version: this.config.version},
      resolvePack: async (ref) => {
        const progress = createStepProgress({json})
        try {
          return await ensurePack(ref, {converter: `${this.config.name} ${this.config.version}`, onProgress: progress.update, onWarning: (message) => this.logger(false).warn(`${ref}: ${message}`), signal})
        } finally {
          progress.done()
        }
      },
    }
  }

  protected logger(quiet: boolean): Logger {
    return {
      info: (message) => {
        if (!quiet) process.stderr.write(`${message}\n`)
      },
      warn: (message) => process.stderr.write(`${chalk.yellow('Warning:')} ${message}\n`),
      debug: (message) => this.debug(message),
    }
  }

  /** Built-in metrics plus those that installed plugins register through the hook. */
  protected async loadRegistry(): Promise<MetricRegistry> {
    return (await this.#plugins()).metrics
  }

  /** The correctness judges that installed plugins register through the `alignctl:judges` hook. */
  protected async loadJudges(): Promise<JudgeRegistry> {
    return (await this.#plugins()).judges
  }

  #loaded: ReturnType<typeof loadPlugins> | undefined

  // Once per command: both registries come from one pass over the plugins.
  #plugins(): ReturnType<typeof loadPlugins> {
    this.#loaded ??= loadPlugins(this.config)
    return this.#loaded
  }
}

/** An oclif error that exits with `exit` both in plain mode and under `--json`. */
function cliError(message: string, exit: number, suggestions: string[]): Errors.CLIError {
  return Object.assign(new Errors.CLIError(message, {exit, suggestions}), {exitCode: exit})
}
