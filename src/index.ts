/**
 * alignctl's public API for metric plugin authors and for programs that embed alignctl.
 */
export type * from './kernel/interfaces/index.js'
export {AlignctlError, ExitCode, usageError, inputError, runtimeError} from './kernel/errors.js'
export {METRICS_HOOK, MetricRegistry, checkMetric, type MetricsHookResult} from './core/registry.js'
export {JUDGES_HOOK, JudgeRegistry, checkJudge, type JudgesHookResult} from './core/judges.js'
export {evaluate, type EvalRequest, type EvalResult} from './core/evaluate.js'
export type {AlignctlHooks, JudgesHook, MetricsHook} from './core/hooks.js'
export type {Report, MetricReport, ScoreLine} from './report/report.js'
export {reportSchema} from './report/validate.js'
export {ChatClient, ChatError, isChatError, type ChatAnswer, type ChatClientOptions, type ChatErrorCode, type ChatMessage, type ChatRequest, type ChatUsage} from './engine/llm/index.js'

import type {InputRow, Metric} from './kernel/interfaces/index.js'

/** Identity function that gives a metric literal its types (and checks them). */
export function defineMetric<
  Row extends InputRow,
  Params extends Record<string, unknown>,
  Result,
  Summary extends Record<string, unknown>,
>(metric: Metric<Row, Params, Result, Summary>): Metric<Row, Params, Result, Summary> {
  return metric
}
