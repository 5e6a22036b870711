/// <reference lib="dom" />
// DOM types for the code that page.evaluate runs in the browser.
import {existsSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {chromium, type BrowserContext, type Page} from 'playwright-core'

import {ROOT, tempDir} from './cli.js'

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium'

/** Screenshots for people to look at; test-output/ is git-ignored. */
export const SCREENSHOTS = join(ROOT, 'test-output/html-browser')

/**
 * Why the browser tests cannot run, or undefined when they can. Only a developer machine
 * without Chromium skips them; in CI (CI=true) a missing browser is a failure.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  if (process.env['CI'] === 'true') throw new Error(`${CHROMIUM} is missing, and CI=true: the browser tests must run in CI. .ci/run installs it with apt-get install -y chromium.`)
  return `${CHROMIUM} is not installed: run \`apt-get install -y chromium\` to run the browser tests.`
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** A page with everything it did that a report must not do: console errors and network requests. */
export interface WatchedPage {
  page: Page
  consoleErrors: string[]
  /** URLs other than file: and data: that the page asked for (each was aborted). */
  network: string[]
}

export class ReportBrowser {
  readonly #context: BrowserContext

  private constructor(context: BrowserContext) {
    this.#context = context
  }

  /** Launches Chromium with a fresh profile folder. */
  static async launch(): Promise<ReportBrowser> {
    const context = await chromium.launchPersistentContext(tempDir('chromium-profile'), {executablePath: CHROMIUM, args: ARGS, headless: true, viewport: {width: 1280, height: 900}})
    return new ReportBrowser(context)
  }

  /** Opens a report file and waits until its script has drawn the charts and the table. */
  async open(file: string): Promise<WatchedPage> {
    const page = await this.#context.newPage()
    const watched: WatchedPage = {page, consoleErrors: [], network: []}
    page.on('console', (message) => {
      if (message.type() === 'error') watched.consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => watched.consoleErrors.push(`page error: ${error.message}`))
    await page.route('**/*', async (route) => {
      const url = route.request().url()
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue()
      watched.network.push(url)
      return route.abort()
    })
    await page.goto(pathToFileURL(file).href)
    await page.waitForSelector('html[data-ready="true"]', {state: 'attached', timeout: 60_000})
    return watched
  }

  async close(): Promise<void> {
    await this.#context.close()
  }
}

/** Painted (non-transparent) pixels of each canvas on the page, in document order. */
export function canvasInk(page: Page): Promise<Array<{id: string; painted: number}>> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      let painted = 0
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++
      return {id: canvas.id, painted}
    }),
  )
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, {recursive: true})
  const file = join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({path: file, fullPage: true})
  return file
}
