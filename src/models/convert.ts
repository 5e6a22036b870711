import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {copyFile, mkdir, readdir, readFile, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

import {isAlignctlError, usageError} from '../kernel/errors.js'
import {writeErrorCode, writeFailure} from '../kernel/write-files.js'
import {openCheckpoint, TorchCheckpointStore} from './checkpoint/index.js'
import {buildEncoder, outputPresets, parseEncoderConfig, writeModel, type EncoderConfig, type Kernels, type OutputSpec} from './onnx/index.js'
import {INT8_QUANTIZATION, MANIFEST, PACK_NAME, checkPackFiles, openPack, writeManifest, type ModelPack, type PackManifest, type PackValue} from './pack.js'

export type PackPrecision = 'fp32' | 'fp16' | 'int8'
export const PACK_PRECISIONS: readonly PackPrecision[] = ['fp32', 'fp16', 'int8']
const GRAPH_PRECISION = {fp32: 'float32', fp16: 'float16', int8: 'int8'} as const

/** What a converted graph is for; decides its outputs (DESIGN.md §4). */
export type ConvertArch = 'alignscore' | 'ctc-d' | 'ctc-e' | 'ctc-r'
export const CONVERT_ARCHS: readonly ConvertArch[] = ['alignscore', 'ctc-d', 'ctc-e', 'ctc-r']

export interface ConvertOptions {
  /** PyTorch (.ckpt/.bin/.pt) or safetensors file. */
  checkpoint: string
  /** The model's Hugging Face config.json. */
  config: string
  tokenizer: string
  arch: ConvertArch
  /** Hidden-state layer, for `ctc-e`. */
  layer?: number
  /**
   * fp32 (default); fp16 (half the size, for GPUs: no faster on CPUs); int8 (weights quantized,
   * activations quantized per token, so scores do not depend on the batch: about 2× fp32 on CPU,
   * scores drift slightly).
   */
  precision?: PackPrecision
  kernels?: Kernels
  /** Folder to create; a pack already there is replaced only by a complete, verified new one. */
  out: string
  /** Pack name; default: the folder's name. */
  name?: string
  /** Tensor-name prefix of the encoder (default: what the arch implies, else detected). */
  prefix?: string
  /** Longest input in tokens; default from the config (RoBERTa: positions − pad id − 1). */
  maxLength?: number
  /** Where the files came from, recorded in the manifest. */
  source?: Omit<PackManifest['source'], 'converter'>
  converter: string
  onProgress?: (written: number, total: number) => void
  /** Stops the conversion between tensors (Ctrl-C); nothing is left behind. */
  signal?: AbortSignal
  /** Called once the checkpoint is open, before the minutes of writing: its inert globals (for a warning). */
  onInertGlobals?: (globals: string[]) => void
}

/** What {@link convertCheckpoint} made: the pack, and the checkpoint's inert globals (for the one warning). */
export interface ConvertResult {
  pack: ModelPack
  /** Globals outside the tensor-rebuild list the pickle references, kept inert and never run; empty for safetensors. */
  inertGlobals: string[]
}

/**
 * Converts a checkpoint into a model pack: reads its tensors lazily, builds the ONNX graph for
 * the arch, writes it (with external data when large), copies the tokenizer and config, and
 * writes the manifest with every file's sha256.
 *
 * A pack already at `out` is never lost: every argument is checked before anything is
 * written, the new pack is built in a sibling staging folder and verified there (manifest,
 * every file's size and sha256, config.json and tokenizer.json parsed), and only then swapped
 * in by two renames (old pack aside, new pack in, old pack removed). A failure at any step
 * leaves the old pack as it was; a crash between the two renames is undone by the next
 * conversion into the same folder.
 */
export async function convertCheckpoint(options: ConvertOptions): Promise<ConvertResult> {
  // Minutes of graph building must not end on a typo in a path or a name.
  const out = resolve(options.out)
  const name = checkPackName(options.name, out)
  await checkTarget(out)
  const config = parseEncoderConfig(await readJson(options.config, '--config', MAX_CONFIG_BYTES), options.config)
  await readJson(options.tokenizer, '--tokenizer', MAX_TOKENIZER_BYTES)
  const outputs = outputsFor(options.arch, options.layer)
  await recoverInterruptedSwap(out)
  await removeAbandonedStaging(out)
  // Open first: a checkpoint that cannot be read leaves nothing behind.
  const store = await openCheckpoint(options.checkpoint)
  const inertGlobals = store instanceof TorchCheckpointStore ? [...store.unlistedGlobals] : []
  options.onInertGlobals?.(inertGlobals)
  const staging = `${out}${STAGING}${process.pid}-${randomBytes(4).toString('hex')}`
  // What is being written, for a message when the disk fills up.
  let writing = 'model.onnx'
  try {
    const prefix = options.prefix ?? (options.arch === 'alignscore' ? 'base_model.' : undefined)
    const model = buildEncoder(store, config, {
      outputs,
      precision: GRAPH_PRECISION[options.precision ?? 'fp32'],
      ...(prefix === undefined ? {} : {prefix}),
      ...(options.kernels === undefined ? {} : {kernels: options.kernels}),
      name,
    })
    await mkdir(staging, {recursive: true})
    const written = await writeModel(model, join(staging, 'model.onnx'), {
      onProgress: (done, total) => {
        // Checked after every tensor: the writer removes its partial files when this throws.
        options.signal?.throwIfAborted()
        options.onProgress?.(done, total)
      },
    })
    writing = 'tokenizer.json'
    await copyFile(options.tokenizer, join(staging, writing))
    writing = 'config.json'
    await copyFile(options.config, join(staging, writing))
    const files = ['model.onnx', ...(written.dataPath === undefined ? [] : [basename(written.dataPath)]), 'tokenizer.json', 'config.json']
    const typeIds = config.typeVocabSize > 1
    writing = MANIFEST
    await writeManifest(
      staging,
      {
        name,
        architecture: packArchitecture(config),
        task: options.arch,
        ...(options.arch === 'ctc-e' ? {layer: options.layer!} : {}),
        inputs: [
          {name: 'input_ids', type: 'int64', dims: ['batch', 'sequence']},
          {name: 'attention_mask', type: 'int64', dims: ['batch', 'sequence']},
          ...(typeIds ? [{name: 'token_type_ids', type: 'int64' as const, dims: ['batch', 'sequence']}] : []),
        ],
        outputs: outputs.flatMap((o) => manifestOutputs(o, config)),
        maxLength: options.maxLength ?? defaultMaxLength(config),
        tokenizer: {file: 'tokenizer.json'},
        precision: options.precision ?? 'fp32',
        ...(options.precision === 'int8' ? {quantization: INT8_QUANTIZATION} : {}),
        source: {...options.source, checkpoint: basename(options.checkpoint), converter: options.converter},
        createdAt: new Date().toISOString(),
      },
      files,
    )
    // The same checks `models verify` makes of the files, before the old pack is touched.
    await checkPackFiles(await openPack(staging, {verify: 'sha256'}))
    await swapIn(staging, out)
  } catch (error) {
    await rm(staging, {recursive: true, force: true})
    if (options.signal?.aborted) throw options.signal.reason ?? error
    if (writeErrorCode(error) !== undefined && !isAlignctlError(error)) {
      throw writeFailure(join(out, writing), 'the model pack', error, `give --out a folder on another disk${existsSync(out) ? `; the pack at ${out} is unchanged` : ''}`)
    }
    throw error
  } finally {
    await store.close()
  }
  return {pack: await openPack(out), inertGlobals}
}

/** The bound on config.json: real ones are a few KB; hundreds of MB is not a config. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024
/** The bound on tokenizer.json: the largest real ones (multilingual vocabularies) are tens of MB. */
export const MAX_TOKENIZER_BYTES = 128 * 1024 * 1024

const STAGING = '.partial-'
/** Where the old pack waits while the new one is renamed into place. */
const REPLACED = '.replaced-'

/** The pack name (--name, else the folder's name), refused before any work unless the manifest would take it. */
function checkPackName(given: string | undefined, out: string): string {
  const name = given ?? basename(out)
  if (PACK_NAME.test(name)) return name
  const rule = 'lowercase letters, digits, ".", "_" and "-", starting with a letter or digit'
  if (given !== undefined) throw usageError(`--name "${given}" is not a valid pack name: use ${rule}.`, 'For example --name alignscore-base.')
  throw usageError(`The --out folder's name "${name}" is not a valid pack name (${rule}), and no --name was given.`, `Pass --name with a valid name, for example --name ${suggestName(name)}, or choose another --out folder.`)
}

function suggestName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '')
  return cleaned === '' ? 'my-model' : cleaned
}

/** `--out` may be a new path, an empty folder or a model pack; anything else is not ours to replace. */
async function checkTarget(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined)
  if (info === undefined) return
  if (!info.isDirectory()) throw usageError(`--out ${out} is a file; a model pack is a folder.`, 'Choose a new folder for --out.')
  if (existsSync(join(out, MANIFEST))) return
  const entries = await readdir(out)
  if (entries.length > 0) {
    throw usageError(
      `--out ${out} is a folder that holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}) and is not a model pack; alignctl replaces only model packs.`,
      'Choose a new or empty folder for --out.',
    )
  }
}

/**
 * Moves the complete pack at `staging` to `out`. A pack already there is renamed aside first
 * and removed only once the new one is in place; if the second rename fails, it is put back.
 */
async function swapIn(staging: string, out: string): Promise<void> {
  await mkdir(dirname(out), {recursive: true})
  if (!existsSync(out)) {
    await rename(staging, out)
    return
  }
  const aside = `${out}${REPLACED}${process.pid}-${randomBytes(4).toString('hex')}`
  await rename(out, aside)
  try {
    await rename(staging, out)
  } catch (error) {
    await rename(aside, out)
    throw error
  }
  await rm(aside, {recursive: true, force: true})
}

/**
 * A conversion killed between its two renames left the old pack aside and none at `out`: put
 * it back. Old packs set aside beside a pack that is in place are removed.
 */
async function recoverInterruptedSwap(out: string): Promise<void> {
  for (const {path, pid} of await siblings(out, REPLACED)) {
    if (processAlive(pid)) continue
    if (!existsSync(out) && existsSync(join(path, MANIFEST))) await rename(path, out)
    else await rm(path, {recursive: true, force: true})
  }
}

function outputsFor(arch: ConvertArch, layer: number | undefined): OutputSpec[] {
  switch (arch) {
    case 'alignscore':
      return outputPresets.alignscore()
    case 'ctc-d':
      return outputPresets.ctcD()
    case 'ctc-r':
      return outputPresets.ctcR()
    case 'ctc-e':
      if (layer === undefined) throw usageError('--arch ctc-e needs --layer <k>, the hidden-state layer the aligner reads.', 'For example --layer 9 for bert-base-uncased.')
      return outputPresets.ctcE(layer)
  }
}

function manifestOutputs(spec: OutputSpec, config: EncoderConfig): PackValue[] {
  switch (spec.kind) {
    case 'pooled-linear':
      return [{name: spec.output, type: 'float32', dims: ['batch', spec.outFeatures]}]
    case 'pooled':
      return [{name: spec.output, type: 'float32', dims: ['batch', config.hiddenSize]}]
    case 'hidden-state':
      return [{name: spec.output, type: 'float32', dims: ['batch', 'sequence', config.hiddenSize]}]
    case 'token-linear':
      return [
        {name: spec.output, type: 'float32', dims: ['batch', 'sequence', spec.outFeatures]},
        ...(spec.splitBias ? [{name: `${spec.output}_bias`, type: 'float32' as const, dims: [spec.outFeatures]}] : []),
      ]
  }
}

/** The manifest's architecture: what the tokenizer and position ids are like. */
function packArchitecture(config: EncoderConfig): PackManifest['architecture'] {
  if (config.family === 'albert') return 'albert'
  return config.positionScheme === 'absolute' ? 'bert' : 'roberta'
}

/** RoBERTa's positions start after the padding id, so two position slots are never inputs. */
function defaultMaxLength(config: EncoderConfig): number {
  return config.positionScheme === 'padding-offset' ? config.maxPositions - config.padTokenId - 1 : config.maxPositions
}

/** A JSON file given as `flag`, refused past `maxBytes` before it is read. */
async function readJson(file: string, flag: string, maxBytes: number): Promise<unknown> {
  const info = await stat(file).catch(() => undefined)
  if (info === undefined) throw usageError(`${file}: no such file (${flag}).`, flag === '--tokenizer' ? "Give the model's tokenizer.json." : "Give the model's config.json.")
  if (!info.isFile()) throw usageError(`${file}: not a file (${flag}).`, `Give the JSON file itself to ${flag}.`)
  if (info.size > maxBytes) {
    throw usageError(`${file}: ${info.size} bytes, more than the ${maxBytes / 1024 / 1024} MiB alignctl reads for ${flag}; it cannot be a Hugging Face ${basename(flag.slice(2))}.json.`, `Check the path given to ${flag}.`)
  }
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw usageError(`${file}: cannot read the file (${(error as Error).message}).`, `Check the path given to ${flag}.`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw usageError(`${file}: not valid JSON: ${(error as Error).message}`, `Give the model's own ${basename(flag.slice(2))}.json to ${flag}.`)
  }
}

/** Staging folders of conversions whose process is gone (Ctrl-C, a crash): gigabytes nobody will use. */
async function removeAbandonedStaging(out: string): Promise<void> {
  for (const {path, pid} of await siblings(out, STAGING)) {
    if (!processAlive(pid)) await rm(path, {recursive: true, force: true})
  }
}

/** Folders beside `out` named `<out><marker><pid>` or `<out><marker><pid>-<suffix>`. */
async function siblings(out: string, marker: string): Promise<Array<{path: string; pid: number}>> {
  const prefix = `${basename(out)}${marker}`
  const entries = await readdir(dirname(out)).catch(() => [] as string[])
  return entries.flatMap((name) => {
    if (!name.startsWith(prefix)) return []
    const pid = Number(name.slice(prefix.length).split('-')[0])
    return Number.isInteger(pid) && pid > 0 ? [{path: join(dirname(out), name), pid}] : []
  })
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
