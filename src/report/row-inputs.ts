import type {FieldMark, InputRow, MetricViews, RowField} from '../kernel/interfaces/index.js'
import {ChartPoints} from './charts.js'
import {rowScore} from './row-score.js'
import {DEFAULT_ROW_SELECTION, RowSelector, type RowSelectionBounds} from './row-selection.js'

/**
 * Most characters of one input field that report.html embeds: the page shows a shortened
 * text that expands to this much, and says how long the full text was. The page embeds a
 * bounded selection of rows (RowSelector), so it stays a few megabytes whatever the row
 * count, and scores.jsonl (the results) stays free of inputs.
 */
export const FIELD_CHARS = 1000

/** One input field of a row as the page shows it. */
export interface ShownField {
  name: string
  /** The text, cut to {@link FIELD_CHARS}. */
  text: string
  /** The full text's length, when it was cut. */
  length?: number
  /** Marks inside `text` (those past the cut are dropped, those across it clipped). */
  marks?: FieldMark[]
}

/** What the report keeps of one input row for one metric. */
export interface RowInput {
  fields: ShownField[]
  /** The row's human label as text ("1", "true", "consistent"), when the metric names a label field. */
  label?: string
  /** Whether the label is positive for the ROC curve (the metric's `rowLabel.positive`); absent for rows the curve does not cover. */
  positive?: boolean
  /** The input file's line the row was read from (unknown for joined rows). */
  line?: number
}

/** Each metric's kept inputs by row number. */
export type RowInputs = Readonly<Record<string, ReadonlyMap<number, RowInput>>>

/**
 * Keeps, for the rows of a metric that report.html shows (its {@link RowSelector}: every row
 * of a small run, a bounded selection of a large one), the input fields its views name (or,
 * without `rowFields`, every text or number field but `id`), cut to {@link FIELD_CHARS}, with
 * the marks the views compute from the full text and the row's result; and, for every row,
 * the numbers its charts draw (score, label).
 */
export class RowInputCollector {
  readonly rows = new Map<number, RowInput>()
  readonly selector: RowSelector
  /** Every scored row's score and label, for the histogram and ROC curve. */
  readonly points = new ChartPoints()
  readonly #fields: RowField[] | undefined
  readonly #views: MetricViews | undefined
  readonly #params: Readonly<Record<string, unknown>>

  constructor(views: MetricViews | undefined, params: Readonly<Record<string, unknown>>, bounds: RowSelectionBounds = DEFAULT_ROW_SELECTION) {
    this.#views = views
    this.#params = params
    this.#fields = views?.rowFields?.map((f) => (typeof f === 'string' ? {field: f} : f))
    this.selector = new RowSelector(bounds, (row) => this.rows.delete(row))
  }

  /** A row without an input to show (a bad input row, skipped): it still counts for the selection. */
  skip(row: number): void {
    this.selector.offer(row, undefined, true)
  }

  /** A row and its result (undefined when the metric gave it an error). */
  add(row: number, input: InputRow, result: unknown, line: number | undefined): void {
    const score = result === undefined ? undefined : rowScore(result)
    this.selector.offer(row, score, result === undefined)
    const {label, positive} = this.#label(input)
    if (score !== undefined && Number.isFinite(score)) this.points.add(score, label, positive)
    if (!this.selector.keeps(row)) return
    const fields: ShownField[] = []
    const wanted: RowField[] = this.#fields ?? Object.keys(input).filter((k) => k !== 'id').map((field) => ({field}))
    for (const spec of wanted) {
      const text = fieldText(input[spec.field])
      if (text === undefined) continue
      let marks: FieldMark[] = []
      if (spec.marks !== undefined && result !== undefined) {
        try {
          marks = [...spec.marks(input, result, this.#params)]
        } catch {
          // A view that cannot mark this row leaves it unmarked; the row still shows.
          marks = []
        }
      }
      fields.push(shownField(spec.field, text, marks))
    }
    const kept: RowInput = {fields}
    if (label !== undefined) kept.label = label
    if (positive !== undefined) kept.positive = positive
    if (line !== undefined) kept.line = line
    this.rows.set(row, kept)
  }

  #label(input: InputRow): {label?: string; positive?: boolean} {
    const label = this.#views?.rowLabel
    if (label === undefined || input[label.field] === undefined || input[label.field] === null) return {}
    const value = input[label.field]
    if (label.positive !== undefined && (label.covers === undefined || label.covers(input))) return {label: String(value), positive: label.positive.includes(value)}
    return {label: String(value)}
  }
}

/** A field's value as text: strings as they are, lists of strings one per line, numbers and booleans printed, others as JSON. */
function fieldText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('\n')
  return JSON.stringify(value)
}

export function shownField(name: string, text: string, marks: readonly FieldMark[]): ShownField {
  const cut = text.length > FIELD_CHARS
  const shown: ShownField = {name, text: cut ? text.slice(0, FIELD_CHARS) : text}
  if (cut) shown.length = text.length
  const kept = marks
    .filter((m) => Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0 && m.end > m.start && m.start < shown.text.length)
    .map((m) => ({start: m.start, end: Math.min(m.end, shown.text.length), note: m.note}))
  if (kept.length > 0) shown.marks = kept
  return shown
}
