import {existsSync} from 'node:fs'

import {runtimeError} from '../kernel/errors.js'
import type {Logger} from '../kernel/interfaces/index.js'
import {ResultCache, resultCacheFile, type CacheStats} from './result-cache.js'

/** `alignctl cache stats`: what the result cache holds, per metric (or for one); empty when there is no cache yet. */
export function resultCacheStats(options: {metric?: string; logger: Logger; file?: string}): CacheStats {
  const file = options.file ?? resultCacheFile()
  if (!existsSync(file)) return {file, fileBytes: 0, entries: 0, metrics: []}
  const cache = openOrFail(file, options.logger)
  try {
    return cache.stats(options.metric)
  } finally {
    cache.close()
  }
}

/** `alignctl cache clear`: removes every entry (or one metric's); returns how many. */
export function clearResultCache(options: {metric?: string; logger: Logger; file?: string}): {file: string; removed: number} {
  const file = options.file ?? resultCacheFile()
  if (!existsSync(file)) return {file, removed: 0}
  const cache = openOrFail(file, options.logger)
  try {
    return {file, removed: cache.clear(options.metric)}
  } finally {
    cache.close()
  }
}

/** The stats as lines for a terminal. */
export function describeCacheStats(stats: CacheStats): string[] {
  const lines = [`Result cache: ${stats.file} (${megabytes(stats.fileBytes)})`]
  if (stats.metrics.length === 0) return [...lines, 'No results are cached.']
  const width = Math.max(6, ...stats.metrics.map((m) => m.metric.length))
  lines.push(['metric'.padEnd(width), 'rows'.padStart(10), 'size'.padStart(10), '  newest'].join('  '))
  for (const m of stats.metrics) lines.push([m.metric.padEnd(width), String(m.entries).padStart(10), megabytes(m.bytes).padStart(10), `  ${m.newest}`].join('  '))
  if (stats.metrics.length > 1) lines.push(`${stats.entries} rows in all.`)
  return lines
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e5 ? 3 : 1)} MB`
}

function openOrFail(file: string, logger: Logger): ResultCache {
  const cache = ResultCache.open(file, logger)
  if (cache === undefined) throw runtimeError(`The result cache ${file} could not be opened (see the warning above).`, {suggestions: ['Check that the folder is writable; delete the file to start a new cache.']})
  return cache
}
