import {runtimeError, usageError} from '../kernel/errors.js'

/** Something a registry holds, and who contributed it (`built-in` or a plugin package). */
export interface Registered<T> {
  item: T
  source: string
}

/** A hook outcome as oclif's `config.runHook` reports it. */
export interface HookOutcome {
  successes: Array<{plugin: {name: string}; result: unknown}>
  failures: Array<{plugin: {name: string}; error: Error}>
}

export interface PluginRegistryOptions<T> {
  /** What the registry holds, in messages: `metric`, `judge`. */
  kind: string
  /** Everything wrong with an item, as short phrases; empty when it is valid. */
  check: (item: T) => string[]
  /** The fix suggested when an id is unknown. */
  unknownHint: string
}

/**
 * Items with an id, registered once each from built-ins or plugins: every item is checked
 * before it is accepted, an id given twice names both sources, and an unknown id lists the
 * known ones. Metrics and judges are both kept this way.
 */
export class PluginRegistry<T extends {id: string}> {
  readonly #items = new Map<string, Registered<T>>()
  readonly #options: PluginRegistryOptions<T>

  constructor(options: PluginRegistryOptions<T>) {
    this.#options = options
  }

  register(item: T, source: string): void {
    const {kind, check} = this.#options
    const problems = check(item)
    const label = typeof item?.id === 'string' ? `${kind} "${item.id}"` : `a ${kind}`
    if (problems.length > 0) {
      throw runtimeError(`${label} from ${source} is not a valid ${kind}: ${problems.join('; ')}.`, {suggestions: [`Fix the plugin, or remove it with \`alignctl plugins uninstall ${source}\`.`]})
    }
    const existing = this.#items.get(item.id)
    if (existing !== undefined) {
      throw runtimeError(`${label} is defined twice: by ${existing.source} and by ${source}.`, {suggestions: ['Uninstall one of the two plugins.']})
    }
    this.#items.set(item.id, {item, source})
  }

  has(id: string): boolean {
    return this.#items.has(id)
  }

  /** The item with this id; `where` (such as `--param honesty.judge`) prefixes the error for an unknown one. */
  get(id: string, where?: string): Registered<T> {
    const found = this.#items.get(id)
    if (found === undefined) {
      const known = [...this.#items.keys()].sort()
      const {kind, unknownHint} = this.#options
      throw usageError(`${where === undefined ? '' : `${where}: `}Unknown ${kind} "${id}". Known ${kind}s: ${known.length > 0 ? known.join(', ') : 'none'}.`, unknownHint)
    }
    return found
  }

  list(): Array<Registered<T>> {
    return [...this.#items.values()].sort((a, b) => a.item.id.localeCompare(b.item.id))
  }

  /** Registers what plugins returned from a hook: one item, a list, or nothing. */
  registerHookOutcome(outcome: HookOutcome): void {
    for (const failure of outcome.failures) {
      throw runtimeError(`Plugin ${failure.plugin.name} failed to register its ${this.#options.kind}s: ${failure.error.message}`, {cause: failure.error, suggestions: [`Reinstall it, or remove it with \`alignctl plugins uninstall ${failure.plugin.name}\`.`]})
    }
    for (const {plugin, result} of outcome.successes) {
      // A plugin that declares the hook but contributes nothing returns undefined.
      if (result === undefined) continue
      for (const item of (Array.isArray(result) ? result : [result]) as T[]) this.register(item, plugin.name)
    }
  }
}
