import {mkdirSync, renameSync, statSync, type Stats} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {deserialize, serialize} from 'node:v8'

import type Database from 'better-sqlite3'

import type {Logger} from '../kernel/interfaces/index.js'
import {cacheDir} from '../models/cache.js'

/** The result cache's file: `results.sqlite` in the alignctl cache folder, beside `models/`. */
export function resultCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'results.sqlite')
}

/**
 * `ALIGNCTL_NO_CACHE` set (to anything but empty, `0` or `false`): runs neither read nor
 * write the result cache, as with `--no-cache`.
 */
export function cacheDisabledByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['ALIGNCTL_NO_CACHE']
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

/** What the cache holds for one row: the metric's value for it, or the error it gave (and at which row). */
export type CachedResult = {value: unknown} | {error: string; row: number}

export interface CacheEntry {
  /** sha256 of everything that decides the result (see RowCache). */
  key: Buffer
  metric: string
  result: CachedResult
}

export interface MetricCacheStats {
  metric: string
  entries: number
  /** Bytes of the stored values and errors (not counting SQLite's own overhead). */
  bytes: number
  /** When the oldest and newest entries were written (ISO 8601). */
  oldest: string
  newest: string
}

export interface CacheStats {
  file: string
  /** The file's size on disk, its write-ahead log included; 0 when there is no cache yet. */
  fileBytes: number
  entries: number
  metrics: MetricCacheStats[]
}

/** The row number stored with a value, which is reused at any row (errors are kept per row: their messages may name it). */
const ANY_ROW = -1

/**
 * better-sqlite3, loaded on first use: its native addon is built when alignctl is installed,
 * and an install that skipped it (scripts turned off) should lose the cache, not the CLI.
 */
let sqlite: typeof Database | Error | undefined
function loadSqlite(): typeof Database | Error {
  if (sqlite === undefined) {
    try {
      sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database
    } catch (error) {
      sqlite = error as Error
    }
  }
  return sqlite
}

/** Database layout version, in `PRAGMA user_version`. */
const LAYOUT = 1
/** How long a write waits for another process's write to finish before giving up on the batch (ms). */
const BUSY_TIMEOUT_MS = 15_000

const LAYOUT_SQL = `
CREATE TABLE IF NOT EXISTS results (
  key BLOB NOT NULL,
  row INTEGER NOT NULL,
  metric TEXT NOT NULL,
  value BLOB,
  error TEXT,
  created INTEGER NOT NULL,
  PRIMARY KEY (key, row)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS results_by_metric ON results (metric);
`

/**
 * The result cache (docs/cache.md): one SQLite file shared by every run on the machine, in
 * WAL mode so that runs read while another writes, and writes from concurrent processes
 * wait for each other (busy timeout) instead of failing. Values are kept with V8's
 * serializer, so a value read back is the value stored (NaN, -0 and undefined included).
 *
 * The cache never fails a run: a file that is not a database, or is damaged, is set aside as
 * `results.sqlite.corrupt-<time>` with a warning and a new one started; a folder that cannot
 * be written, or any other failure, is said once and the run goes on without the cache.
 */
export class ResultCache {
  readonly file: string
  readonly #logger: Logger
  #db: Database.Database | undefined
  #opened: Stats | undefined
  #get: Database.Statement<[Buffer, number], {value: Buffer | null; error: string | null; row: number}> | undefined
  #put: Database.Statement<[Buffer, number, string, Buffer | null, string | null, number]> | undefined

  private constructor(file: string, logger: Logger) {
    this.file = file
    this.#logger = logger
  }

  /** Opens (creating it if needed) the cache file; undefined, with a warning, when it cannot be used. */
  static open(file: string, logger: Logger): ResultCache | undefined {
    const cache = new ResultCache(file, logger)
    return cache.#connect() ? cache : undefined
  }

  /** Whether the cache is still in use (it stops after a failure it warned about). */
  get usable(): boolean {
    return this.#db !== undefined
  }

  /** The cached result of each key at its row, in order: its value, or the error it gave at that same row; undefined for none. */
  getMany(keys: ReadonlyArray<{key: Buffer; row: number}>): Array<CachedResult | undefined> {
    const db = this.#db
    const get = this.#get
    if (db === undefined || get === undefined || keys.length === 0) return keys.map(() => undefined)
    try {
      return db.transaction(() =>
        keys.map(({key, row}): CachedResult | undefined => {
          const found = get.get(key, row)
          if (found === undefined) return undefined
          if (found.error !== null) return {error: found.error, row: found.row}
          return {value: found.value === null ? null : deserialize(found.value)}
        }),
      )()
    } catch (error) {
      this.#fail(error, 'read')
      return keys.map(() => undefined)
    }
  }

  /** Stores results in one transaction (a result for a key already there replaces it). */
  putMany(entries: readonly CacheEntry[]): void {
    const db = this.#db
    const put = this.#put
    if (db === undefined || put === undefined || entries.length === 0) return
    const now = Date.now()
    try {
      db.transaction(() => {
        for (const {key, metric, result} of entries) {
          if ('error' in result) put.run(key, result.row, metric, null, result.error, now)
          else put.run(key, ANY_ROW, metric, serialize(result.value), null, now)
        }
      })()
    } catch (error) {
      this.#fail(error, 'write')
    }
  }

  /** Entries and sizes, per metric (or for one). */
  stats(metric?: string): CacheStats {
    const fileBytes = [this.file, `${this.file}-wal`].reduce((sum, f) => sum + (statSync(f, {throwIfNoEntry: false})?.size ?? 0), 0)
    const db = this.#db
    if (db === undefined) return {file: this.file, fileBytes, entries: 0, metrics: []}
    const rows = db
      .prepare<[{metric: string | null}], {metric: string; entries: number; bytes: number; oldest: number; newest: number}>(
        `SELECT metric, count(*) AS entries, coalesce(sum(length(value)), 0) + coalesce(sum(length(error)), 0) AS bytes, min(created) AS oldest, max(created) AS newest
         FROM results WHERE @metric IS NULL OR metric = @metric GROUP BY metric ORDER BY metric`,
      )
      .all({metric: metric ?? null})
    const metrics = rows.map((r) => ({metric: r.metric, entries: r.entries, bytes: r.bytes, oldest: new Date(r.oldest).toISOString(), newest: new Date(r.newest).toISOString()}))
    return {file: this.file, fileBytes, entries: metrics.reduce((sum, m) => sum + m.entries, 0), metrics}
  }

  /** Removes every entry (or one metric's) and gives the space back; returns how many went. */
  clear(metric?: string): number {
    const db = this.#db
    if (db === undefined) return 0
    const removed = metric === undefined ? db.prepare('DELETE FROM results').run() : db.prepare('DELETE FROM results WHERE metric = ?').run(metric)
    try {
      db.exec('VACUUM')
    } catch {
      // Another run is reading the cache: the space is reused by later writes instead.
    }
    return removed.changes
  }

  close(): void {
    try {
      this.#db?.close()
    } catch {
      // Closing is best effort: the WAL is recovered by the next opener.
    }
    this.#db = undefined
  }

  /** Opens the file, setting aside one that is not a usable database; false when there is no cache this run. */
  #connect(): boolean {
    const Sqlite = loadSqlite()
    if (Sqlite instanceof Error) {
      this.#logger.warn(`The result cache needs better-sqlite3, which did not load (${Sqlite.message.split('\n')[0]}); this run scores every row and caches nothing. Reinstall alignctl with install scripts allowed (npm builds its native addon), or pass --no-cache.`)
      return false
    }
    try {
      mkdirSync(dirname(this.file), {recursive: true})
    } catch (error) {
      this.#logger.warn(`The result cache folder ${dirname(this.file)} cannot be created (${(error as Error).message}); this run scores every row and caches nothing. Set ALIGNCTL_HOME to a writable folder, or pass --no-cache.`)
      return false
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        this.#opened = statSync(this.file, {throwIfNoEntry: false})
        const db = new Sqlite(this.file, {timeout: BUSY_TIMEOUT_MS})
        this.#db = db
        db.pragma('journal_mode = WAL')
        db.pragma('synchronous = NORMAL')
        const layout = db.pragma('user_version', {simple: true}) as number
        if (layout > LAYOUT) {
          this.#logger.warn(`${this.file} was written by a newer alignctl (layout ${layout}); this run does not use the result cache. Upgrade alignctl, or point ALIGNCTL_HOME elsewhere.`)
          this.close()
          return false
        }
        if (layout < LAYOUT) {
          db.exec(LAYOUT_SQL)
          db.pragma(`user_version = ${LAYOUT}`)
        }
        // A value first: one is reused at any row.
        this.#get = db.prepare(`SELECT value, error, row FROM results WHERE key = ? AND row IN (${ANY_ROW}, ?) ORDER BY row LIMIT 1`)
        this.#put = db.prepare('INSERT OR REPLACE INTO results (key, row, metric, value, error, created) VALUES (?, ?, ?, ?, ?, ?)')
        return true
      } catch (error) {
        this.close()
        if (attempt === 0 && isCorrupt(error)) {
          this.#setAside(error)
          continue
        }
        this.#logger.warn(`The result cache ${this.file} cannot be opened (${(error as Error).message}); this run scores every row and caches nothing. Check that the folder is writable, or pass --no-cache.`)
        return false
      }
    }
    return false
  }

  /** A failure after opening: a damaged file is set aside; in every case the cache is off for the rest of the run. */
  #fail(error: unknown, what: 'read' | 'write'): void {
    this.close()
    if (isCorrupt(error)) {
      this.#setAside(error)
      this.#logger.warn('The result cache is off for the rest of this run; the next run starts a new one.')
      return
    }
    this.#logger.warn(`The result cache ${this.file} could not be ${what === 'read' ? 'read' : 'written'} (${(error as Error).message}); the rest of this run goes on without it.`)
  }

  /** Renames a damaged cache file (and its WAL) out of the way, unless another run already replaced it. */
  #setAside(error: unknown): void {
    const now = statSync(this.file, {throwIfNoEntry: false})
    // Another process set it aside first and started a new one: leave that one alone.
    if (now === undefined || (this.#opened !== undefined && now.ino !== this.#opened.ino)) return
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
    try {
      renameSync(this.file, aside)
      for (const suffix of ['-wal', '-shm']) {
        try {
          renameSync(`${this.file}${suffix}`, `${aside}${suffix}`)
        } catch {
          // No such file: nothing to move.
        }
      }
      this.#logger.warn(`The result cache ${this.file} is damaged (${(error as Error).message}); it was set aside as ${aside} and a new cache started. Delete the old file once you no longer need it.`)
    } catch (renameError) {
      this.#logger.warn(`The result cache ${this.file} is damaged (${(error as Error).message}) and could not be set aside (${(renameError as Error).message}); delete it by hand.`)
    }
  }
}

function isCorrupt(error: unknown): boolean {
  const code = (error as {code?: unknown} | undefined)?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
}
