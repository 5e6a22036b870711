/// <reference lib="dom" />
import assert from 'node:assert/strict'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {browserSkipReason, canvasInk, ReportBrowser, screenshot, type WatchedPage} from '../helpers/browser.js'
import {FIXTURES, runCli, tempDir} from '../helpers/cli.js'
import {ctcPack} from '../helpers/ctc-packs.js'
import {writeSyntheticRun} from '../helpers/synthetic-run.js'

const skip = browserSkipReason()
if (skip !== undefined) process.stdout.write(`# Skipping the browser tests: ${skip}\n`)

/** Every page: no console errors, no request beyond file: and data:, every chart drawn. */
async function assertCleanPage(watched: WatchedPage, minCharts: number): Promise<void> {
  assert.deepEqual(watched.consoleErrors, [], 'console errors')
  assert.deepEqual(watched.network, [], 'network requests')
  const ink = await canvasInk(watched.page)
  assert.ok(ink.length >= minCharts, `expected at least ${minCharts} charts, found ${ink.length}`)
  for (const chart of ink) assert.ok(chart.painted > 500, `chart ${chart.id} is empty (${chart.painted} painted pixels)`)
}

const countText = (w: WatchedPage) => w.page.locator('#count').textContent()
const bodyRows = (w: WatchedPage) => w.page.locator('#rows tbody tr').count()
const firstCell = (w: WatchedPage, column: number) => w.page.locator(`#rows tbody tr:first-child td:nth-child(${column})`).textContent()

async function search(w: WatchedPage, text: string): Promise<void> {
  const before = await countText(w)
  await w.page.fill('#search', text)
  await w.page.waitForFunction((previous) => document.getElementById('count')!.textContent !== previous, before)
}

describe('report.html in Chromium', {skip}, () => {
  let browser: ReportBrowser
  before(async () => {
    browser = await ReportBrowser.launch()
  })
  after(async () => {
    await browser?.close()
  })

  test('honesty: charts, the 3×3 counts table, search, sort and paging', {timeout: 120_000}, async () => {
    const out = tempDir()
    const result = await runCli(['eval', '-m', 'honesty', '-i', join(FIXTURES, 'honesty/synthetic.jsonl'), '-o', out])
    assert.equal(result.code, 0, result.stderr)
    const w = await browser.open(join(out, 'report.html'))
    await assertCleanPage(w, 2)
    const counts = await w.page.locator('table.counts tbody td').allTextContents()
    assert.equal(counts.length, 9)
    assert.equal(counts.map(Number).reduce((a, b) => a + b, 0) > 0, true)

    assert.match((await countText(w))!, /^160 of 160 rows · 1–50 · page 1 of 4$/)
    assert.equal(await bodyRows(w), 50)
    await w.page.click('#next')
    assert.match((await countText(w))!, /51–100 · page 2 of 4/)
    await w.page.click('#rows th[data-key="id"]')
    await w.page.click('#rows th[data-key="id"]')
    assert.equal(await firstCell(w, 2), 's159')
    await search(w, 's042')
    assert.match((await countText(w))!, /^1 of 160 rows/)
    assert.equal(await firstCell(w, 2), 's042')
    await search(w, '')
    // Each row shows its input: the question and the response, beside its labels.
    const input = await w.page.locator('#rows tbody tr:first-child td:nth-child(3) .in .name').allTextContents()
    assert.ok(input.includes('question') && input.includes('response'), input.join(', '))
    await screenshot(w.page, 'honesty')
    await w.page.close()
  })

  test('alignscore: inputs with the best chunk marked and expandable, the label-split histogram, ROC with chance line, stat meanings, rows linked to scores.jsonl', {timeout: 180_000}, async () => {
    const tiny = join(FIXTURES, 'alignscore/tiny')
    const pack = join(tempDir(), 'pack')
    const converted = await runCli(['models', 'convert', '--checkpoint', join(tiny, 'AlignScore-tiny.ckpt'), '--config', join(tiny, 'config.json'), '--tokenizer', join(tiny, 'tokenizer.json'), '--arch', 'alignscore', '--out', pack])
    assert.equal(converted.code, 0, converted.stderr)
    const out = tempDir()
    const result = await runCli(['eval', '-m', 'alignscore', '-i', join(FIXTURES, 'alignscore/pairs.jsonl'), '--model', pack, '-o', out])
    assert.equal(result.code, 0, result.stderr)
    const w = await browser.open(join(out, 'report.html'))
    await assertCleanPage(w, 3)
    // The curve covers the rows rocAuc does (dev rows only tune the threshold), so its area is that stat.
    const summary = (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {metrics: Record<string, {summary: Record<string, number>}>}).metrics['alignscore']!.summary
    const roc = (await w.page.locator('canvas[aria-label^="ROC curve ("]').getAttribute('aria-label'))!
    assert.match(roc, /dev rows left out, AUC /)
    assert.equal(Number(/AUC ([\d.]+)/.exec(roc)![1]), Number(summary['rocAuc']!.toFixed(4)))
    assert.equal(await w.page.locator('canvas[aria-label$="by label)"]').count(), 1)
    // Each stat's meaning is on its line of the stats table.
    assert.match((await w.page.locator('section.metric table.stats tr', {hasText: 'rocAuc'}).first().locator('td.meaning').textContent())!, /\w+/)

    // The first row: its number, its line in scores.jsonl, its input line; context, claim and label shown.
    const rowCell = w.page.locator('#rows tbody tr:first-child td:nth-child(1)')
    assert.match((await rowCell.textContent())!, /^0scores\.jsonl:1input line 1$/)
    assert.equal(await rowCell.locator('a.line').getAttribute('href'), 'scores.jsonl')
    const names = await w.page.locator('#rows tbody tr:first-child td:nth-child(3) .in .name').allTextContents()
    assert.deepEqual(names.slice(0, 3), ['context', 'claim', 'label'])

    // A long context: shortened near its best chunk, which is marked; "more" shows the kept text.
    await search(w, 'long-800-words')
    assert.match((await countText(w))!, /^1 of 65 rows/)
    const context = w.page.locator('#rows tbody tr:first-child .in').first()
    const short = (await context.locator('.text').textContent())!.length
    assert.ok(short < 300, `shortened to ${short} characters`)
    assert.ok((await context.locator('mark.best').count()) >= 1, 'best chunk marked')
    assert.match((await context.locator('mark.best').first().getAttribute('title'))!, /^chunk \d+ of \d+: the best for claim sentence 1 /)
    await context.locator('button.more').click()
    const opened = w.page.locator('#rows tbody tr:first-child .in').first()
    assert.equal(await opened.locator('button.more').getAttribute('aria-expanded'), 'true')
    assert.ok((await opened.locator('.text').textContent())!.length >= 1000)
    assert.match((await opened.locator('.cut').textContent())!, /^\(first 1000 of \d+ characters\)$/)
    await screenshot(w.page, 'alignscore-long-row')
    // An expanded field stays expanded when the table is drawn again.
    await search(w, '')
    await search(w, 'long-800-words')
    assert.equal(await w.page.locator('#rows tbody tr:first-child button.more').first().getAttribute('aria-expanded'), 'true')
    await search(w, '')
    await screenshot(w.page, 'alignscore-inputs')
    await w.page.close()
  })

  test('rating-ranking: the confusion heatmap and consistency by annotator', {timeout: 120_000}, async () => {
    const out = tempDir()
    const result = await runCli(['eval', '-m', 'rating-ranking', '-i', join(FIXTURES, 'rating-ranking/handmade/pairs.jsonl'), '--on-error', 'skip', '-o', out])
    assert.equal(result.code, 0, result.stderr)
    const w = await browser.open(join(out, 'report.html'))
    await assertCleanPage(w, 2)
    assert.equal(await w.page.locator('canvas[aria-label^="Preference from ratings"]').count(), 1)
    await search(w, 'duplicate')
    assert.match((await countText(w))!, /^1 of 7 rows/)
    assert.equal(await firstCell(w, 2), 'p7')
    await screenshot(w.page, 'rating-ranking')
    await w.page.close()
  })

  test('ctc: the aspect means chart and table, and each row\'s poorly aligned tokens highlighted under the run\'s threshold', {timeout: 180_000}, async () => {
    // Summarization rows of the ctc parity fixture (a long document, clean-up cases), with an E aligner: it gives per-token scores.
    const ids = new Set(['sum-short', 'sum-long-document', 'sum-cleanup', 'sum-upper-quotes', 'sum-newline-summary'])
    const rows = readFileSync(join(FIXTURES, 'ctc/rows.jsonl'), 'utf8').split('\n').filter((l) => l !== '' && ids.has((JSON.parse(l) as {id: string}).id))
    const input = join(tempDir(), 'summaries.jsonl')
    writeFileSync(input, rows.join('\n') + '\n')
    const out = tempDir()
    const result = await runCli(['eval', '-m', 'ctc', '--param', 'aspect=consistency,relevance', '--model', await ctcPack('e-bert-l1'), '-i', input, '-o', out])
    assert.equal(result.code, 0, result.stderr)
    const summary = (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {metrics: Record<string, {summary: {tokenThresholds: Record<string, number>}}>}).metrics['ctc']!.summary
    const w = await browser.open(join(out, 'report.html'))
    await assertCleanPage(w, 1)
    assert.equal(await w.page.locator('canvas[aria-label="Mean per aspect"]').count(), 1)
    const aspects = await w.page.locator('section.metric[data-metric="ctc"] table caption', {hasText: 'CTC aspects'}).locator('xpath=..').locator('tbody td:first-child').allTextContents()
    assert.deepEqual(aspects, ['consistency', 'relevance'])
    assert.match((await countText(w))!, /^5 of 5 rows/)

    // Each row: the summary's tokens per aspect, those under the aspect's threshold marked.
    for (const aspect of ['consistency', 'relevance']) {
      const threshold = summary.tokenThresholds[aspect]!
      assert.equal(typeof threshold, 'number')
      const tokens = await w.page.$$eval(`#rows tbody .sentences[data-spans="tokens.${aspect}"] .sent`, (spans) => spans.map((s) => ({bad: s.classList.contains('unsupported'), score: Number(/score (-?[\d.]+)/.exec(s.getAttribute('title') ?? '')?.[1])})))
      assert.ok(tokens.length >= 20, `${aspect}: ${tokens.length} tokens shown`)
      assert.ok(tokens.some((t) => t.bad) && tokens.some((t) => !t.bad), `${aspect}: both marked and unmarked tokens`)
      for (const t of tokens) assert.equal(t.bad, t.score < threshold, `${aspect}: ${JSON.stringify(t)} vs threshold ${threshold}`)
    }
    // The inputs the aspects read: document, summary and references.
    const names = await w.page.locator('#rows tbody tr:first-child td:nth-child(3) .in .name').allTextContents()
    assert.deepEqual(names, ['document', 'summary', 'references'])
    await screenshot(w.page, 'ctc')
    await search(w, 'sum-long-document')
    assert.match((await countText(w))!, /^1 of 5 rows/)
    await screenshot(w.page, 'ctc-long-row')
    await w.page.close()
  })

  test('profile: the factor influence chart with its intervals, the alignment table and the misaligned factors', {timeout: 120_000}, async () => {
    const out = tempDir()
    const result = await runCli(['eval', '-m', 'profile', '-i', join(FIXTURES, 'profile/supplied.jsonl'), '--param', 'factors=', '--param', 'bootstrap=200', '-o', out])
    assert.equal(result.code, 0, result.stderr)
    const w = await browser.open(join(out, 'report.html'))
    await assertCleanPage(w, 1)
    const chart = w.page.locator('canvas[aria-label^="Factor influence τ per judge (95% bootstrap intervals)"]')
    assert.equal(await chart.count(), 1)
    const section = w.page.locator('section.metric[data-metric="profile"]')
    const alignment = section.locator('table', {has: w.page.locator('caption', {hasText: 'Factor-level alignment between judges'})})
    assert.equal(await alignment.count(), 1)
    assert.ok((await alignment.locator('tbody tr').count()) >= 2, 'a line per judge pair')
    assert.match((await section.locator('p.profile-misaligned').textContent())!, /\w+/)
    assert.match((await countText(w))!, /^60 of 60 rows/)
    // Each row shows the pair it compares.
    const names = await w.page.locator('#rows tbody tr:first-child td:nth-child(3) .in .name').allTextContents()
    assert.ok(names.includes('response_a') && names.includes('response_b'), names.join(', '))
    await screenshot(w.page, 'profile')
    await w.page.close()
  })

  test('100,000 rows: the page embeds a stated selection, loads, pages, sorts and searches quickly; unsupported sentences marked; links keep their scores.jsonl lines', {timeout: 300_000}, async (t) => {
    const out = tempDir()
    writeSyntheticRun(out, {rows: 100_000, ids: true})
    const rendered = await runCli(['report', join(out, 'report.json'), '--format', 'html'])
    assert.equal(rendered.code, 0, rendered.stderr)
    const file = join(out, 'report.html')
    const started = Date.now()
    const w = await browser.open(file)
    const loadMs = Date.now() - started
    assert.ok(loadMs < 30_000, `load took ${loadMs} ms`)
    await assertCleanPage(w, 2)
    // Only the visible page is in the DOM.
    assert.equal(await bodyRows(w), 50)
    // A selection (worst 250, best 250, a sample of 1,000, overlapping), and the page says so.
    const stated = (await w.page.locator('#rows-shown').textContent())!
    const shown = Number(/^This page shows (\d+) of the 100000 rows/.exec(stated)?.[1])
    assert.ok(shown > 1000 && shown <= 1500, stated)
    const pages = Math.ceil(shown / 50)
    assert.match((await countText(w))!, new RegExp(`^${shown} of ${shown} rows · 1–50 · page 1 of ${pages}$`))
    // Rows are in row order; each links its own line of scores.jsonl (row r is line r + 1).
    const links = await w.page.$$eval('#rows tbody tr', (trs) => trs.map((tr) => ({row: Number(tr.querySelector('td')!.childNodes[0]!.textContent), line: tr.querySelector('a.line')!.textContent})))
    for (const link of links) assert.equal(link.line, `scores.jsonl:${link.row + 1}`)
    assert.ok(links.some((l) => l.row > 50), 'a selection, not the first rows')

    // Threshold 0.42 from the summary: sentences below it are marked, the others are not.
    const marks = await w.page.$$eval('#rows tbody .sent', (spans) => spans.map((s) => ({bad: s.classList.contains('unsupported'), score: Number(/score ([\d.]+)/.exec(s.getAttribute('title') ?? '')?.[1])})))
    assert.ok(marks.some((m) => m.bad) && marks.some((m) => !m.bad), 'both supported and unsupported sentences on the first page')
    for (const m of marks) assert.equal(m.bad, m.score < 0.42, JSON.stringify(m))

    const timed = async (what: string, action: () => Promise<unknown>, limitMs: number) => {
      const t0 = Date.now()
      await action()
      const ms = Date.now() - t0
      assert.ok(ms < limitMs, `${what} took ${ms} ms (limit ${limitMs})`)
    }
    await timed('last page', () => w.page.click('#last'), 2_000)
    assert.match((await countText(w))!, new RegExp(`· page ${pages} of ${pages}$`))
    await timed('sort by score', () => w.page.click('#rows th[data-key="alignscore"]'), 5_000)
    // The worst rows are always in the selection, so the lowest score of the run comes first.
    const lowest = Number((await w.page.locator('#rows tbody tr:first-child .score').textContent())!)
    assert.ok(lowest < 0.01, `lowest score first, got ${lowest}`)
    const id = (await firstCell(w, 2))!
    await timed('search', () => search(w, id), 5_000)
    assert.match((await countText(w))!, new RegExp(`^1 of ${shown} rows`))
    await search(w, '')

    assert.equal(await w.page.locator('table.keyed tbody tr').count(), 4)
    // The histogram counts every row, not only those shown.
    const title = await w.page.locator('canvas[aria-label^="Score distribution"]').getAttribute('aria-label')
    assert.match(title!, /\(100000 rows\)/)
    await screenshot(w.page, 'alignscore-100k')
    t.diagnostic(`100,000-row report.html: ${(statSync(file).size / 1e6).toFixed(1)} MB, ready in ${loadMs} ms`)
    await w.page.close()
  })

  test('compare --format html: the baseline comparison section', {timeout: 120_000}, async () => {
    const base = join(tempDir(), 'base')
    const head = join(tempDir(), 'head')
    writeSyntheticRun(base, {rows: 300, ids: true})
    writeSyntheticRun(head, {rows: 300, ids: true, shift: -0.3, shiftEvery: 7, summary: {rocAuc: 0.7}})
    const file = join(tempDir(), 'compare.html')
    const result = await runCli(['compare', join(base, 'report.json'), join(head, 'report.json'), '--format', 'html', '--output', file])
    assert.equal(result.code, 0, result.stderr)
    const w = await browser.open(file)
    await assertCleanPage(w, 3)
    const section = w.page.locator('#comparison')
    assert.match((await section.locator('h2').textContent())!, /regressed/)
    assert.match((await section.locator('tr.fail th').first().textContent())!, /^(mean|rocAuc)/)
    assert.ok((await section.locator('table.movers tbody tr').count()) > 0)
    await screenshot(w.page, 'compare')
    await w.page.close()
  })
})
