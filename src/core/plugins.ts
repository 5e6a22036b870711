import {JUDGES_HOOK, JudgeRegistry} from './judges.js'
import type {HookRunner} from './hooks.js'
import {MetricRegistry, METRICS_HOOK, registerBuiltinMetrics} from './registry.js'

export type {HookRunner} from './hooks.js'

/** The built-in metrics plus the metrics and judges installed plugins register through their hooks. */
export async function loadPlugins(config: HookRunner): Promise<{metrics: MetricRegistry; judges: JudgeRegistry}> {
  const metrics = new MetricRegistry()
  await registerBuiltinMetrics(metrics)
  metrics.registerHookOutcome(await config.runHook(METRICS_HOOK, {}))
  const judges = new JudgeRegistry()
  judges.registerHookOutcome(await config.runHook(JUDGES_HOOK, {}))
  return {metrics, judges}
}
