import {EnginePool} from './pool.js'
import {checkPackGraph} from './graph-check.js'
import {resolvePack} from '../models/store.js'

export interface PackVerification {
  dir: string
  name: string
  files: number
  inputs: string[]
  outputs: string[]
}

/** Full check of a pack: manifest schema, every file's size and sha256, and its graph's signature. */
export async function verifyPack(ref: string): Promise<PackVerification> {
  const pack = await resolvePack(ref, {verify: 'sha256'})
  const pool = new EnginePool({workers: 1, threads: 1})
  try {
    const probe = await checkPackGraph(pool, pack)
    return {dir: pack.dir, name: pack.manifest.name, files: pack.manifest.files.length, inputs: probe.inputs.map((i) => i.name), outputs: probe.outputs.map((o) => o.name)}
  } finally {
    await pool.destroy()
  }
}
