import {formatValue} from './flatten.js'
import {escapeHtml} from './html-text.js'

/**
 * A counts matrix as a table whose cells are shaded by size: the numbers stay readable and
 * copyable, which a 3×3 table needs more than a chart does.
 */
export function countsTable(options: {caption: string; rowTitle: string; colTitle: string; rowLabels: readonly string[]; colLabels: readonly string[]; values: readonly number[][]}): string {
  const max = Math.max(1, ...options.values.flat())
  const head = `<tr><th scope="col">${escapeHtml(options.rowTitle)} ↓ / ${escapeHtml(options.colTitle)} →</th>${options.colLabels.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`
  const body = options.rowLabels
    .map((r, i) => `<tr><th scope="row">${escapeHtml(r)}</th>${options.values[i]!.map((v) => `<td style="background:rgba(9,105,218,${(0.08 + (0.6 * v) / max).toFixed(3)})">${v}</td>`).join('')}</tr>`)
    .join('')
  return `<table class="counts"><caption>${escapeHtml(options.caption)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`
}

/** Rows of named records (`byDataset`) as a table: one row per name, one column per number. */
export function keyedTable(caption: string, keyTitle: string, rows: ReadonlyArray<[string, Readonly<Record<string, unknown>>]>, preferred: readonly string[]): string {
  const seen = new Set<string>()
  for (const [, stats] of rows) for (const [k, v] of Object.entries(stats)) if (typeof v === 'number') seen.add(k)
  const columns = [...preferred.filter((k) => seen.has(k)), ...[...seen].filter((k) => !preferred.includes(k)).sort()]
  const head = `<tr><th scope="col">${escapeHtml(keyTitle)}</th>${columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`
  const body = rows
    .map(([name, stats]) => `<tr><th scope="row">${escapeHtml(name)}</th>${columns.map((c) => `<td>${typeof stats[c] === 'number' ? escapeHtml(formatValue(stats[c])) : '—'}</td>`).join('')}</tr>`)
    .join('')
  return `<table class="keyed"><caption>${escapeHtml(caption)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`
}
