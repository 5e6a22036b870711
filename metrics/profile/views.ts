import type {BarChartSpec, HtmlKit, MarkdownKit, MetricViewInput, MetricViews} from '../../src/kernel/interfaces/index.js'
import type {FactorInfluence, JudgePairAlignment} from './types.js'

/**
 * PROFILE's part of report.html and summary.md: a factor × judge chart of τ with its
 * intervals, the alignment of each judge pair, and a sentence naming the most misaligned
 * factors. Everything is read from the summary, so an old report.json renders the same.
 */

/** How many misaligned factors the sentence names per judge pair. */
const NAMED = 2

type Factors = Record<string, Record<string, FactorInfluence>>
type PairAlignments = Record<string, JudgePairAlignment>

function factorsOf(input: MetricViewInput): Factors {
  const factors = input.summary['factors']
  return factors !== null && typeof factors === 'object' ? (factors as Factors) : {}
}

function pairsOf(input: MetricViewInput): PairAlignments {
  const pairs = input.summary['factorAlignment']
  return pairs !== null && typeof pairs === 'object' ? (pairs as PairAlignments) : {}
}

function judgesOf(factors: Factors): string[] {
  const seen = new Set<string>()
  for (const byJudge of Object.values(factors)) for (const judge of Object.keys(byJudge)) seen.add(judge)
  return [...seen]
}

function fixed(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(2)
}

/** The factor × judge chart: one bar per factor and judge, τ with its bootstrap interval. */
export function influenceChart(input: MetricViewInput): BarChartSpec | undefined {
  const factors = factorsOf(input)
  const names = Object.keys(factors)
  if (names.length === 0) return undefined
  const confidence = typeof input.params['confidence'] === 'number' ? input.params['confidence'] : 0.95
  return {
    kind: 'bar',
    title: `Factor influence τ per judge (${Math.round(confidence * 100)}% bootstrap intervals)`,
    labels: names,
    series: judgesOf(factors).map((judge) => ({
      label: judge,
      data: names.map((f) => factors[f]![judge]?.tau ?? null),
      intervals: names.map((f) => {
        const cell = factors[f]![judge]
        return cell?.low != null && cell.high != null ? [cell.low, cell.high] : null
      }),
    })),
    horizontal: names.length > 8,
    xTitle: 'factor',
    yTitle: 'Kendall τ-b (positive: the judge prefers more of the factor)',
  }
}

/**
 * One sentence per judge pair naming the factors they weigh most differently (difference
 * interval excluding 0, largest first) and which judge rewards each more.
 */
export function misalignmentSentences(input: MetricViewInput): string[] {
  const factors = factorsOf(input)
  return Object.entries(pairsOf(input)).map(([key, pair]) => {
    const [first, second] = key.split('~') as [string, string]
    const tau = (f: string, judge: string) => fixed(factors[f]?.[judge]?.tau)
    const describe = (f: string) => `${f} (τ ${tau(f, first)} vs ${tau(f, second)})`
    const named = pair.misaligned.slice(0, NAMED)
    if (named.length === 0) {
      const largest = Object.entries(pair.factors)
        .filter(([, d]) => d.difference !== null)
        .sort(([, d], [, e]) => Math.abs(e.difference!) - Math.abs(d.difference!))[0]
      if (largest === undefined) return `${first} and ${second}: no factor has a τ for both, so their alignment is undefined.`
      return `${first} and ${second} weigh no factor differently beyond its bootstrap interval; the largest difference is on ${describe(largest[0])}.`
    }
    const rewards = (judge: string, sign: number) => {
      const more = named.filter((f) => Math.sign(pair.factors[f]!.difference!) === sign)
      return more.length === 0 ? [] : [`${judge} rewards ${joinWords(more)} more`]
    }
    const who = [...rewards(first, 1), ...rewards(second, -1)].join('; ')
    return `${first} and ${second} disagree most on ${joinWords(named.map(describe))}: ${who}.`
  })
}

function joinWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** The misalignment sentences of each task (`byTask`), prefixed with the task's name. */
export function taskSentences(input: MetricViewInput): string[] {
  const byTask = input.summary['byTask']
  if (byTask === null || typeof byTask !== 'object') return []
  return Object.entries(byTask as Record<string, Record<string, unknown>>).flatMap(([task, summary]) => misalignmentSentences({...input, summary}).map((sentence) => `${task}: ${sentence}`))
}

function alignmentRows(input: MetricViewInput): Array<[string, string, string, string, string]> {
  return Object.entries(pairsOf(input)).map(([key, pair]) => [
    key,
    fixed(pair.spearman),
    pair.low === null || pair.high === null ? '—' : `[${fixed(pair.low)}, ${fixed(pair.high)}]`,
    `${pair.topK.shared}/${pair.topK.k}`,
    pair.misaligned.join(', ') || '—',
  ])
}

const ALIGNMENT_HEAD = ['judges', 'Spearman ρ of τ', 'interval', `top-k shared`, 'misaligned factors']

function html(input: MetricViewInput, kit: HtmlKit) {
  const chart = influenceChart(input)
  const sentences = misalignmentSentences(input)
  const blocks: string[] = []
  if (sentences.length > 0) blocks.push(`<p class="profile-misaligned">${sentences.map(kit.escape).join('<br>')}</p>`)
  const perTask = taskSentences(input)
  if (perTask.length > 0) blocks.push(`<p class="profile-misaligned-by-task">By task:<br>${perTask.map(kit.escape).join('<br>')}</p>`)
  const rows = alignmentRows(input)
  if (rows.length > 0) {
    const head = ALIGNMENT_HEAD.map((h) => `<th>${kit.escape(h)}</th>`).join('')
    const body = rows.map((r) => `<tr>${r.map((c) => `<td>${kit.escape(c)}</td>`).join('')}</tr>`).join('')
    blocks.push(`<table><caption>Factor-level alignment between judges</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`)
  }
  return {...(chart === undefined ? {} : {charts: [chart]}), blocks}
}

function markdown(input: MetricViewInput, kit: MarkdownKit): string {
  const factors = factorsOf(input)
  const names = Object.keys(factors)
  if (names.length === 0) return ''
  const judges = judgesOf(factors)
  const lines = [
    `| factor | ${judges.map(kit.escape).join(' | ')} |`,
    `| --- | ${judges.map(() => '---:').join(' | ')} |`,
    ...names.map((f) => {
      const cells = judges.map((j) => {
        const cell = factors[f]![j]
        if (cell === undefined) return '—'
        const interval = cell.low === null || cell.high === null ? '' : ` [${fixed(cell.low)}, ${fixed(cell.high)}]`
        return `${fixed(cell.tau)}${interval} (n=${cell.n})`
      })
      return `| ${kit.escape(f)} | ${cells.join(' | ')} |`
    }),
  ]
  const rows = alignmentRows(input)
  if (rows.length > 0) {
    lines.push('', `| ${ALIGNMENT_HEAD.join(' | ')} |`, `| --- | ---: | --- | ---: | --- |`, ...rows.map((r) => `| ${r.map(kit.escape).join(' | ')} |`))
  }
  const sentences = misalignmentSentences(input)
  if (sentences.length > 0) lines.push('', ...sentences.map(kit.escape))
  const perTask = taskSentences(input)
  if (perTask.length > 0) lines.push('', 'By task:', '', ...perTask.map((sentence) => `- ${kit.escape(sentence)}`))
  return `${lines.join('\n')}\n`
}

export const profileViews: MetricViews = {html, markdown, rowFields: ['task', 'prompt', 'source', 'response_a', 'response_b', 'preferences']}
