import type {HtmlKit, MarkdownKit} from '../kernel/interfaces/index.js'
import {formatValue} from './flatten.js'
import {escapeHtml} from './html-text.js'
import {countsTable, keyedTable} from './tables.js'

/** What a metric's html view is given to escape and lay out its blocks as the page does. */
export const HTML_KIT: HtmlKit = {escape: escapeHtml, formatValue, countsTable, keyedTable}

/** What a metric's markdown view is given: values from the data never become markup. */
export const MARKDOWN_KIT: MarkdownKit = {escape: escapeMarkdown, formatValue}

/**
 * Text from the data as inert GitHub-flavoured Markdown: HTML is escaped (GitHub renders raw
 * tags in job summaries and comments), and the characters that start links, emphasis, code or
 * table cells are backslash-escaped; newlines become spaces so a value stays in its cell.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~!#])/g, '\\$1')
}
