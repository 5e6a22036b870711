import {exactMatch} from './metric.js'

/**
 * alignctl calls the `alignctl:metrics` hook of every installed plugin (see package.json,
 * "oclif.hooks") and registers the metrics it returns.
 */
export default async function registerMetrics() {
  return [exactMatch]
}
