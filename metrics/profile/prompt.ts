import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {usageError} from '../../src/kernel/errors.js'

/**
 * A versioned prompt file (prompts/<name>.v<N>.md): sections `## system`, `## user` and
 * `## factors` ("- name: definition" lines). Its sha256 goes into the summary, so a report
 * says exactly which prompt text produced its LLM factors.
 */
export interface FactorPrompt {
  name: string
  file: string
  sha256: string
  system: string
  user: string
  /** Factor definitions, by name, in file order. */
  definitions: Map<string, string>
}

const PROMPTS_DIR = fileURLToPath(new URL('./prompts/', import.meta.url))

/** A prompt by name (`factor-scores.v1`, looked up in prompts/) or by path to a .md file. */
export function loadPrompt(ref: string): FactorPrompt {
  const file = ref.endsWith('.md') || ref.includes('/') ? ref : `${PROMPTS_DIR}${ref}.md`
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw usageError(`--param llmPrompt=${ref}: cannot read ${file} (${(error as Error).message}).`, 'Give a prompt name from metrics/profile/prompts (such as factor-scores.v1) or the path of a .md prompt file.')
  }
  const sections = new Map<string, string>()
  let current: string | undefined
  for (const line of text.split(/\r?\n/)) {
    const heading = /^## (\S+)\s*$/.exec(line)
    if (heading !== null) {
      current = heading[1]!.toLowerCase()
      sections.set(current, '')
    } else if (current !== undefined) {
      sections.set(current, `${sections.get(current)}${line}\n`)
    }
  }
  for (const needed of ['system', 'user', 'factors']) {
    if (!sections.has(needed)) throw usageError(`${file}: the prompt has no "## ${needed}" section.`, 'A prompt file has "## system", "## user" and "## factors" sections (see factor-scores.v1.md).')
  }
  const definitions = new Map<string, string>()
  for (const line of sections.get('factors')!.split('\n')) {
    const item = /^- ([a-z0-9][a-z0-9-]*):\s*(.+)$/.exec(line.trim())
    if (item !== null) definitions.set(item[1]!, item[2]!)
  }
  return {
    name: ref,
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    system: sections.get('system')!.trim(),
    user: sections.get('user')!.trim(),
    definitions,
  }
}
