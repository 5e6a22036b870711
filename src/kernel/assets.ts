import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/**
 * Reads a JSON file shipped beside the code (`src/...` when run from sources, `dist/src/...`
 * when built; the build copies them). `path` is relative to `src/`.
 */
export function loadJsonAsset<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), 'utf8')) as T
}
