import cliProgress from 'cli-progress'

import type {ProgressSink} from './runner.js'

/**
 * A progress bar on stderr when a person is watching (a TTY, not CI, not `--json`);
 * otherwise nothing, so logs and piped output stay clean.
 */
export function createProgress(options: {enabled: boolean}): ProgressSink {
  if (!options.enabled) return {start() {}, advance() {}, stop() {}}
  let bar: cliProgress.SingleBar | undefined
  return {
    start(label, total) {
      bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left`,
          stream: process.stderr,
          hideCursor: true,
          // Metrics report progress inside a batch, so the value can be a fraction: rows shown are those finished.
          formatValue: (value, _options, type) => (type === 'value' ? String(Math.floor(Number(value) + 1e-9)) : String(value)),
        },
        cliProgress.Presets.shades_classic,
      )
      bar.start(total, 0)
    },
    advance(n) {
      bar?.increment(n)
    },
    stop() {
      bar?.stop()
      bar = undefined
    },
  }
}

/** Whether a progress bar should be shown for this process. */
export function progressWanted(json: boolean): boolean {
  return Boolean(process.stderr.isTTY) && !json && !process.env['CI']
}

/** Progress of one step at a time ("downloading x 40%") on stderr; silent unless a person watches. */
export interface StepProgress {
  update: (message: string, fraction: number | undefined) => void
  done: () => void
}

export function createStepProgress(options: {json: boolean}): StepProgress {
  if (!progressWanted(options.json)) return {update() {}, done() {}}
  let last = ''
  let shown = false
  return {
    update(message, fraction) {
      const line = fraction === undefined ? message : `${message} ${Math.floor(fraction * 100)}%`
      if (line === last) return
      last = line
      shown = true
      process.stderr.write(`\r\x1b[2K${line}`)
    },
    done() {
      if (shown) process.stderr.write('\n')
      shown = false
    },
  }
}
