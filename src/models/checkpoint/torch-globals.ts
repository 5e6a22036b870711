/**
 * The globals a torch checkpoint may reference that alignctl admits, and the plain data each
 * builds. This list is the whole of what the unpickler treats as more than a placeholder:
 * storage types, the tensor rebuild functions, and the containers Lightning writes.
 * Everything here is our own TypeScript acting on inert values; nothing is imported.
 */
import type {TensorDType} from '../tensors.js'
import {PickleGlobal, PickleTuple, type ListedGlobal, type PickleValue} from './pickle/values.js'
import {TensorRef, StorageRef} from './torch-refs.js'

/** Storage classes (and the dtype objects newer torch can put in their place) → dtype. */
const STORAGE_DTYPES: ReadonlyMap<string, TensorDType | undefined> = new Map<string, TensorDType | undefined>([
  ['torch.FloatStorage', 'float32'],
  ['torch.HalfStorage', 'float16'],
  ['torch.BFloat16Storage', 'bfloat16'],
  ['torch.DoubleStorage', 'float64'],
  ['torch.LongStorage', 'int64'],
  ['torch.IntStorage', 'int32'],
  ['torch.CharStorage', 'int8'],
  ['torch.ByteStorage', 'uint8'],
  ['torch.BoolStorage', 'bool'],
  // Untyped storages hold bytes; torch reads them back as uint8.
  ['torch.UntypedStorage', 'uint8'],
  ['torch.storage.UntypedStorage', 'uint8'],
  ['torch.storage._UntypedStorage', 'uint8'],
  // A TypedStorage in a persistent id carries no dtype of its own.
  ['torch.storage.TypedStorage', undefined],
  ['torch.storage._TypedStorage', undefined],
  ['torch.float32', 'float32'],
  ['torch.float', 'float32'],
  ['torch.float16', 'float16'],
  ['torch.half', 'float16'],
  ['torch.bfloat16', 'bfloat16'],
  ['torch.float64', 'float64'],
  ['torch.double', 'float64'],
  ['torch.int64', 'int64'],
  ['torch.long', 'int64'],
  ['torch.int32', 'int32'],
  ['torch.int', 'int32'],
  ['torch.int8', 'int8'],
  ['torch.uint8', 'uint8'],
  ['torch.bool', 'bool'],
])

/** Listed so strict mode accepts them; only ever arguments, never called here. */
const TYPE_MARKERS = ['torch.Tensor', 'torch.nn.parameter.Parameter']

const isInt = (value: PickleValue | undefined): value is number => typeof value === 'number' && Number.isInteger(value)

function intTuple(value: PickleValue | undefined): number[] | undefined {
  const items = value instanceof PickleTuple ? value.items : Array.isArray(value) ? value : undefined
  if (items === undefined || !items.every((item) => isInt(item) && item >= 0)) return undefined
  return items as number[]
}

/** `_rebuild_tensor(storage, offset, size, stride)`, and v2 with trailing arguments we ignore. */
function rebuildTensor(args: readonly PickleValue[]): PickleValue | undefined {
  const [storage, offset, size, stride] = args
  const shape = intTuple(size)
  const strides = intTuple(stride)
  if (!(storage instanceof StorageRef) || !isInt(offset) || offset < 0 || !shape || !strides || shape.length !== strides.length) return undefined
  return new TensorRef(storage, offset, shape, strides)
}

/** `_rebuild_parameter(data, requires_grad, hooks[, state])`: a Parameter is its data here. */
function rebuildParameter(args: readonly PickleValue[]): PickleValue | undefined {
  return args[0] instanceof TensorRef ? args[0] : undefined
}

/** `_rebuild_from_type_v2(func, type, args, state)`: a tensor subclass; we keep the tensor. */
function rebuildFromType(args: readonly PickleValue[]): PickleValue | undefined {
  const [func, , funcArgs] = args
  if (!(func instanceof PickleGlobal) || !func.listed?.call || !(funcArgs instanceof PickleTuple)) return undefined
  const built = func.listed.call(funcArgs.items)
  return built instanceof TensorRef ? built : undefined
}

function iterableItems(value: PickleValue | undefined): readonly PickleValue[] | undefined {
  if (value instanceof PickleTuple) return value.items
  if (Array.isArray(value)) return value
  if (value instanceof Set) return [...value]
  return undefined
}

/** dict() / OrderedDict() / dict(pairs) / dict(mapping) → Map. */
function makeDict(args: readonly PickleValue[]): PickleValue | undefined {
  if (args.length === 0) return new Map()
  if (args.length !== 1) return undefined
  const [source] = args
  if (source instanceof Map) return new Map(source)
  const pairs = iterableItems(source)
  if (!pairs) return undefined
  const dict = new Map<PickleValue, PickleValue>()
  for (const pair of pairs) {
    const items = iterableItems(pair)
    if (items?.length !== 2) return undefined
    dict.set(items[0] as PickleValue, items[1] as PickleValue)
  }

  return dict
}

/** `defaultdict(factory[, items])`: the factory is dropped, the items kept. */
function makeDefaultDict(args: readonly PickleValue[]): PickleValue | undefined {
  return makeDict(args.slice(1))
}

function makeSet(args: readonly PickleValue[]): PickleValue | undefined {
  if (args.length === 0) return new Set()
  const items = iterableItems(args[0])
  return items && args.length === 1 ? new Set(items) : undefined
}

function makeList(args: readonly PickleValue[]): PickleValue | undefined {
  if (args.length === 0) return []
  const items = iterableItems(args[0])
  return items && args.length === 1 ? [...items] : undefined
}

function makeTuple(args: readonly PickleValue[]): PickleValue | undefined {
  if (args.length === 0) return new PickleTuple([])
  const items = iterableItems(args[0])
  return items && args.length === 1 ? new PickleTuple([...items]) : undefined
}

/** Protocol 2 writes bytes as `_codecs.encode(text, "latin1")`. */
function encodeLatin1(args: readonly PickleValue[]): PickleValue | undefined {
  const [text, encoding] = args
  if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) return undefined
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code > 0xff) return undefined
    out[i] = code
  }

  return out
}

/** bytes() / bytearray(b) / bytearray(text, "latin-1") (how protocols 0-2 write a bytearray). */
function makeBytes(args: readonly PickleValue[]): PickleValue | undefined {
  if (args.length === 0) return new Uint8Array(0)
  if (typeof args[0] === 'string') return encodeLatin1(args)
  return args[0] instanceof Uint8Array && args.length === 1 ? args[0].slice() : undefined
}

const DICT: ListedGlobal = {call: makeDict}

const LISTED: ReadonlyMap<string, ListedGlobal> = new Map<string, ListedGlobal>([
  ['torch._utils._rebuild_tensor', {call: rebuildTensor}],
  ['torch._utils._rebuild_tensor_v2', {call: rebuildTensor}],
  ['torch._utils._rebuild_parameter', {call: rebuildParameter}],
  ['torch._utils._rebuild_parameter_with_state', {call: rebuildParameter}],
  ['torch._tensor._rebuild_from_type', {call: rebuildFromType}],
  ['torch._tensor._rebuild_from_type_v2', {call: rebuildFromType}],
  ['torch.Size', {call: makeTuple}],
  ['collections.OrderedDict', DICT],
  ['collections.defaultdict', {call: makeDefaultDict}],
  ['builtins.dict', DICT],
  ['builtins.list', {call: makeList}],
  ['builtins.tuple', {call: makeTuple}],
  ['builtins.set', {call: makeSet}],
  ['builtins.frozenset', {call: makeSet}],
  ['builtins.bytes', {call: makeBytes}],
  ['builtins.bytearray', {call: makeBytes}],
  ['_codecs.encode', {call: encodeLatin1}],
  // Lightning's hyper-parameter container is a dict subclass (its home moved between releases).
  ['pytorch_lightning.utilities.parsing.AttributeDict', DICT],
  ['lightning_fabric.utilities.data.AttributeDict', DICT],
  ['lightning.fabric.utilities.data.AttributeDict', DICT],
  ...[...STORAGE_DTYPES.keys(), ...TYPE_MARKERS].map((name): [string, ListedGlobal] => [name, {}]),
])

/** The listed global `module.name`, or undefined (the unpickler then records a placeholder). */
export function findTorchGlobal(module: string, name: string): ListedGlobal | undefined {
  return LISTED.get(`${module}.${name}`)
}

/** Every admitted global, for documentation and tests. */
export function listedTorchGlobals(): string[] {
  return [...LISTED.keys()]
}

/** The dtype a storage type stands for; undefined when it is unknown or carries none. */
export function storageDType(type: PickleValue): TensorDType | undefined {
  return type instanceof PickleGlobal ? STORAGE_DTYPES.get(type.qualifiedName) : undefined
}
