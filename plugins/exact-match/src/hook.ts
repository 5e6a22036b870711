import type {MetricsHook} from 'alignctl'

import {exactMatch} from './metric.js'

/**
 * alignctl calls the `alignctl:metrics` hook of every installed plugin (see package.json,
 * "oclif.hooks") and registers the metrics it returns. `MetricsHook` types it as oclif does.
 */
const registerMetrics: MetricsHook = async () => [exactMatch]

export default registerMetrics
