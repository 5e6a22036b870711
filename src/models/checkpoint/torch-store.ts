/**
 * A {@link TensorStore} over a PyTorch zip checkpoint (`torch.save`, torch >= 1.6: `.pt`,
 * `.bin`, Lightning `.ckpt`). The pickle is read once through the restricted unpickler; each
 * tensor's bytes are read from its storage entry only when asked for.
 */
import {inputError} from '../../kernel/errors.js'
import type {TensorDType, TensorInfo} from '../tensors.js'
import {missingTensorMessage, type CheckpointStore} from './checkpoint-store.js'
import {DTYPE_SIZE, toFloat32} from './dtypes.js'
import {describeValue, findUnlistedGlobal, PickleGlobal, type PickleObject} from './pickle/values.js'
import {findStateDict, type StateDict} from './state-dict.js'
import {elementCount, gatherStrided, isContiguous, stridedExtent} from './strided.js'
import {readTorchPickle} from './torch-pickle.js'
import {TensorRef} from './torch-refs.js'
import {ZipArchive} from './zip-archive.js'

export interface TorchCheckpointOptions {
  /**
   * Fail on any global outside alignctl's list, even in parts that hold no tensors (optimizer
   * state, hyper-parameter objects). Off by default: those parts are kept as inert records.
   */
  strict?: boolean
  /** Top-level key of the state dict; by default `state_dict` (Lightning) or the top-level dict. */
  stateDictKey?: string
}

type ReadableTensor = TensorRef & {storage: {dtype: TensorDType}}

/**
 * `names()` lists the state dict's tensors, including any the file builds in a way alignctl
 * does not (an unlisted global, an unknown storage type): `info()` and the reads of those
 * throw an error naming the global, so a checkpoint fails only for the tensors a caller needs.
 */
export class TorchCheckpointStore implements CheckpointStore {
  readonly format = 'pytorch' as const
  readonly file: string
  /** Globals the pickle referenced that are not on the list (`argparse.Namespace`); none were run. */
  readonly unlistedGlobals: readonly string[]
  /** Where the state dict was: a top-level key such as `state_dict`, or undefined for the top level. */
  readonly stateDictKey: string | undefined
  readonly #archive: ZipArchive
  readonly #prefix: string
  readonly #stateDict: StateDict
  readonly #names: readonly string[]

  private constructor(archive: ZipArchive, prefix: string, stateDict: StateDict, unlistedGlobals: string[]) {
    this.file = archive.file
    this.#archive = archive
    this.#prefix = prefix
    this.#stateDict = stateDict
    this.#names = [...stateDict.tensors.keys()]
    this.unlistedGlobals = unlistedGlobals
    this.stateDictKey = stateDict.key
  }

  static async open(file: string, options: TorchCheckpointOptions = {}): Promise<TorchCheckpointStore> {
    const archive = await ZipArchive.open(file)
    try {
      const pickle = await readTorchPickle(archive, options.strict === undefined ? {} : {strict: options.strict})
      const stateDict = findStateDict(pickle.value, file, options.stateDictKey)
      return new TorchCheckpointStore(archive, pickle.prefix, stateDict, pickle.unlistedGlobals)
    } catch (error) {
      await archive.close()
      throw error
    }
  }

  names(): readonly string[] {
    return this.#names
  }

  info(name: string): TensorInfo | undefined {
    if (!this.#stateDict.tensors.has(name)) return undefined
    const tensor = this.#tensor(name)
    return {name, dtype: tensor.storage.dtype, shape: tensor.shape}
  }

  async readBytes(name: string): Promise<Uint8Array> {
    const tensor = this.#tensor(name)
    const {storage, shape, strides, offset} = tensor
    const size = DTYPE_SIZE[storage.dtype]
    const entryName = `${this.#prefix}data/${storage.key}`
    const entry = this.#archive.entry(entryName)
    if (entry === undefined) {
      throw inputError(`${this.file}: tensor "${name}" is in storage ${storage.key}, but the zip has no entry "${entryName}".`, 'The checkpoint is incomplete: download or copy it again.')
    }

    if (entry.size < storage.numel * size) {
      throw inputError(
        `${this.file}: storage "${entryName}" should hold ${storage.numel} ${storage.dtype} elements (${storage.numel * size} bytes) but has ${entry.size} bytes.`,
        'The checkpoint is damaged: download or copy it again.',
      )
    }

    const count = elementCount(shape)
    if (count === 0) return new Uint8Array(0)
    const extent = stridedExtent(shape, strides)
    if (offset + extent > storage.numel) {
      throw inputError(
        `${this.file}: tensor "${name}" reaches element ${offset + extent} of storage ${storage.key}, which has ${storage.numel}.`,
        'The checkpoint is inconsistent: re-save it with torch.save.',
      )
    }

    if (isContiguous(shape, strides)) return this.#archive.readRange(entry, offset * size, count * size)
    // A view such as a transposed weight: read the span it covers, then gather it row-major.
    const span = await this.#archive.readRange(entry, offset * size, extent * size)
    return gatherStrided(span, size, shape, strides)
  }

  async readFloat32(name: string): Promise<Float32Array> {
    const dtype = this.#tensor(name).storage.dtype
    return toFloat32(await this.readBytes(name), dtype)
  }

  async close(): Promise<void> {
    await this.#archive.close()
  }

  /** The readable tensor `name`, or an error that says why it cannot be read. */
  #tensor(name: string): ReadableTensor {
    const value = this.#stateDict.tensors.get(name)
    if (value === undefined) throw this.#notATensor(name)
    if (!(value instanceof TensorRef)) throw this.#unbuildable(name, value)
    if (value.storage.dtype === undefined) {
      throw inputError(
        `${this.file}: tensor "${name}" is stored as ${value.storage.typeName}, which alignctl does not read.`,
        'Convert it in torch to float32, float16 or bfloat16 and save again, or save it as .safetensors.',
      )
    }

    return value as ReadableTensor
  }

  #notATensor(name: string): Error {
    const other = this.#stateDict.others.get(name)
    if (other === undefined) return inputError(missingTensorMessage(this.file, name, this.#names), 'Check the key names: `alignctl models convert` expects the layout of the upstream model.')
    const unlisted = findUnlistedGlobal(other)
    const why = unlisted ? `${describeValue(other)} that depends on ${unlisted.qualifiedName}, which alignctl never runs` : describeValue(other)
    return inputError(`${this.file}: "${name}" in the state dict is not a tensor but ${why}.`, 'Check that the file is the model checkpoint you meant.')
  }

  #unbuildable(name: string, value: PickleObject): Error {
    const unlisted = findUnlistedGlobal(value)
    if (unlisted) {
      return inputError(
        `${this.file}: tensor "${name}" is built by ${unlisted.qualifiedName}, which is not on alignctl's list of globals for rebuilding tensors; alignctl never runs code from a checkpoint.`,
        'Load the checkpoint in torch and save plain tensors: torch.save({k: v.contiguous() for k, v in state_dict.items()}, path), or save it as .safetensors.',
      )
    }

    const callee = value.callee instanceof PickleGlobal ? value.callee.qualifiedName : 'a computed callable'
    return inputError(
      `${this.file}: tensor "${name}" is built by ${callee} with arguments alignctl cannot read (${value.args.map(describeValue).join(', ')}).`,
      'Load the checkpoint in torch and save plain tensors, or save it as .safetensors.',
    )
  }
}
