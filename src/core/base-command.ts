import {Command, Errors} from '@oclif/core'
import chalk from 'chalk'

import {ExitCode, isAlignctlError} from './errors.js'
import type {Logger} from './interfaces/index.js'
import {JudgeRegistry, JUDGES_HOOK, registerPluginJudges} from './judges.js'
import {MetricRegistry, METRICS_HOOK, registerBuiltinMetrics, registerPluginMetrics, type HookOutcome} from './registry.js'

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
    const registry = new MetricRegistry()
    await registerBuiltinMetrics(registry)
    registerPluginMetrics(registry, (await this.config.runHook(METRICS_HOOK as never, {} as never)) as unknown as HookOutcome)
    return registry
  }

  /** The correctness judges that installed plugins register through the `alignctl:judges` hook. */
  protected async loadJudges(): Promise<JudgeRegistry> {
    const judges = new JudgeRegistry()
    registerPluginJudges(judges, (await this.config.runHook(JUDGES_HOOK as never, {} as never)) as unknown as HookOutcome)
    return judges
  }
}

/** An oclif error that exits with `exit` both in plain mode and under `--json`. */
function cliError(message: string, exit: number, suggestions: string[]): Errors.CLIError {
  return Object.assign(new Errors.CLIError(message, {exit, suggestions}), {exitCode: exit})
}
