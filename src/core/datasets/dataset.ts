import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import {extname} from 'node:path'

import {inputError, usageError} from '../../kernel/errors.js'
import type {InputRow, JsonSchema, MetricInput} from '../../kernel/interfaces/index.js'
import {compileSchema, formatProblems} from '../../kernel/schema.js'
import {readCsv} from './csv.js'
import {readJsonArray} from './json-array.js'
import {readJsonl} from './jsonl.js'
import {readLines, readPieces} from './lines.js'
import {readParquet} from './parquet.js'
import {DEFAULT_MAX_ROW_BYTES, setField, type RawRecord} from './records.js'
import {closeName} from './near-names.js'
import {assertNotFolder, assertNotUtf16, otherDelimiter} from './sniff.js'

export type DatasetFormat = 'jsonl' | 'json' | 'csv' | 'tsv' | 'parquet'

/** Whether a CSV file's first record is a header: decided from the metric's fields, or forced. */
export type CsvHeader = 'auto' | 'present' | 'absent'

export interface DatasetOptions {
  /** The metric input whose schema, columns and aliases apply. */
  input: MetricInput
  /** `--map field=column`: read column `column` of the file as field `field`. */
  map?: Readonly<Record<string, string>>
  csvHeader?: CsvHeader
  /** `--max-row-bytes`: a row (line, array element) larger than this is an input error. */
  maxRowBytes?: number
  /** `--delimiter`: the CSV field separator [default: `,` for .csv, tab for .tsv]. */
  delimiter?: string
}

/** One data row of an input file, validated, or the located reason it is unusable. */
export type DatasetRecord =
  | {row: number; line: number; ok: true; value: InputRow}
  | {row: number; line: number; ok: false; message: string; /** The row's `id`, when it could be read. */ id?: unknown}

const FORMATS: Readonly<Record<string, DatasetFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.parquet': 'parquet',
}

export function formatOf(file: string): DatasetFormat {
  const format = FORMATS[extname(file).toLowerCase()]
  if (format === undefined) {
    throw usageError(
      `${file}: cannot tell the format from the extension "${extname(file)}".`,
      `Name the file with one of ${Object.keys(FORMATS).join(', ')}.`,
    )
  }
  return format
}

/**
 * A metric input file: streamed, parsed by its format, renamed (`--map`, aliases), and each
 * row validated against the input's schema. Every data row comes out, good or not, in order.
 */
export class Dataset {
  readonly file: string
  readonly format: DatasetFormat
  readonly #options: DatasetOptions
  // Compile once per dataset, not per row.
  readonly #validate
  readonly #fieldTypes: ReadonlyMap<string, readonly string[]>

  constructor(file: string, options: DatasetOptions) {
    this.file = file
    assertNotFolder(file, Object.keys(FORMATS))
    this.format = formatOf(file)
    this.#options = options
    const isCsv = this.format === 'csv' || this.format === 'tsv'
    this.#validate = compileSchema(options.input.rowSchema, {coerce: isCsv})
    this.#fieldTypes = propertyTypes(options.input.rowSchema)
  }

  /** Streams the rows. `onChunk` sees the raw bytes (for hashing in the same pass). */
  async *records(onChunk?: (chunk: Buffer) => void): AsyncGenerator<DatasetRecord> {
    const info = await stat(this.file).catch(() => undefined)
    if (info?.isFile() && info.size === 0) {
      throw inputError(`${this.file}: the file is empty.`, 'Give it at least one row.')
    }
    if (this.format !== 'parquet') assertNotUtf16(this.file)
    let row = 0
    for await (const raw of this.#rawRecords(onChunk)) {
      yield this.#toRecord(raw, row++)
    }
    if (row === 0) {
      throw inputError(`${this.file}: the file has no data rows.`, 'Give it at least one row.')
    }
  }

  /** Reads the whole file once: row count, sha256 and every problem, without keeping rows. */
  async scan(): Promise<{rows: number; sha256: string; problems: Array<Extract<DatasetRecord, {ok: false}>>}> {
    const hash = createHash('sha256')
    const problems: Array<Extract<DatasetRecord, {ok: false}>> = []
    let rows = 0
    for await (const record of this.records((chunk) => hash.update(chunk))) {
      rows++
      if (!record.ok) problems.push(record)
    }
    return {rows, sha256: hash.digest('hex'), problems}
  }

  #rawRecords(onChunk: ((chunk: Buffer) => void) | undefined): AsyncIterable<RawRecord> {
    // JSON arrays are read in pieces (one line may be the whole file); the rest line by line.
    const maxRowBytes = this.#options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES
    if (this.format === 'json') return readJsonArray(readPieces(this.file, onChunk), this.file, maxRowBytes)
    if (this.format === 'parquet') return this.#parquet(onChunk)
    const lines = readLines(this.file, onChunk, maxRowBytes)
    switch (this.format) {
      case 'jsonl':
        return readJsonl(lines)
      case 'csv':
        return this.#csvObjects(readCsv(lines, this.file, this.#delimiter()))
      case 'tsv':
        return this.#csvObjects(readCsv(lines, this.file, this.#delimiter()))
    }
  }

  /** Parquet is read by row group, not as a byte stream: the bytes are hashed in a pass of their own. */
  async *#parquet(onChunk: ((chunk: Buffer) => void) | undefined): AsyncGenerator<RawRecord> {
    if (onChunk !== undefined) {
      try {
        for await (const chunk of createReadStream(this.file) as AsyncIterable<Buffer>) onChunk(chunk)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw inputError(`${this.file}: no such file.`, 'Check the path given to --input.')
        throw error
      }
    }
    yield* readParquet(this.file)
  }

  /** Turns CSV cells into objects, using the header row or the metric's declared columns. */
  async *#csvObjects(records: AsyncIterable<RawRecord>): AsyncGenerator<RawRecord> {
    let names: readonly string[] | undefined
    for await (const record of records) {
      if (record.kind !== 'cells') {
        yield record
        continue
      }
      if (names === undefined) {
        this.#checkDelimiter(record.cells, record.line)
        const header = this.#decideHeader(record.cells, record.line)
        names = header ?? this.#options.input.columns ?? []
        if (header !== undefined) continue
      }
      if (record.cells.length !== names.length) {
        yield {
          line: record.line,
          kind: 'problem',
          message: `has ${record.cells.length} fields where ${names.length} are expected (${names.join(', ')})`,
        }
        continue
      }
      const value: Record<string, unknown> = {}
      names.forEach((name, i) => {
        const cell = record.cells[i]!
        // An empty cell in a non-text column means "no value", not "" (which ajv cannot coerce).
        if (cell === '' && !this.#acceptsString(name)) return
        setField(value, name, cell)
      })
      yield {line: record.line, kind: 'object', value}
    }
  }

  #delimiter(): string {
    return this.#options.delimiter ?? (this.format === 'tsv' ? '\t' : ',')
  }

  /** A first record read as one field where the input needs several: another delimiter, said so. */
  #checkDelimiter(cells: readonly string[], line: number): void {
    const {input} = this.#options
    const wanted = Math.max(input.columns?.length ?? 0, ((input.rowSchema['required'] ?? []) as string[]).length)
    if (cells.length !== 1 || wanted < 2) return
    const other = otherDelimiter(cells[0]!, this.#delimiter(), undefined)
    if (other === undefined) return
    const current = this.#delimiter() === '\t' ? 'tab' : `"${this.#delimiter()}"`
    throw usageError(
      `${this.file}:${line}: the row is one field where ${wanted} are expected: the file looks ${other.name}-separated, but it is read with ${current} between fields.`,
      `Pass ${other.flag}${other.char === '\t' && this.format === 'csv' ? ', or name the file .tsv' : ''}.`,
    )
  }

  /** Returns the header's column names, or undefined when the first record is data. */
  #decideHeader(cells: readonly string[], line: number): readonly string[] | undefined {
    const {csvHeader = 'auto', input} = this.#options
    if (csvHeader === 'present') return cells
    if (csvHeader === 'absent') {
      if (input.columns === undefined) {
        throw usageError(
          `${this.file}: the metric input "${input.name}" declares no column order, so a CSV file without a header cannot be read.`,
          'Add a header row naming the columns.',
        )
      }
      return undefined
    }
    const missing = this.#missingRequired(cells)
    if (missing.length === 0) return cells
    // Header-less data, unless a cell names a field: then it is a header that lacks some.
    // A cell that is a field's name up to case or a typo counts too, so the error can suggest --map.
    const known = this.#knownNames()
    if (input.columns !== undefined && !cells.some((cell) => known.has(cell) || closeName(cell, known) !== undefined)) return undefined
    throw inputError(
      `${this.file}:${line}: the header row has no column for the required field(s) ${missing.map((f) => `"${f}"`).join(', ')}; columns found: ${cells.join(', ')}.`,
      `Rename the columns, or map them with --map ${missing[0]}=${closeName(missing[0]!, cells) ?? '<column>'}.`,
    )
  }

  /** Names a header cell may carry: fields, their aliases, and `--map` columns. */
  #knownNames(): Set<string> {
    const {input, map = {}} = this.#options
    return new Set([...this.#fieldTypes.keys(), ...Object.keys((input.rowSchema['properties'] ?? {}) as object), ...Object.keys(input.aliases ?? {}), ...Object.values(map)])
  }

  #missingRequired(columns: readonly string[]): string[] {
    const header: Record<string, unknown> = {}
    for (const column of columns) setField(header, column, true)
    const renamed = new Set(Object.keys(this.#rename(header)))
    const required = (this.#options.input.rowSchema['required'] ?? []) as string[]
    return required.filter((field) => !renamed.has(field))
  }

  /** For required fields the row lacks but has a close name for: the `--map` that reads it. */
  #mapHint(value: Record<string, unknown>): string {
    const required = (this.#options.input.rowSchema['required'] ?? []) as string[]
    const known = this.#knownNames()
    const extra = Object.keys(value).filter((key) => !known.has(key))
    const maps = required.filter((field) => !(field in value)).flatMap((field) => {
      const column = closeName(field, extra)
      return column === undefined ? [] : [`--map ${field}=${column}`]
    })
    if (maps.length === 0) return ''
    return maps.length === 1 ? ` The row has a close name: read it with ${maps[0]}.` : ` The row has close names: read them with ${maps.join(' ')}.`
  }

  #acceptsString(column: string): boolean {
    const field = Object.entries(this.#options.map ?? {}).find(([, c]) => c === column)?.[0] ?? this.#options.input.aliases?.[column] ?? column
    const types = this.#fieldTypes.get(field)
    return types === undefined || types.includes('string')
  }

  /** Applies `--map field=column`, then the input's aliases (only where the field is absent). */
  #rename(value: Record<string, unknown>): Record<string, unknown> {
    const map = Object.entries(this.#options.map ?? {})
    const mapped = new Set(map.map(([, column]) => column))
    // Every mapped field reads the original row, so `--map a=b --map b=a` swaps them.
    // Own fields only, set as data: a `__proto__` or `constructor` key is a field like any other.
    const out: Record<string, unknown> = {}
    for (const [key, cell] of Object.entries(value)) if (!mapped.has(key)) setField(out, key, cell)
    for (const [field, column] of map) if (Object.hasOwn(value, column)) setField(out, field, value[column])
    for (const [alias, field] of Object.entries(this.#options.input.aliases ?? {})) {
      if (!Object.hasOwn(out, field) && Object.hasOwn(out, alias)) {
        setField(out, field, out[alias])
        delete out[alias]
      }
    }
    return out
  }


  #toRecord(raw: RawRecord, row: number): DatasetRecord {
    const at = `${this.file}:${raw.line}${raw.position === undefined ? '' : ` (${raw.position})`}`
    if (raw.kind === 'problem') return {row, line: raw.line, ok: false, message: `${at}: the row ${raw.message}.`}
    if (raw.kind === 'cells') throw new Error('CSV cells must be turned into objects before validation')
    const value = this.#rename(raw.value)
    const problems = this.#validate.validate(value)
    // Only a scalar id is kept for a skipped row: anything else (a value nested 100000 deep) is the row's problem, not the report's.
    const id = Object.hasOwn(value, 'id') ? value['id'] : undefined
    const keptId = typeof id === 'string' || typeof id === 'boolean' || (typeof id === 'number' && Number.isFinite(id)) ? {id} : {}
    if (problems.length > 0) return {row, line: raw.line, ok: false, message: `${at}: ${formatProblems(problems)}.${this.#mapHint(value)}`, ...keptId}
    return {row, line: raw.line, ok: true, value}
  }
}

/** `{field: ['number', 'null']}` from a row schema's top-level `properties`. */
function propertyTypes(schema: JsonSchema): Map<string, string[]> {
  const types = new Map<string, string[]>()
  const properties = (schema['properties'] ?? {}) as Record<string, {type?: string | string[]}>
  for (const [field, property] of Object.entries(properties)) {
    if (property.type !== undefined) types.set(field, Array.isArray(property.type) ? property.type : [property.type])
  }
  return types
}
