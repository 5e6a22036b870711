import {existsSync} from 'node:fs'
import {readFile, readdir, rm, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {usageError} from '../kernel/errors.js'
import {modelsDir} from './cache.js'
import {KNOWN_MODELS} from './known.js'
import {pullModel, type PullOptions} from './pull.js'
import {MANIFEST, openPack, packQuantization, type ModelPack, type PackManifest, type PackQuantization} from './pack.js'

export interface StoreEntry {
  name: string
  description: string
  /** Whether a pack of this name is in the cache. */
  cached: boolean
  /** Bytes on disk when cached. */
  bytes?: number
  path?: string
  /** A model `models pull` knows, or a pack converted from a local checkpoint. */
  kind: 'known' | 'converted'
  /** For a known model: roughly how much `models pull` downloads. */
  downloadBytes?: number
  /** A cached pack's precision and, for int8, how it was quantized (its manifest). */
  precision?: PackManifest['precision']
  quantization?: PackQuantization
}

/** Known models and every pack in the cache, known ones first. */
export async function listModels(): Promise<StoreEntry[]> {
  const dir = modelsDir()
  const cachedNames = (await readdir(dir, {withFileTypes: true}).catch(() => [])).filter((e) => e.isDirectory() && existsSync(join(dir, e.name, MANIFEST))).map((e) => e.name)
  const entries: StoreEntry[] = []
  for (const model of KNOWN_MODELS) {
    const cached = cachedNames.includes(model.name)
    entries.push({
      name: model.name,
      description: model.description,
      kind: 'known',
      cached,
      downloadBytes: model.downloadBytes,
      ...(cached ? {path: join(dir, model.name), bytes: await folderBytes(join(dir, model.name)), ...(await precisionOf(join(dir, model.name)))} : {}),
    })
  }
  for (const name of cachedNames.filter((n) => !KNOWN_MODELS.some((m) => m.name === n)).sort()) {
    entries.push({name, description: 'converted from a local checkpoint', kind: 'converted', cached: true, path: join(dir, name), bytes: await folderBytes(join(dir, name)), ...(await precisionOf(join(dir, name)))})
  }
  return entries
}

/** A pack by cache name or by path (anything with a slash, or an existing folder). */
export async function resolvePack(ref: string, options: {verify?: 'size' | 'sha256'} = {}): Promise<ModelPack> {
  const asPath = looksLikePath(ref) ? resolve(ref) : join(modelsDir(), ref)
  if (!existsSync(asPath)) {
    throw usageError(`Model "${ref}" is not in the cache (${modelsDir()}).`, `Fetch it with \`alignctl models pull ${ref}\`, or give the path of a pack folder.`)
  }
  return openPack(asPath, options)
}

export async function removeModel(name: string): Promise<string> {
  const dir = join(modelsDir(), name)
  if (name.includes('/') || name.startsWith('.') || !existsSync(join(dir, MANIFEST))) {
    throw usageError(`No cached model named "${name}".`, 'Run `alignctl models list` to see the cached ones.')
  }
  await rm(dir, {recursive: true, force: true})
  return dir
}

/** A cached pack's precision and quantization from its manifest; nothing when the manifest cannot be read (`models verify` says why). */
async function precisionOf(dir: string): Promise<Pick<StoreEntry, 'precision' | 'quantization'>> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as PackManifest
    const quantization = packQuantization(manifest)
    return {precision: manifest.precision, ...(quantization === undefined ? {} : {quantization})}
  } catch {
    return {}
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    total += entry.isDirectory() ? await folderBytes(path) : (await stat(path)).size
  }
  return total
}

/**
 * A pack by name or folder; a known model that is not cached yet is pulled and converted
 * first (the first `eval` with it does the download).
 */
export async function ensurePack(ref: string, pull: PullOptions): Promise<ModelPack> {
  if (!looksLikePath(ref) && KNOWN_MODELS.some((m) => m.name === ref) && !existsSync(join(modelsDir(), ref, MANIFEST))) {
    return pullModel(ref, pull)
  }
  return resolvePack(ref)
}

/** A model reference that names a folder: it has a slash, starts with a dot, or is an existing pack folder here. */
function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.startsWith('.') || existsSync(join(ref, MANIFEST))
}
