import {createHash} from 'node:crypto'

import {canonicalEncode} from '../kernel/content-hash.js'
import type {CacheEntry, CachedResult, ResultCache} from './result-cache.js'
import type {AnyMetric, CacheScope, InputRow, RowOutcome} from '../kernel/interfaces/index.js'
import {batchDependent, type PackIdentity} from './model-identity.js'
import {metricRowGroup, type CacheMark, type CacheCandidate, type RunCache} from './runner.js'

/** Version of how keys are made: a change here makes every old entry a miss. */
const KEY_FORMAT = 1
/** Rows looked up in one read of the cache. */
const LOOKUP_CHUNK = 256

/** Whether, and at which level, a metric's results can be cached in this run; with the reason when not. */
export type CacheDecision = {scope: Exclude<CacheScope, false>; group: number} | {scope: false; reason: string}

/**
 * Decides how this run of a metric caches: as the metric declares (`cache`, default `row`),
 * and never when its numbers depend on something the key cannot hold: a correctness judge
 * from a plugin, packs the metric does not name (`packs`), or int8 packs whose scores
 * depend on their batch neighbours.
 */
export function cacheDecision(metric: AnyMetric, params: Record<string, unknown>, packs: readonly PackIdentity[] | undefined, judge: string | undefined): CacheDecision {
  const declared = (typeof metric.cache === 'function' ? metric.cache(params) : metric.cache) ?? 'row'
  if (declared === false) return {scope: false, reason: 'the metric does not cache results with these params (see its README)'}
  if (judge !== undefined) return {scope: false, reason: `judge "${judge}" decides part of each result, and its answers are not part of the cache key`}
  if (packs === undefined) return {scope: false, reason: 'the metric runs model packs without naming them, so its results cannot be tied to a pack'}
  if (batchDependent(packs)) return {scope: false, reason: 'an int8 pack quantized per batch gives scores that depend on the other rows of a batch; convert it again for per-row scales'}
  const group = declared === 'group' ? metricRowGroup(metric, params) : 1
  return {scope: declared, group}
}

/** Everything besides the row that decides a result: what a key is made of. */
export interface CacheContext {
  metric: string
  version: string
  params: Record<string, unknown>
  packs: readonly PackIdentity[]
  /** The execution provider asked for: another device may round differently. Null for model-free metrics. */
  device: string | null
}

/**
 * One metric's use of the result cache in one run (the runner's `cache` hook). A row's key
 * is the sha256 of the context (metric id and version, params, packs' identities, device) and
 * the row's canonical content: the fields the metric reads, after `--map` and aliases (for a
 * metric that joins inputs, the joined row). With scope `group`, a key also holds the
 * content of every row of the row's group and its place in it, and a group is taken from the
 * cache only when all its rows are there; otherwise every row of it is scored again.
 *
 * A cached error is reused only at the same row number (error messages may name it): errors
 * are kept per row number, values once.
 */
export class RowCache implements RunCache {
  hits = 0
  misses = 0
  readonly #store: ResultCache
  readonly #metric: string
  readonly #context: Buffer
  readonly #group: number

  constructor(store: ResultCache, context: CacheContext, decision: Extract<CacheDecision, {scope: 'row' | 'group'}>) {
    this.#store = store
    this.#metric = context.metric
    this.#group = decision.scope === 'group' ? Math.max(1, decision.group) : 0
    this.#context = createHash('sha256')
      .update(canonicalEncode({format: KEY_FORMAT, scope: decision.scope, ...(decision.scope === 'group' ? {group: this.#group} : {}), ...context}))
      .digest()
  }

  lookup<T extends CacheCandidate>(rows: AsyncIterable<T>, options: {start: number; end: number; restored: (row: number) => boolean}): AsyncIterable<T & CacheMark> {
    const eligible = (c: T) => c.ok && c.row >= options.start && c.row < options.end && !options.restored(c.row)
    return this.#group === 0 ? this.#byRow(rows, eligible) : this.#byGroup(rows, eligible, options.restored)
  }

  save(rows: ReadonlyArray<{key: Buffer; row: number; outcome: RowOutcome<unknown>}>): void {
    if (!this.#store.usable) return
    this.#store.putMany(
      rows.map(({key, row, outcome}): CacheEntry => ({key, metric: this.#metric, result: 'error' in outcome ? {error: outcome.error, row} : {value: outcome.value}})),
    )
  }

  async *#byRow<T extends CacheCandidate>(rows: AsyncIterable<T>, eligible: (c: T) => boolean): AsyncGenerator<T & CacheMark> {
    let pending: T[] = []
    const drain = () => {
      const keyed = pending.map((c) => (eligible(c) ? this.#rowKey(c.value!) : undefined))
      const found = this.#store.getMany(pending.flatMap((c, i) => (keyed[i] === undefined ? [] : [{key: keyed[i]!, row: c.row}])))
      let next = 0
      const out = pending.map((c, i): T & CacheMark => {
        const key = keyed[i]
        if (key === undefined) return c
        const hit = usable(found[next++], c.row)
        if (hit === undefined) this.misses++
        else this.hits++
        return hit === undefined ? {...c, key} : {...c, key, hit}
      })
      pending = []
      return out
    }
    for await (const candidate of rows) {
      pending.push(candidate)
      if (pending.length >= LOOKUP_CHUNK) yield* drain()
    }
    yield* drain()
  }

  async *#byGroup<T extends CacheCandidate>(rows: AsyncIterable<T>, eligible: (c: T) => boolean, restored: (row: number) => boolean): AsyncGenerator<T & CacheMark> {
    let pending: T[] = []
    const drain = (): Array<T & CacheMark> => {
      const group = pending
      pending = []
      const members = group.filter(eligible)
      // A group with rows restored by --resume is scored without them: not what a key says.
      if (members.length === 0 || group.some((c) => c.ok && restored(c.row))) return group
      const hashes = members.map((c) => this.#rowHash(c.value!))
      if (hashes.some((h) => h === undefined)) return group
      const groupHash = createHash('sha256')
      members.forEach((c, i) => groupHash.update(`${c.row % this.#group}:${hashes[i]!.toString('hex')};`))
      const content = groupHash.digest()
      const keys = new Map(members.map((c) => [c, createHash('sha256').update(this.#context).update('group').update(content).update(String(c.row % this.#group)).digest()]))
      const found = this.#store.getMany(members.map((c) => ({key: keys.get(c)!, row: c.row})))
      const hits = members.map((c, i) => usable(found[i], c.row))
      const whole = hits.every((h) => h !== undefined)
      if (whole) this.hits += members.length
      else this.misses += members.length
      return group.map((c): T & CacheMark => {
        const key = keys.get(c)
        if (key === undefined) return c
        const hit = whole ? hits[members.indexOf(c)] : undefined
        return hit === undefined ? {...c, key} : {...c, key, hit}
      })
    }
    for await (const candidate of rows) {
      if (pending.length > 0 && Math.floor(pending[0]!.row / this.#group) !== Math.floor(candidate.row / this.#group)) yield* drain()
      pending.push(candidate)
    }
    yield* drain()
  }

  #rowKey(row: InputRow): Buffer | undefined {
    const hash = this.#rowHash(row)
    return hash === undefined ? undefined : createHash('sha256').update(this.#context).update('row').update(hash).digest()
  }

  /** sha256 of a row's canonical content; undefined for a row holding a value that has none (it is then not cached). */
  #rowHash(row: InputRow): Buffer | undefined {
    try {
      return createHash('sha256').update(canonicalEncode(row)).digest()
    } catch {
      return undefined
    }
  }
}

/** A cached result as the metric gave it: a value (reused at any row), or an error (only ever looked up at its own row). */
function usable(found: CachedResult | undefined, row: number): RowOutcome<unknown> | undefined {
  if (found === undefined) return undefined
  if ('error' in found) return found.row === row ? {error: found.error} : undefined
  return {value: found.value}
}

/**
 * The result cache for one metric's run, or undefined (said on the log) when its results
 * cannot be cached this time.
 */
export function metricRowCache(
  store: ResultCache | undefined,
  run: {metric: AnyMetric; params: Record<string, unknown>; packs: readonly PackIdentity[] | undefined; judge: string | undefined; device: string},
  logger: {info(message: string): void},
): RowCache | undefined {
  if (store === undefined || !store.usable) return undefined
  const decision = cacheDecision(run.metric, run.params, run.packs, run.judge)
  if (decision.scope === false) {
    logger.info(`${run.metric.id}: results are not cached: ${decision.reason}.`)
    return undefined
  }
  const packs = run.packs ?? []
  return new RowCache(store, {metric: run.metric.id, version: run.metric.version, params: run.params, packs, device: packs.length > 0 ? run.device : null}, decision)
}
