export type {JsonSchema} from './json-schema.js'
export type {Logger} from './logger.js'
export type {
  AnyMetric,
  CacheScope,
  InputRow,
  Metric,
  MetricContext,
  MetricInput,
  MetricNote,
  ModelRequirement,
  RowOutcome,
  ScoredRow,
  SummarizeContext,
} from './metric.js'
export type {Judge, JudgeContext, JudgeItem, JudgeLookup, JudgeVerdict} from './judge.js'
export type {LoadedModel, MetricEngine, ModelInfo, RequestOutputs, RunOptions, TextRequest, Truncation} from './engine.js'
export type {StatDeclaration, StatDirection, StatKind} from './stats.js'
export type {BarChartSpec, ChartSpec, FieldMark, HeatmapSpec, HtmlKit, LineChartSpec, RowField, RowLabel, HtmlSection, MarkdownKit, MetricViewInput, MetricViews, RowSpans} from './view.js'
