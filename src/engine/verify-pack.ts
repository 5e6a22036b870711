import {EnginePool} from './pool.js'
import {checkPackGraph} from './graph-check.js'
import {verifyDownloads} from '../models/downloads.js'
import {KNOWN_MODELS} from '../models/known.js'
import {checkPackFiles} from '../models/pack.js'
import {resolvePack} from '../models/store.js'

export interface PackVerification {
  dir: string
  name: string
  files: number
  inputs: string[]
  outputs: string[]
  /** For a known model: the files of its download cache that were checked (sha256 against the record, content). */
  downloads?: string[]
}

/**
 * Full check of a pack: manifest schema, every file's size and sha256, its JSON files parsed,
 * its graph's signature; for a known model by name, also its download cache (each file against
 * the sha256 recorded when it arrived, config.json and tokenizer.json parsed, the checkpoint's
 * header against its size). A damaged file is named, with `models pull --force` as the fix.
 */
export async function verifyPack(ref: string): Promise<PackVerification> {
  const pack = await resolvePack(ref, {verify: 'sha256'})
  await checkPackFiles(pack)
  const known = KNOWN_MODELS.find((m) => m.name === ref)
  const downloads = known === undefined ? undefined : await verifyDownloads(known)
  const pool = new EnginePool({workers: 1, threads: 1})
  try {
    const probe = await checkPackGraph(pool, pack)
    return {
      dir: pack.dir,
      name: pack.manifest.name,
      files: pack.manifest.files.length,
      inputs: probe.inputs.map((i) => i.name),
      outputs: probe.outputs.map((o) => o.name),
      ...(downloads === undefined ? {} : {downloads}),
    }
  } finally {
    await pool.destroy()
  }
}
