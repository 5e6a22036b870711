import {appendFileSync} from 'node:fs'
import {randomUUID} from 'node:crypto'

/**
 * The runner's side of a step: workflow commands on stdout (`::error::`), and the files
 * behind `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY`. Outside Actions (no such files) the
 * outputs and summary are skipped and the commands are plain log lines.
 */
export class Workflow {
  readonly #env: NodeJS.ProcessEnv
  readonly #write: (line: string) => void

  constructor(env: NodeJS.ProcessEnv, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.#env = env
    this.#write = write
  }

  info(message: string): void {
    this.#write(message)
  }

  warning(message: string): void {
    this.#write(`::warning::${escapeData(message)}`)
  }

  error(message: string): void {
    this.#write(`::error::${escapeData(message)}`)
  }

  /** Sets a step output; multi-line values use the heredoc form GitHub documents. */
  setOutput(name: string, value: string): void {
    const file = this.#env['GITHUB_OUTPUT']
    if (!file) return
    const delimiter = `alignctl_${randomUUID()}`
    appendFileSync(file, value.includes('\n') ? `${name}<<${delimiter}\n${value}\n${delimiter}\n` : `${name}=${value}\n`)
  }

  appendSummary(markdown: string): void {
    const file = this.#env['GITHUB_STEP_SUMMARY']
    if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`)
  }
}

/** A workflow command's message: `%`, CR and LF escaped so the whole message stays one command. */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/** The step output name for a summary number: `rating-ranking` + `byAnnotator.ann1.consistency` → `rating-ranking_byAnnotator_ann1_consistency`. */
export function outputName(metric: string, stat: string): string {
  return `${metric}_${stat.replaceAll('.', '_')}`.replaceAll(/[^A-Za-z0-9_-]/g, '_')
}
