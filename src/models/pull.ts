import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {convertCheckpoint, type PackPrecision} from './convert.js'
import {downloadsDir, modelsDir} from './cache.js'
import {DEFAULT_ENDPOINT, downloadHubFile, downloadTimeouts} from './hub.js'
import {knownModel} from './known.js'
import {openPack, type ModelPack} from './pack.js'
import {usageError} from '../kernel/errors.js'

/** Bounds on the small files: a config.json or tokenizer.json of hundreds of MB is refused. */
const MAX_BYTES: Readonly<Record<string, number>> = {'config.json': 16 * 1024 * 1024, 'tokenizer.json': 128 * 1024 * 1024}

export interface PullOptions {
  precision?: PackPrecision
  /** Convert again even when the pack is cached. */
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
 * Fetches a known model's checkpoint, config and tokenizer from the hub (resumable,
 * sha256-checked) and converts them into a pack in the cache. Downloads are kept in the
 * cache's `downloads/` folder, so a failed conversion does not download again.
 */
export async function pullModel(name: string, options: PullOptions): Promise<ModelPack> {
  const model = knownModel(name)
  const target = join(modelsDir(), name)
  if (!options.force && existsSync(join(target, 'alignctl-model.json'))) return openPack(target)
  const endpoint = options.endpoint ?? process.env['HF_ENDPOINT'] ?? DEFAULT_ENDPOINT
  const token = options.token ?? process.env['HF_TOKEN']
  const timeouts = downloadTimeouts(options.timeoutSeconds)
  const folder = join(downloadsDir(), name)
  const files = [
    {repo: model.weights.repo, revision: model.weights.revision, file: model.weights.file},
    {repo: model.base.repo, revision: model.base.revision, file: 'config.json'},
    {repo: model.base.repo, revision: model.base.revision, file: 'tokenizer.json'},
  ]
  const missing = files.filter((file) => !existsSync(join(folder, file.file)))
  if (missing.length > 0 && isOffline()) {
    throw usageError(
      `Offline (ALIGNCTL_OFFLINE or HF_HUB_OFFLINE is set): model "${name}" is not in the cache, and these files are missing: ${missing.map((f) => `${f.repo}/${f.file}`).join(', ')}.`,
      `Copy them into ${folder} and run \`alignctl models pull ${name}\` again, or convert a local checkpoint with \`alignctl models convert\`.`,
    )
  }
  const unverified: string[] = []
  for (const file of missing) {
    const local = join(folder, file.file)
    await downloadHubFile(file, local, {
      endpoint,
      timeouts,
      ...(MAX_BYTES[file.file] === undefined ? {} : {maxBytes: MAX_BYTES[file.file]}),
      onUnverified: (sha256) => unverified.push(`${file.repo}/${file.file} (sha256 ${sha256})`),
      ...(token === undefined ? {} : {token}),
      ...(options.signal === undefined ? {} : {signal: options.signal}),
      onProgress: (received, total) => options.onProgress?.(`downloading ${file.repo}/${file.file}`, total === undefined ? undefined : received / total),
    })
  }
  if (unverified.length > 0) {
    options.onWarning?.(`downloaded without a checksum to check against (alignctl pins none for them and the hub sent none): ${unverified.join(', ')}.`)
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
    source: {repo: model.weights.repo, revision: model.weights.revision, files: files.map((f) => `${f.repo}/${f.file}`)},
    onProgress: (written, total) => options.onProgress?.(`converting ${name} to ONNX`, total === 0 ? 1 : written / total),
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  })
  return pack
}

/** `ALIGNCTL_OFFLINE=1` or the hub's own `HF_HUB_OFFLINE=1`: never touch the network. */
export function isOffline(env: NodeJS.ProcessEnv = process.env): boolean {
  return [env['ALIGNCTL_OFFLINE'], env['HF_HUB_OFFLINE']].some((v) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false')
}
