import type {ScoreLine} from './report.js'
import {rowScore} from './row-score.js'

/**
 * How many rows report.html embeds per metric. A run of at most `all` rows shows every row;
 * a larger one shows, per metric, its `worst` and `best` rows by row score, a sample of
 * `sample` rows chosen by a seeded hash of the row number (the same rows for every metric
 * and every re-render), and its first `errors` rows without a score. scores.jsonl has them all.
 */
export interface RowSelectionBounds {
  all: number
  worst: number
  best: number
  sample: number
  errors: number
  seed: number
}

export const DEFAULT_ROW_SELECTION: RowSelectionBounds = {all: 2000, worst: 250, best: 250, sample: 1000, errors: 250, seed: 1}

/** A bounded heap keeping the `size` smallest items by `before` (the root is the largest kept). */
class BoundedHeap {
  readonly #items: number[] = []
  readonly #size: number
  /** a goes after b: a is "larger" than b. */
  readonly #after: (a: number, b: number) => boolean

  constructor(size: number, after: (a: number, b: number) => boolean) {
    this.#size = size
    this.#after = after
  }

  /** Offers `row`: returns the row that left (`row` itself when it was not taken), or undefined. */
  offer(row: number): number | undefined {
    const items = this.#items
    if (this.#size <= 0) return row
    if (items.length < this.#size) {
      items.push(row)
      this.#up(items.length - 1)
      return undefined
    }
    if (!this.#after(items[0]!, row)) return row
    const out = items[0]!
    items[0] = row
    this.#down(0)
    return out
  }

  #up(i: number): void {
    const items = this.#items
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.#after(items[i]!, items[parent]!)) break
      ;[items[i], items[parent]] = [items[parent]!, items[i]!]
      i = parent
    }
  }

  #down(i: number): void {
    const items = this.#items
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let top = i
      if (l < items.length && this.#after(items[l]!, items[top]!)) top = l
      if (r < items.length && this.#after(items[r]!, items[top]!)) top = r
      if (top === i) return
      ;[items[i], items[top]] = [items[top]!, items[i]!]
      i = top
    }
  }
}

/** A seeded 32-bit mix of the row number (murmur3's finalizer: a bijection, so no two rows tie). */
export function sampleKey(row: number, seed: number): number {
  let h = (row ^ Math.imul(seed, 0x9e3779b1)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

/**
 * Decides, as one metric's rows arrive in any order, which of them report.html shows (see
 * {@link RowSelectionBounds}): the outcome depends only on the rows, never on their order, so
 * `alignctl report` re-rendering from scores.jsonl picks the same rows as the run did.
 * `onDrop` is told of each row that was kept so far and no longer is.
 */
export class RowSelector {
  readonly bounds: RowSelectionBounds
  readonly #scores = new Map<number, number>()
  readonly #count = new Map<number, number>()
  readonly #worst: BoundedHeap
  readonly #best: BoundedHeap
  readonly #sample: BoundedHeap
  readonly #errors: BoundedHeap
  readonly #onDrop: (row: number) => void
  /** Rows offered; while at most `bounds.all`, every row is kept. */
  #offered = 0
  #every: number[] | undefined = []

  constructor(bounds: RowSelectionBounds = DEFAULT_ROW_SELECTION, onDrop: (row: number) => void = () => {}) {
    this.bounds = bounds
    this.#onDrop = onDrop
    const score = (row: number) => this.#scores.get(row)!
    this.#worst = new BoundedHeap(bounds.worst, (a, b) => score(a) > score(b) || (score(a) === score(b) && a > b))
    this.#best = new BoundedHeap(bounds.best, (a, b) => score(a) < score(b) || (score(a) === score(b) && a > b))
    this.#sample = new BoundedHeap(bounds.sample, (a, b) => sampleKey(a, bounds.seed) > sampleKey(b, bounds.seed))
    this.#errors = new BoundedHeap(bounds.errors, (a, b) => a > b)
  }

  /** A row and its score (undefined when it has none), or that it has no result but an error. */
  offer(row: number, score: number | undefined, error: boolean): void {
    this.#offered++
    this.#every?.push(row)
    // Held while it is offered to each heap, so that one turning it down does not forget its score.
    this.#count.set(row, (this.#count.get(row) ?? 0) + 1)
    if (error) this.#into(this.#errors, row)
    else if (score !== undefined && Number.isFinite(score)) {
      this.#scores.set(row, score)
      this.#into(this.#worst, row)
      this.#into(this.#best, row)
    }
    this.#into(this.#sample, row)
    this.#release(row)
    if (this.#every !== undefined && this.#offered > this.bounds.all) {
      // Past the bound: only the selection stays.
      const every = this.#every
      this.#every = undefined
      for (const r of every) if (!this.#count.has(r)) this.#forget(r)
    }
  }

  #into(heap: BoundedHeap, row: number): void {
    this.#count.set(row, (this.#count.get(row) ?? 0) + 1)
    const out = heap.offer(row)
    if (out !== undefined) this.#release(out)
  }

  #release(row: number): void {
    const left = this.#count.get(row)! - 1
    if (left > 0) this.#count.set(row, left)
    else {
      this.#count.delete(row)
      if (this.#every === undefined) this.#forget(row)
    }
  }

  #forget(row: number): void {
    this.#scores.delete(row)
    this.#onDrop(row)
  }

  /** Whether the row is shown (as far as the rows offered so far go). */
  keeps(row: number): boolean {
    return this.#every !== undefined || this.#count.has(row)
  }

  /** Whether every row offered is shown. */
  get complete(): boolean {
    return this.#every !== undefined
  }

  /** The rows shown. */
  rows(): Set<number> {
    return this.#every !== undefined ? new Set(this.#every) : new Set(this.#count.keys())
  }
}

/** A metric's entry in a scores.jsonl line is an error (`{"error": "..."}`). */
export function isErrorResult(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as {error?: unknown}).error === 'string' && Object.keys(value).length === 1
}

/** What {@link RowSelector} is told of a row from its scores.jsonl entry for one metric. */
export function offerLine(selector: RowSelector, row: number, value: unknown): void {
  const error = isErrorResult(value)
  selector.offer(row, error ? undefined : rowScore(value), error)
}

/** Which rows of each metric report.html shows, chosen from scores.jsonl as a run chooses them. */
export function selectRows(lines: readonly ScoreLine[], metrics: readonly string[], bounds: RowSelectionBounds = DEFAULT_ROW_SELECTION): Record<string, RowSelector> {
  const selectors: Record<string, RowSelector> = {}
  for (const id of metrics) {
    const selector = (selectors[id] = new RowSelector(bounds))
    for (const line of lines) if (id in line) offerLine(selector, line.row, line[id])
  }
  return selectors
}
