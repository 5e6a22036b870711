import {fileURLToPath} from 'node:url'

import {readPromptFile, type PromptFile} from '../../src/engine/llm/index.js'
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

const PROMPT_SECTIONS = ['system', 'user', 'factors'] as const
const PROMPTS_DIR = fileURLToPath(new URL('./prompts/', import.meta.url))

/** A prompt by name (`factor-scores.v1`, looked up in prompts/) or by path to a .md file. */
export function loadPrompt(ref: string): FactorPrompt {
  const file = ref.endsWith('.md') || ref.includes('/') ? ref : `${PROMPTS_DIR}${ref}.md`
  let prompt: PromptFile
  try {
    prompt = readPromptFile(file, PROMPT_SECTIONS)
  } catch (error) {
    throw usageError(`--param llmPrompt=${ref}: ${(error as Error).message}.`, 'Give a prompt name from metrics/profile/prompts (such as factor-scores.v1) or the path of a .md prompt file with "## system", "## user" and "## factors" sections.')
  }
  const definitions = new Map<string, string>()
  for (const line of prompt.sections.get('factors')!.split('\n')) {
    const item = /^- ([a-z0-9][a-z0-9-]*):\s*(.+)$/.exec(line.trim())
    if (item !== null) definitions.set(item[1]!, item[2]!)
  }
  return {
    name: ref,
    file,
    sha256: prompt.sha256,
    system: prompt.sections.get('system')!.trim(),
    user: prompt.sections.get('user')!.trim(),
    definitions,
  }
}
