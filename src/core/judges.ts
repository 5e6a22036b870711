import type {Judge, JudgeLookup} from '../kernel/interfaces/index.js'
import {PluginRegistry, type HookOutcome} from './plugin-registry.js'
import {ID} from './registry.js'

/** The oclif hook through which installed plugins contribute correctness judges. */
export const JUDGES_HOOK = 'alignctl:judges' as const

/** What a plugin's `alignctl:judges` hook returns. */
export type JudgesHookResult = Judge | readonly Judge[]

export interface RegisteredJudge {
  judge: Judge
  /** The name of the plugin package that contributed it. */
  source: string
}

/**
 * Every correctness judge this process can use. Built-in metrics judge by their own rules;
 * judges come from plugins only, and a metric uses one only when the user names it.
 */
export class JudgeRegistry implements JudgeLookup {
  readonly #registry = new PluginRegistry<Judge>({
    kind: 'judge',
    check: checkJudge,
    unknownHint: "Install a plugin that provides the judge (`alignctl plugins install <package>`), or leave the param out to judge by the metric's own rules.",
  })

  register(judge: Judge, source: string): void {
    this.#registry.register(judge, source)
  }

  has(id: string): boolean {
    return this.#registry.has(id)
  }

  /** The judge with this id; `where` (such as `--param honesty.judge`) prefixes the error for an unknown one. */
  get(id: string, where?: string): Judge {
    return this.#registry.get(id, where).item
  }

  list(): RegisteredJudge[] {
    return this.#registry.list().map(({item, source}) => ({judge: item, source}))
  }

  /** Registers what plugins returned from the `alignctl:judges` hook. */
  registerHookOutcome(outcome: HookOutcome): void {
    this.#registry.registerHookOutcome(outcome)
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
  registry.registerHookOutcome(outcome)
}
