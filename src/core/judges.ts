import {runtimeError, usageError} from './errors.js'
import type {Judge, JudgeLookup} from './interfaces/index.js'
import type {HookOutcome} from './registry.js'

/** The oclif hook through which installed plugins contribute correctness judges. */
export const JUDGES_HOOK = 'alignctl:judges'

/** What a plugin's `alignctl:judges` hook returns. */
export type JudgesHookResult = Judge | readonly Judge[]

export interface RegisteredJudge {
  judge: Judge
  /** The name of the plugin package that contributed it. */
  source: string
}

const ID = /^[a-z][a-z0-9-]*$/

/**
 * Every correctness judge this process can use. Built-in metrics judge by their own rules;
 * judges come from plugins only, and a metric uses one only when the user names it.
 */
export class JudgeRegistry implements JudgeLookup {
  readonly #judges = new Map<string, RegisteredJudge>()

  register(judge: Judge, source: string): void {
    const problems = checkJudge(judge)
    const label = typeof judge?.id === 'string' ? `judge "${judge.id}"` : 'a judge'
    if (problems.length > 0) {
      throw runtimeError(`${label} from ${source} is not a valid judge: ${problems.join('; ')}.`, undefined, `Fix the plugin, or remove it with \`alignctl plugins uninstall ${source}\`.`)
    }
    const existing = this.#judges.get(judge.id)
    if (existing !== undefined) {
      throw runtimeError(`${label} is defined twice: by ${existing.source} and by ${source}.`, undefined, 'Uninstall one of the two plugins.')
    }
    this.#judges.set(judge.id, {judge, source})
  }

  has(id: string): boolean {
    return this.#judges.has(id)
  }

  /** The judge with this id; `where` (such as `--param honesty.judge`) prefixes the error for an unknown one. */
  get(id: string, where?: string): Judge {
    const found = this.#judges.get(id)
    if (found === undefined) {
      const known = [...this.#judges.keys()].sort()
      throw usageError(
        `${where === undefined ? '' : `${where}: `}Unknown judge "${id}". Known judges: ${known.length > 0 ? known.join(', ') : 'none'}.`,
        'Install a plugin that provides the judge (`alignctl plugins install <package>`), or leave the param out to judge by the metric\'s own rules.',
      )
    }
    return found.judge
  }

  list(): RegisteredJudge[] {
    return [...this.#judges.values()].sort((a, b) => a.judge.id.localeCompare(b.judge.id))
  }
}

/** Everything wrong with a judge object, as short phrases. */
export function checkJudge(judge: Judge): string[] {
  if (judge === null || typeof judge !== 'object') return ['it is not an object']
  const problems: string[] = []
  if (typeof judge.id !== 'string' || !ID.test(judge.id)) problems.push('"id" must be lower-case letters, digits and dashes')
  if (typeof judge.version !== 'string' || judge.version === '') problems.push('"version" must be a non-empty string')
  if (typeof judge.description !== 'string') problems.push('"description" must be a string')
  if (typeof judge.judge !== 'function') problems.push('"judge" must be a function')
  return problems
}

/** Registers what plugins returned from the `alignctl:judges` hook. */
export function registerPluginJudges(registry: JudgeRegistry, outcome: HookOutcome): void {
  for (const failure of outcome.failures) {
    throw runtimeError(
      `Plugin ${failure.plugin.name} failed to register its judges: ${failure.error.message}`,
      failure.error,
      `Reinstall it, or remove it with \`alignctl plugins uninstall ${failure.plugin.name}\`.`,
    )
  }
  for (const {plugin, result} of outcome.successes) {
    // A plugin that declares the hook but contributes nothing returns undefined.
    if (result === undefined) continue
    const judges = (Array.isArray(result) ? result : [result]) as Judge[]
    for (const judge of judges) registry.register(judge, plugin.name)
  }
}
