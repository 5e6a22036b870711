import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runtimeError} from '../kernel/errors.js'
import {scriptForInline} from './html-text.js'

const require = createRequire(import.meta.url)

/**
 * The charting library, inlined into every report.html that has a chart so the page needs no
 * network. Chart.js (MIT) was chosen over uPlot: the summaries are categorical (label counts,
 * confusion matrices, per-dataset and per-annotator stats), which Chart.js draws as bar and,
 * with chartjs-chart-matrix (by a Chart.js maintainer), matrix charts with tooltips and
 * legends, where uPlot would need hand-drawn paths. The cost is ~210 KB per report, fixed
 * whatever the row count. Read once per process.
 */
export const CHART_LIBRARY = {
  chartJs: () => inlineModule('chart.js', 'chart.umd.min.js'),
  matrix: () => inlineModule('chartjs-chart-matrix', 'chartjs-chart-matrix.min.js'),
} as const

/** The page's own script and styles (src/report/page/, copied beside the build). */
export const PAGE = {
  script: () => pageFile('report.js'),
  style: () => pageFile('report.css'),
} as const

const cache = new Map<string, string>()

function once(key: string, read: () => string): string {
  let text = cache.get(key)
  if (text === undefined) {
    text = read()
    cache.set(key, text)
  }
  return text
}

/** A package's browser build, found from its main entry (the packages do not export these paths). */
function inlineModule(name: string, file: string): string {
  return once(`${name}/${file}`, () => {
    try {
      return scriptForInline(readFileSync(join(dirname(require.resolve(name)), file), 'utf8'))
    } catch (error) {
      throw runtimeError(`Cannot read ${name}/dist/${file} to inline in report.html: ${(error as Error).message}`, {cause: error, suggestions: ['Reinstall alignctl (npm ci) so its dependencies are complete.']})
    }
  })
}

function pageFile(file: string): string {
  return once(`page/${file}`, () => readFileSync(fileURLToPath(new URL(`./page/${file}`, import.meta.url)), 'utf8'))
}
