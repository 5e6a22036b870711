/**
 * What a metric may add to report.html and summary.md through the plugin API (issue 13): the
 * report renders these; it knows no metric by name.
 */
import type {StatDeclaration} from './stats.js'

/**
 * A chart as plain data, embedded in the page as JSON and drawn there by Chart.js. The metric
 * decides what to show; the page only draws it.
 */
export type ChartSpec = BarChartSpec | HeatmapSpec | LineChartSpec

export interface BarChartSpec {
  kind: 'bar'
  title: string
  labels: string[]
  series: Array<{
    label: string
    data: Array<number | null>
    /** The series' colour, else the palette's. */
    color?: string
    /** One colour per bar (overrides `color`). */
    colors?: string[]
    /** Error bars: `[low, high]` per bar, or null where there is none. */
    intervals?: Array<[number, number] | null>
  }>
  /** Bars touch and share the axis (a histogram). */
  histogram?: boolean
  stacked?: boolean
  /** Bars run left to right, labels down the side (long labels, many bars). */
  horizontal?: boolean
  xTitle?: string
  yTitle?: string
  /** The value axis' span, from the stat's declared range; absent: from zero to the data's largest value. */
  valueRange?: {min?: number; max?: number}
}

/** Lines through points (a ROC curve and its chance line), over fixed axes. */
export interface LineChartSpec {
  kind: 'line'
  title: string
  series: Array<{label: string; points: Array<[number, number]>; color?: string; dashed?: boolean}>
  xTitle: string
  yTitle: string
  xRange?: {min?: number; max?: number}
  yRange?: {min?: number; max?: number}
}

/** A matrix of counts: `values[y][x]`, shaded by size, each cell labelled with its count. */
export interface HeatmapSpec {
  kind: 'heatmap'
  title: string
  xLabels: string[]
  yLabels: string[]
  values: number[][]
  xTitle: string
  yTitle: string
}

/** What a view is given: the metric's part of report.json. */
export interface MetricViewInput {
  id: string
  summary: Readonly<Record<string, unknown>>
  params: Readonly<Record<string, unknown>>
  stats: readonly StatDeclaration[]
  rows: number
  skipped: number
}

/** HTML helpers the report hands to a view, so a metric escapes and lays out tables as the page does. */
export interface HtmlKit {
  /** Escapes text for HTML element content and attribute values. */
  escape(text: string): string
  /** A number as the report prints it (4 significant decimals, integers as is, null as —). */
  formatValue(value: unknown): string
  /** A counts matrix as a table whose cells are shaded by size. */
  countsTable(options: {caption: string; rowTitle: string; colTitle: string; rowLabels: readonly string[]; colLabels: readonly string[]; values: readonly number[][]}): string
  /** Named records (`byDataset`) as a table: one row per name, one column per number. */
  keyedTable(caption: string, keyTitle: string, rows: ReadonlyArray<[string, Readonly<Record<string, unknown>>]>, preferred: readonly string[]): string
}

export interface HtmlSection {
  charts?: ChartSpec[]
  /** HTML blocks (tables, paragraphs), escaped by the view through {@link HtmlKit.escape}. */
  blocks?: string[]
}

/** Text helpers for summary.md: every value that comes from the data goes through `escape`. */
export interface MarkdownKit {
  /** Escapes text for a GitHub-flavoured Markdown table cell or paragraph (HTML, pipes, backticks). */
  escape(text: string): string
  formatValue(value: unknown): string
}

/**
 * Spans of a row's result to highlight in the row table (AlignScore's claim sentences, CTC's
 * tokens): `path` is a dotted path into the row's result whose value is an array of
 * `{text: string, score: number | null}`; spans scoring below `threshold` are marked.
 */
export interface RowSpans {
  path: string
  /** What the spans are, for the page's legend: "claim sentences", "summary tokens (consistency)". */
  label: string
  /** A number, or one computed from the summary; a non-finite value marks nothing. */
  threshold: number | ((summary: Readonly<Record<string, unknown>>) => number)
  /**
   * What goes between two spans when they are shown: ' ' for sentences and words (default), ''
   * for sub-word tokens that carry their own spaces; or one computed from the summary.
   */
  separator?: string | ((summary: Readonly<Record<string, unknown>>) => string)
}

/** A span of a shown input field's text to mark, in UTF-16 code units, with what the mark means. */
export interface FieldMark {
  start: number
  end: number
  note: string
}

/**
 * An input field the row table shows (shortened, expandable), by its name after `--map` and
 * the metric's aliases. `marks` finds parts of its text to highlight from the full row and
 * the row's result (AlignScore's best chunk in the context); it runs once per row at the end
 * of a run, on the full text, before the text is cut to the report's bound.
 */
export interface RowField {
  field: string
  marks?(input: Readonly<Record<string, unknown>>, result: unknown, params: Readonly<Record<string, unknown>>): readonly FieldMark[]
}

/**
 * The input field holding a row's human label: the score histogram is split by its values,
 * and when exactly two values occur and `positive` names one, the report draws a ROC curve of
 * the row score against it.
 */
export interface RowLabel {
  field: string
  /** The label values that count as positive for the ROC curve (`[1, true]`). */
  positive?: readonly unknown[]
  /**
   * The rows the ROC curve covers, when not all labelled rows (those the metric's own AUC
   * stat is computed over, so the curve's area is that stat); `coverage` says which, for the
   * chart's title ("dev rows left out").
   */
  covers?(input: Readonly<Record<string, unknown>>): boolean
  coverage?: string
}

export interface MetricViews {
  /** The metric's section of report.html, after its stats table and score histogram. */
  html?(input: MetricViewInput, kit: HtmlKit): HtmlSection
  /** Markdown appended to the metric's part of summary.md (GitHub-flavoured, no raw HTML from the data). */
  markdown?(input: MetricViewInput, kit: MarkdownKit): string
  /** Parts of each row's result the row table highlights. */
  spans?: readonly RowSpans[]
  /**
   * The input fields the row table shows for each row, in order: names, or {@link RowField}s
   * with marks. Absent: every text or number field of the row except `id`.
   */
  rowFields?: ReadonlyArray<string | RowField>
  /** Where rows carry a human label, for the split histogram and the ROC curve. */
  rowLabel?: RowLabel
}
