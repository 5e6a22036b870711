import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {contentHash} from '../../kernel/content-hash.js'

/**
 * Chat answers on disk, one JSON file per request, so that a re-run with the same requests
 * sends nothing. The key is the sha256 of the canonical JSON of (base URL, model, messages,
 * the other request params): any change to the prompt, the model or a param is a new key.
 * The API key is not part of it. Files are written to a temporary name and renamed, so a
 * run killed mid-write leaves no half file.
 */
export interface CachedAnswer {
  key: string
  baseUrl: string
  model: string
  /** The request body sent (model, messages and params). */
  request: Record<string, unknown>
  /** The answer's text: `choices[0].message.content`. */
  content: string
  createdAt: string
}

export class ResponseCache {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  static key(baseUrl: string, body: Record<string, unknown>): string {
    return contentHash({baseUrl, body})
  }

  #file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`)
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    let text: string
    try {
      text = await readFile(this.#file(key), 'utf8')
    } catch {
      return undefined
    }
    try {
      const entry = JSON.parse(text) as CachedAnswer
      return entry.key === key && typeof entry.content === 'string' ? entry : undefined
    } catch {
      // A damaged entry is a miss: the request is sent again and the entry rewritten.
      return undefined
    }
  }

  async put(entry: CachedAnswer): Promise<void> {
    const file = this.#file(entry.key)
    await mkdir(dirname(file), {recursive: true})
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    await writeFile(temp, `${JSON.stringify(entry, null, 2)}\n`)
    await rename(temp, file)
  }
}

