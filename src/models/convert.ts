import {existsSync} from 'node:fs'
import {copyFile, mkdir, readdir, readFile, rename, rm} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

import {usageError} from '../kernel/errors.js'
import {openCheckpoint} from './checkpoint/index.js'
import {buildEncoder, outputPresets, parseEncoderConfig, writeModel, type EncoderConfig, type Kernels, type OutputSpec} from './onnx/index.js'
import {INT8_QUANTIZATION, openPack, writeManifest, type ModelPack, type PackManifest, type PackValue} from './pack.js'

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
  /** Folder to create; replaced only once the new pack is complete. */
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
}

/**
 * Converts a checkpoint into a model pack: reads its tensors lazily, builds the ONNX graph for
 * the arch, writes it (with external data when large), copies the tokenizer and config, and
 * writes the manifest with every file's sha256. The pack appears only when complete.
 */
export async function convertCheckpoint(options: ConvertOptions): Promise<ModelPack> {
  // Minutes of graph building must not end on a typo in a path.
  if (!existsSync(options.tokenizer)) throw usageError(`${options.tokenizer}: no such file (--tokenizer).`, "Give the model's tokenizer.json.")
  const config = parseEncoderConfig(await readJson(options.config), options.config)
  const outputs = outputsFor(options.arch, options.layer)
  const out = resolve(options.out)
  const staging = `${out}.partial-${process.pid}`
  await removeAbandonedStaging(out)
  // Open first: a checkpoint that cannot be read leaves nothing behind.
  const store = await openCheckpoint(options.checkpoint)
  try {
    await rm(staging, {recursive: true, force: true})
    await mkdir(staging, {recursive: true})
    const prefix = options.prefix ?? (options.arch === 'alignscore' ? 'base_model.' : undefined)
    const model = buildEncoder(store, config, {
      outputs,
      precision: GRAPH_PRECISION[options.precision ?? 'fp32'],
      ...(prefix === undefined ? {} : {prefix}),
      ...(options.kernels === undefined ? {} : {kernels: options.kernels}),
      name: options.name ?? basename(out),
    })
    const written = await writeModel(model, join(staging, 'model.onnx'), {
      onProgress: (done, total) => {
        // Checked after every tensor: the writer removes its partial files when this throws.
        options.signal?.throwIfAborted()
        options.onProgress?.(done, total)
      },
    })
    await copyFile(options.tokenizer, join(staging, 'tokenizer.json'))
    await copyFile(options.config, join(staging, 'config.json'))
    const files = ['model.onnx', ...(written.dataPath === undefined ? [] : [basename(written.dataPath)]), 'tokenizer.json', 'config.json']
    const typeIds = config.typeVocabSize > 1
    await writeManifest(
      staging,
      {
        name: options.name ?? basename(out),
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
  } catch (error) {
    await rm(staging, {recursive: true, force: true})
    throw options.signal?.aborted ? (options.signal.reason ?? error) : error
  } finally {
    await store.close()
  }
  await rm(out, {recursive: true, force: true})
  await rename(staging, out)
  return openPack(out)
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

async function readJson(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw usageError(`${file}: cannot read the file.`, 'Check the path given to --config.')
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw usageError(`${file}: not valid JSON: ${(error as Error).message}`)
  }
}

/** Staging folders of conversions whose process is gone (Ctrl-C, a crash): gigabytes nobody will use. */
async function removeAbandonedStaging(out: string): Promise<void> {
  const prefix = `${basename(out)}.partial-`
  const entries = await readdir(dirname(out)).catch(() => [] as string[])
  for (const name of entries.filter((n) => n.startsWith(prefix))) {
    const pid = Number(name.slice(prefix.length))
    if (Number.isInteger(pid) && !processAlive(pid)) await rm(join(dirname(out), name), {recursive: true, force: true})
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
