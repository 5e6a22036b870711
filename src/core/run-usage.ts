import type {EngineUsage} from '../engine/engine.js'

/**
 * What a metric's run used, added up over every process that worked on it: the engine's
 * report (the model pack with its counts, the device) and the seconds spent. Saved with the
 * checkpoint (`--resume`) and read from the shards' reports (`merge`), so the final report
 * counts the whole run, not the last process.
 */
export interface RunUsage extends EngineUsage {
  seconds: number
}

/**
 * `earlier` and `later` added up: the model's numeric `stats` (requests, batches, tokens,
 * seconds) summed, pack by pack (matched by name and folder), everything else from the later
 * one when it has it (it describes the model and device the run ended on).
 */
export function addUsage(earlier: RunUsage | undefined, later: RunUsage): RunUsage {
  if (earlier === undefined) return later
  const sum: RunUsage = {...earlier, ...later, seconds: earlier.seconds + later.seconds}
  const model = addModels(earlier.model, later.model)
  if (model !== undefined) sum.model = model
  return sum
}

type ModelUsage = Record<string, unknown>

function packsOf(model: ModelUsage | undefined): ModelUsage[] {
  if (model === undefined) return []
  return Array.isArray(model['packs']) ? (model['packs'] as ModelUsage[]) : [model]
}

function addModels(earlier: ModelUsage | undefined, later: ModelUsage | undefined): ModelUsage | undefined {
  if (earlier === undefined) return later
  if (later === undefined) return earlier
  const key = (p: ModelUsage) => `${String(p['name'])}\u0000${String(p['dir'])}`
  const packs = packsOf(earlier).map((p) => ({...p}))
  for (const pack of packsOf(later)) {
    const at = packs.findIndex((p) => key(p) === key(pack))
    if (at === -1) packs.push(pack)
    else packs[at] = {...pack, stats: addStats(packs[at]!['stats'], pack['stats'])}
  }
  return packs.length === 1 ? packs[0] : {packs}
}

/** Numbers summed key by key (rounded to the millisecond where fractional); other values from `later`. */
function addStats(earlier: unknown, later: unknown): unknown {
  if (!isRecord(earlier) || !isRecord(later)) return later ?? earlier
  const out: Record<string, unknown> = {...earlier}
  for (const [k, v] of Object.entries(later)) {
    const e = out[k]
    out[k] = typeof v === 'number' && typeof e === 'number' ? (Number.isInteger(v) && Number.isInteger(e) ? e + v : Math.round((e + v) * 1000) / 1000) : v
  }
  return out
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
