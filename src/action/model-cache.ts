import type {AnyMetric} from '../kernel/interfaces/index.js'
import {cacheDir} from '../models/cache.js'
import {KNOWN_MODELS} from '../models/known.js'

/**
 * Where model packs are cached and the actions/cache key for them: one key per set of
 * models and their upstream revisions, so a new revision downloads afresh. The workflow
 * restores the path with this key before the step (docs/github-action.md).
 */
export function modelCache(env: NodeJS.ProcessEnv, model: string | undefined, metrics: readonly AnyMetric[]): {path: string; key: string} {
  const names = model === undefined ? metrics.flatMap((m) => (m.models ?? []).filter((r) => !r.optional).map((r) => r.name)) : [model]
  const parts = [...new Set(names)].sort().map((name) => {
    const known = KNOWN_MODELS.find((k) => k.name === name)
    return known === undefined ? name : `${name}@${known.weights.revision}`
  })
  const os = env['RUNNER_OS'] ?? process.platform
  return {path: cacheDir(env), key: `alignctl-models-${os}-${parts.length === 0 ? 'none' : parts.join('+').replaceAll(/[^\w.@+-]/g, '_')}`}
}
