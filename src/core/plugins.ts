import {JUDGES_HOOK, JudgeRegistry} from './judges.js'
import type {HookOutcome} from './plugin-registry.js'
import {MetricRegistry, METRICS_HOOK, registerBuiltinMetrics} from './registry.js'

/** What alignctl needs of an oclif Config: running a hook across the installed plugins. */
export interface HookRunner {
  runHook(event: never, options: never): Promise<unknown>
}

/** The built-in metrics plus the metrics and judges installed plugins register through their hooks. */
export async function loadPlugins(config: HookRunner): Promise<{metrics: MetricRegistry; judges: JudgeRegistry}> {
  const metrics = new MetricRegistry()
  await registerBuiltinMetrics(metrics)
  metrics.registerHookOutcome((await config.runHook(METRICS_HOOK as never, {} as never)) as HookOutcome)
  const judges = new JudgeRegistry()
  judges.registerHookOutcome((await config.runHook(JUDGES_HOOK as never, {} as never)) as HookOutcome)
  return {metrics, judges}
}
