import type {Hook} from '@oclif/core'
import type {Hooks} from '@oclif/core/interfaces'

import type {JudgesHookResult} from './judges.js'
import type {MetricsHookResult} from './registry.js'

/**
 * The oclif hooks alignctl runs across installed plugins, typed as oclif's `Hooks` map is:
 * a plugin lists its hook file under `oclif.hooks` in package.json and types it with
 * {@link MetricsHook} or {@link JudgesHook}.
 */
export interface AlignctlHooks extends Hooks {
  'alignctl:metrics': {options: Record<string, never>; return: MetricsHookResult | undefined}
  'alignctl:judges': {options: Record<string, never>; return: JudgesHookResult | undefined}
}

/** A plugin's `alignctl:metrics` hook: returns the metric (or metrics) it contributes. */
export type MetricsHook = Hook<'alignctl:metrics', AlignctlHooks>

/** A plugin's `alignctl:judges` hook: returns the correctness judge (or judges) it contributes. */
export type JudgesHook = Hook<'alignctl:judges', AlignctlHooks>

/** What alignctl needs of an oclif Config: running its hooks across the installed plugins. */
export interface HookRunner {
  runHook<T extends keyof AlignctlHooks>(event: T, options: AlignctlHooks[T]['options']): Promise<Hook.Result<AlignctlHooks[T]['return']>>
}
