import {readFileSync} from 'node:fs'

/**
 * What a trained Punkt model knows, as NLTK's `punkt_tab` data stores it: four plain-text
 * tables per language. Types are lower-cased tokens; numbers appear as `##number##`.
 */
export interface PunktParameters {
  /** Abbreviations, without their final period: `dr`, `u.s`, and `. . ` (a spaced ellipsis). */
  readonly abbrevTypes: ReadonlySet<string>
  /** Word pairs that a period between them does not split, keyed by {@link collocationKey}. */
  readonly collocations: ReadonlySet<string>
  /** Words that often start a sentence (`however`, `the`). */
  readonly sentStarters: ReadonlySet<string>
  /** Per type, the case/position flags it was seen with in training (see orthography.ts). */
  readonly orthoContext: ReadonlyMap<string, number>
}

/** The contents of the four `punkt_tab` files of one language. */
export interface PunktTabFiles {
  /** `abbrev_types.txt`: one type a line. */
  abbrevTypes: string
  /** `collocations.tab`: `first<TAB>second` a line. */
  collocations: string
  /** `sent_starters.txt`: one type a line. */
  sentStarters: string
  /** `ortho_context.tab`: `type<TAB>flags` a line. */
  orthoContext: string
}

/** File names inside a `punkt_tab/<language>/` folder, as NLTK reads them. */
export const PUNKT_TAB_FILE_NAMES: Readonly<Record<keyof PunktTabFiles, string>> = {
  abbrevTypes: 'abbrev_types.txt',
  collocations: 'collocations.tab',
  sentStarters: 'sent_starters.txt',
  orthoContext: 'ortho_context.tab',
}

/** The key of the collocation (first, second) in {@link PunktParameters.collocations}. */
export function collocationKey(first: string, second: string): string {
  return `${first}\t${second}`
}

/** Thrown for a `punkt_tab` file NLTK could not have loaded either. */
export class PunktTabError extends Error {
  override name = 'PunktTabError'
}

/**
 * The lines of a table as NLTK's decoder sees them: Python's text mode turns `\r\n` and `\r`
 * into `\n`, and each line loses only its newline (other whitespace is part of the entry;
 * English has the abbreviation `. . ` with a trailing space).
 */
function tableLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

function tabFields(line: string, where: string, count: number): string[] {
  const fields = line.split('\t')
  if (fields.length !== count) {
    throw new PunktTabError(`${where}: expected ${count} tab-separated fields, found ${fields.length}. Use the file from NLTK's punkt_tab data unchanged.`)
  }
  return fields
}

/** Builds parameters from the four `punkt_tab` tables, checking their shape once here. */
export function parsePunktTab(files: PunktTabFiles): PunktParameters {
  const collocations = new Set<string>()
  tableLines(files.collocations).forEach((line, i) => {
    const [first, second] = tabFields(line, `${PUNKT_TAB_FILE_NAMES.collocations}:${i + 1}`, 2)
    collocations.add(collocationKey(first!, second!))
  })

  const orthoContext = new Map<string, number>()
  tableLines(files.orthoContext).forEach((line, i) => {
    const where = `${PUNKT_TAB_FILE_NAMES.orthoContext}:${i + 1}`
    const [type, flags] = tabFields(line, where, 2)
    if (!/^\d+$/.test(flags!)) throw new PunktTabError(`${where}: flags "${flags}" are not a non-negative integer.`)
    orthoContext.set(type!, Number(flags))
  })

  return {
    abbrevTypes: new Set(tableLines(files.abbrevTypes)),
    collocations,
    sentStarters: new Set(tableLines(files.sentStarters)),
    orthoContext,
  }
}

/** Reads a `punkt_tab/<language>/` folder (a path, or a `file:` URL ending in `/`). */
export function readPunktTab(folder: string | URL): PunktParameters {
  const read = (name: string): string => readFileSync(typeof folder === 'string' ? `${folder}/${name}` : new URL(name, folder), 'utf8')
  return parsePunktTab({
    abbrevTypes: read(PUNKT_TAB_FILE_NAMES.abbrevTypes),
    collocations: read(PUNKT_TAB_FILE_NAMES.collocations),
    sentStarters: read(PUNKT_TAB_FILE_NAMES.sentStarters),
    orthoContext: read(PUNKT_TAB_FILE_NAMES.orthoContext),
  })
}

/** The folder holding the English tables (copied next to the built code by copy-assets). */
export const ENGLISH_PUNKT_TAB = new URL('./english/', import.meta.url)

let english: PunktParameters | undefined

/** NLTK's English parameters (see english/README.md), read on first use and kept. */
export function englishParameters(): PunktParameters {
  english ??= readPunktTab(ENGLISH_PUNKT_TAB)
  return english
}
