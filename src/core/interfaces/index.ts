export type {JsonSchema} from './json-schema.js'
export type {Logger} from './logger.js'
export type {
  AnyMetric,
  InputRow,
  Metric,
  MetricContext,
  MetricInput,
  ModelRequirement,
  RowOutcome,
  ScoredRow,
  SummarizeContext,
} from './metric.js'
