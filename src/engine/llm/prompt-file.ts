import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'

/**
 * A prompt kept as a text file, split into named sections (`## <name>` on a line of its own;
 * only the names the caller asks for count as headings, so other `## ` or `# ` lines are part
 * of the text). Text before the first section is a comment. A section's text is its lines up
 * to the next section, less leading and trailing empty lines; everything else is kept as
 * written, trailing spaces included, so a prompt can be reproduced to the byte. The sha256 of
 * the whole file goes into a report, so that it says which prompt text produced its answers.
 */
export interface PromptFile {
  file: string
  /** sha256 of the file's bytes, hex. */
  sha256: string
  sections: ReadonlyMap<string, string>
}

/**
 * Reads `file` and returns the sections named in `names`. Throws an Error whose message says
 * what is wrong (unreadable file, a missing section); the caller adds which param gave the file.
 */
export function readPromptFile(file: string, names: readonly string[]): PromptFile {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    throw new Error(`cannot read ${file} (${(error as Error).message})`)
  }
  const wanted = new Set(names)
  const sections = new Map<string, string[]>()
  let current: string[] | undefined
  for (const line of bytes.toString('utf8').split(/\r?\n/)) {
    const heading = /^## (\S+)\s*$/.exec(line)
    if (heading !== null && wanted.has(heading[1]!)) {
      if (sections.has(heading[1]!)) throw new Error(`${file} has the section "## ${heading[1]}" twice`)
      current = []
      sections.set(heading[1]!, current)
    } else {
      current?.push(line)
    }
  }
  const missing = names.filter((name) => !sections.has(name))
  if (missing.length > 0) throw new Error(`${file} has no ${missing.map((m) => `"## ${m}"`).join(', ')} section${missing.length === 1 ? '' : 's'} (a prompt file for this step needs ${names.map((n) => `"## ${n}"`).join(', ')})`)
  const text = new Map<string, string>()
  for (const [name, lines] of sections) {
    let start = 0
    let end = lines.length
    while (start < end && lines[start] === '') start++
    while (end > start && lines[end - 1] === '') end--
    text.set(name, lines.slice(start, end).join('\n'))
  }
  return {file, sha256: createHash('sha256').update(bytes).digest('hex'), sections: text}
}

/**
 * `template` with each `{{name}}` replaced by `values[name]`, in one pass (text from the data
 * that looks like a placeholder is not expanded again); unknown placeholders stay as they are.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole))
}
