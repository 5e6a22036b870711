import {existsSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import {convertCheckpoint, MAX_CONFIG_BYTES, MAX_TOKENIZER_BYTES, type PackPrecision} from './convert.js'
import {modelsDir} from './cache.js'
import {checkCachedFile, downloadFolder, modelFiles, readDownloadRecord, recordEntry, writeDownloadRecord, type ModelFile} from './downloads.js'
import {DEFAULT_ENDPOINT, downloadHubFile, downloadTimeouts} from './hub.js'
import {knownModel} from './known.js'
import {openPack, type ModelPack} from './pack.js'
import {usageError} from '../kernel/errors.js'

/** Bounds on the small files: a config.json or tokenizer.json of hundreds of MB is refused. */
const MAX_BYTES: Readonly<Record<string, number>> = {'config.json': MAX_CONFIG_BYTES, 'tokenizer.json': MAX_TOKENIZER_BYTES}

export interface PullOptions {
  precision?: PackPrecision
  /** Download every file again (unless offline) and convert again, even when the pack is cached. */
  force?: boolean
  converter: string
  /** `$HF_ENDPOINT` and `$HF_TOKEN` by default. */
  endpoint?: string
  token?: string
  /** `--timeout`: connect, response and idle limit in seconds [default: $HF_HUB_DOWNLOAD_TIMEOUT, else 10]. */
  timeoutSeconds?: number
  /** Said once per pull: files that had no checksum to be checked against. */
  onWarning?: (message: string) => void
  /** Progress lines for people: "downloading AlignScore-base.ckpt 40%". */
  onProgress?: (message: string, fraction: number | undefined) => void
  signal?: AbortSignal
}

/**
 * Fetches a known model's checkpoint, config and tokenizer from the hub at its pinned revision
 * (resumable; checked against the pinned sha256, else the hub's own checksum) and converts them
 * into a pack in the cache. Downloads are kept in the cache's `downloads/` folder with a record
 * of their checksums, so a failed conversion does not download again; a kept file that no
 * longer matches its record is fetched again. `force` fetches every file again.
 */
export async function pullModel(name: string, options: PullOptions): Promise<ModelPack> {
  const model = knownModel(name)
  const target = join(modelsDir(), name)
  if (!options.force && existsSync(join(target, 'alignctl-model.json'))) return openPack(target)
  const endpoint = options.endpoint ?? process.env['HF_ENDPOINT'] ?? DEFAULT_ENDPOINT
  const token = options.token ?? process.env['HF_TOKEN']
  const timeouts = downloadTimeouts(options.timeoutSeconds)
  const folder = downloadFolder(name)
  const files = modelFiles(model)
  const offline = isOffline()
  const record = await readDownloadRecord(folder)
  const unverified: string[] = []
  const missing: ModelFile[] = []
  for (const file of files) {
    const local = join(folder, file.file)
    if (!existsSync(local)) {
      missing.push(file)
      continue
    }
    if (options.force && !offline) {
      await rm(local, {force: true})
      missing.push(file)
      continue
    }
    const found = await checkCachedFile(folder, file, record)
    if (found.state === 'damaged') {
      if (offline) {
        throw usageError(`Offline: ${local}, the cached download of ${file.repo}/${file.file}, is damaged (${found.why}) and cannot be fetched again.`, 'Copy a good copy of the file in, or run without ALIGNCTL_OFFLINE/HF_HUB_OFFLINE to download it again.')
      }
      options.onWarning?.(`${local} is damaged (${found.why}); downloading it again.`)
      await rm(local, {force: true})
      missing.push(file)
      continue
    }
    if (found.state === 'unrecorded') unverified.push(`${local} (in the download folder with no record, sha256 ${found.entry.sha256})`)
    record[file.file] = found.entry
  }
  if (missing.length > 0 && offline) {
    throw usageError(
      `Offline (ALIGNCTL_OFFLINE or HF_HUB_OFFLINE is set): model "${name}" is not in the cache, and these files are missing: ${missing.map((f) => `${f.repo}/${f.file}`).join(', ')}.`,
      `Copy them into ${folder} and run \`alignctl models pull ${name}\` again, or convert a local checkpoint with \`alignctl models convert\`.`,
    )
  }
  for (const file of missing) {
    const local = join(folder, file.file)
    const result = await downloadHubFile(file, local, {
      endpoint,
      timeouts,
      ...(MAX_BYTES[file.file] === undefined ? {} : {maxBytes: MAX_BYTES[file.file]}),
      onUnverified: (sha256) => unverified.push(`${file.repo}/${file.file} (sha256 ${sha256})`),
      ...(token === undefined ? {} : {token}),
      ...(options.signal === undefined ? {} : {signal: options.signal}),
      onProgress: (received, total) => options.onProgress?.(`downloading ${file.repo}/${file.file}`, total === undefined ? undefined : received / total),
    })
    record[file.file] = recordEntry(file, result)
    await writeDownloadRecord(folder, record)
  }
  if (unverified.length > 0) {
    options.onWarning?.(`no checksum to check these files against (alignctl pins none for them and the hub sent none); their sha256 is recorded and checked from now on: ${unverified.join(', ')}.`)
    await writeDownloadRecord(folder, record)
  }
  options.onProgress?.(`converting ${name} to ONNX`, 0)
  const {pack} = await convertCheckpoint({
    checkpoint: join(folder, model.weights.file),
    config: join(folder, 'config.json'),
    tokenizer: join(folder, 'tokenizer.json'),
    arch: model.task,
    ...(model.layer === undefined ? {} : {layer: model.layer}),
    ...(model.weights.prefix === undefined ? {} : {prefix: model.weights.prefix}),
    ...(options.precision === undefined ? {} : {precision: options.precision}),
    out: target,
    name,
    maxLength: model.maxLength,
    converter: options.converter,
    source: {
      repo: model.weights.repo,
      revision: model.weights.revision,
      files: files.map((f) => `${f.repo}/${f.file}`),
      checksums: Object.fromEntries(files.map((f) => [`${f.repo}/${f.file}`, {sha256: record[f.file]!.sha256, checkedAgainst: record[f.file]!.checkedAgainst}])),
    },
    onProgress: (written, total) => options.onProgress?.(`converting ${name} to ONNX`, total === 0 ? 1 : written / total),
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  })
  return pack
}

/** `ALIGNCTL_OFFLINE=1` or the hub's own `HF_HUB_OFFLINE=1`: never touch the network. */
export function isOffline(env: NodeJS.ProcessEnv = process.env): boolean {
  return [env['ALIGNCTL_OFFLINE'], env['HF_HUB_OFFLINE']].some((v) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false')
}
