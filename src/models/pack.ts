import {existsSync} from 'node:fs'
import {readFile, stat, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {loadJsonAsset} from '../kernel/assets.js'
import {inputError} from '../kernel/errors.js'
import {compileSchema} from '../kernel/schema.js'
import {sha256File} from './hub.js'

export const MANIFEST = 'alignctl-model.json'

/** What a pack's name may be (the manifest schema's rule): it names a folder in the cache. */
export const PACK_NAME = /^[a-z0-9][a-z0-9._-]*$/

export interface PackValue {
  name: string
  type: 'int64' | 'int32' | 'float32' | 'float16' | 'bool'
  dims: Array<number | string>
}

/** `alignctl-model.json`: what a model pack holds and where it came from. */
export interface PackManifest {
  schema: 'alignctl.model/v1'
  name: string
  architecture: 'bert' | 'roberta' | 'albert'
  task: 'alignscore' | 'ctc-d' | 'ctc-e' | 'ctc-r' | 'probe'
  layer?: number
  inputs: PackValue[]
  outputs: PackValue[]
  labels?: Record<string, string[]>
  maxLength: number
  tokenizer: {file: string; lowercase?: boolean}
  precision: 'fp32' | 'fp16' | 'int8'
  /** int8 packs: how they were quantized. Absent in int8 packs made before it was recorded, which quantized per batch ({@link packQuantization}). */
  quantization?: PackQuantization
  files: Array<{path: string; sha256: string; size: number}>
  source: {
    repo?: string
    revision?: string
    files?: string[]
    /** `models pull`: each downloaded file's sha256 and what it was checked against when it arrived. */
    checksums?: Record<string, {sha256: string; checkedAgainst: 'pinned' | 'hub-sha256' | 'hub-git-sha1' | 'none'}>
    checkpoint?: string
    converter: string
  }
  createdAt?: string
}

export interface PackQuantization {
  weights: 'int8-symmetric-per-channel'
  activations: 'uint8-dynamic-per-token' | 'uint8-dynamic-per-batch'
}

/** What `models convert` writes for an int8 pack. */
export const INT8_QUANTIZATION: PackQuantization = {weights: 'int8-symmetric-per-channel', activations: 'uint8-dynamic-per-token'}

/**
 * How a pack was quantized, for labels: its manifest's record, or for an int8 pack without
 * one (converted before alignctl recorded it, when every int8 graph used DynamicQuantizeMatMul)
 * per-batch activations; undefined for float packs.
 */
export function packQuantization(manifest: PackManifest): PackQuantization | undefined {
  if (manifest.quantization !== undefined) return manifest.quantization
  return manifest.precision === 'int8' ? {weights: 'int8-symmetric-per-channel', activations: 'uint8-dynamic-per-batch'} : undefined
}

/** A pack directory whose manifest has been read and checked. */
export interface ModelPack {
  dir: string
  manifest: PackManifest
  /** Absolute path of the ONNX graph. */
  model: string
  tokenizer: string
}

const validateManifest = compileSchema(loadJsonAsset('models/schemas/pack.schema.json'))

/**
 * Opens a pack directory: the manifest must satisfy its schema, every listed file must exist
 * with its recorded size, and with `verify: 'sha256'` its recorded hash. Errors name the
 * pack and the file at fault.
 */
export async function openPack(dir: string, options: {verify?: 'size' | 'sha256'} = {}): Promise<ModelPack> {
  const root = resolve(dir)
  const manifestFile = join(root, MANIFEST)
  if (!existsSync(manifestFile)) {
    throw inputError(`${root}: not a model pack (no ${MANIFEST}).`, 'Give a folder made by `alignctl models pull` or `alignctl models convert`.')
  }
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(manifestFile, 'utf8'))
  } catch (error) {
    throw inputError(`${manifestFile}: not valid JSON: ${(error as Error).message}`, 'Convert the model again with `alignctl models convert`.')
  }
  const problems = validateManifest.validate(raw)
  if (problems.length > 0) {
    throw inputError(`${manifestFile}: invalid manifest: ${problems.map((p) => `${p.field || '(top level)'}: ${p.message}`).join('; ')}.`, 'Convert the model again with `alignctl models convert`.')
  }
  const manifest = raw as PackManifest
  for (const file of manifest.files) {
    const path = join(root, file.path)
    const info = await stat(path).catch(() => undefined)
    if (info === undefined) throw inputError(`${root}: the pack lists ${file.path}, which is missing.`, 'Pull or convert the model again.')
    if (info.size !== file.size) throw inputError(`${path}: ${info.size} bytes where the manifest records ${file.size}; the file is damaged or incomplete.`, 'Pull or convert the model again.')
    if (options.verify === 'sha256') {
      const actual = await sha256File(path)
      if (actual !== file.sha256) throw inputError(`${path}: sha256 ${actual} does not match the manifest (${file.sha256}).`, 'Pull or convert the model again.')
    }
  }
  const listed = new Set(manifest.files.map((f) => f.path))
  for (const required of ['model.onnx', manifest.tokenizer.file]) {
    if (!listed.has(required)) throw inputError(`${manifestFile}: the manifest does not list ${required}.`, 'Convert the model again with `alignctl models convert`.')
  }
  return {dir: root, manifest, model: join(root, 'model.onnx'), tokenizer: join(root, manifest.tokenizer.file)}
}

/** Writes a manifest, filling `files` with the size and sha256 of each named file in `dir`. */
export async function writeManifest(dir: string, manifest: Omit<PackManifest, 'files' | 'schema'>, files: readonly string[]): Promise<PackManifest> {
  const entries = []
  for (const path of files) {
    const full = join(dir, path)
    entries.push({path, sha256: await sha256File(full), size: (await stat(full)).size})
  }
  const complete: PackManifest = {schema: 'alignctl.model/v1', ...manifest, files: entries}
  await writeFile(join(dir, MANIFEST), JSON.stringify(complete, null, 2) + '\n')
  return complete
}

/**
 * What a sha256 cannot tell (a manifest written over damaged files records their damage): the
 * pack's JSON files parse. Sizes and hashes are {@link openPack}'s; the graph is the engine's.
 */
export async function checkPackFiles(pack: ModelPack): Promise<void> {
  const json = new Set([pack.manifest.tokenizer.file, ...pack.manifest.files.map((f) => f.path).filter((p) => p.endsWith('.json'))])
  for (const file of json) {
    const path = join(pack.dir, file)
    if (!existsSync(path)) continue
    try {
      JSON.parse(await readFile(path, 'utf8'))
    } catch (error) {
      throw inputError(`${path}: not valid JSON (${(error as Error).message}); the file is damaged.`, 'Pull or convert the model again (`alignctl models pull <name> --force`).')
    }
  }
}
