/**
 * A restricted unpickler: it interprets pickle opcodes (protocols 0 to 5, as written by
 * Python's pickler) into inert data and never imports, calls or instantiates anything.
 *
 * Globals are looked up in a caller-given list. A listed global may build plain data from
 * its arguments (OrderedDict → Map, a torch rebuild function → a tensor reference); any other
 * global becomes a {@link PickleGlobal} placeholder, and calling it only records a
 * {@link PickleObject}. In strict mode the first unlisted global fails the whole load.
 */
import {inputError} from '../../../kernel/errors.js'
import {Op, opcodeName} from './opcodes.js'
import {PickleGlobal, PickleObject, PickleTuple, type ListedGlobal, type PickleValue} from './values.js'

export interface UnpicklerHooks {
  /** The listed global `module.name`, or undefined to record a placeholder. */
  findGlobal(module: string, name: string): ListedGlobal | undefined
  /** What a persistent id stands for (torch: a storage). Throws for ids it does not know. */
  persistentLoad(pid: PickleValue): PickleValue
  /**
   * Whether `module.name` is dangerous: any reference to it, read or not, refuses the whole
   * pickle (naming the global and where it sits). Nothing is ever called either way.
   */
  isDangerous?(module: string, name: string): boolean
}

export interface UnpickleOptions {
  /** Names the pickle in messages: `model.ckpt (archive/data.pkl)`. */
  source: string
  /** Fail on the first global outside the list instead of recording a placeholder. */
  strict?: boolean
}

export interface UnpickleResult {
  value: PickleValue
  /** Every unlisted global the pickle referenced, as `module.name`, in order of appearance. */
  unlistedGlobals: string[]
}

/** Python 3's unpickler maps these Python 2 module names (fix_imports); so do we. */
const PY2_MODULES: Readonly<Record<string, string>> = {__builtin__: 'builtins', copy_reg: 'copyreg'}

const HIGHEST_PROTOCOL = 5

/**
 * How deep containers and recorded calls may nest. Real checkpoints nest a few tens of levels;
 * thousands (a hostile chain of REDUCE calls) would overflow any recursive reader after us.
 */
export const MAX_PICKLE_NESTING = 1000

const FLOAT_WORDS: Readonly<Record<string, number>> = {inf: Number.POSITIVE_INFINITY, '-inf': Number.NEGATIVE_INFINITY, nan: Number.NaN}

export function unpickle(bytes: Uint8Array, hooks: UnpicklerHooks, options: UnpickleOptions): UnpickleResult {
  return new Unpickler(bytes, hooks, options).run()
}

class Unpickler {
  readonly #bytes: Uint8Array
  readonly #data: DataView
  readonly #hooks: UnpicklerHooks
  readonly #options: UnpickleOptions
  readonly #latin1 = new TextDecoder('latin1')
  readonly #utf8 = new TextDecoder('utf-8')
  #pos = 0
  /** Position of the opcode being run, for messages. */
  #opStart = 0
  #stack: PickleValue[] = []
  readonly #marks: PickleValue[][] = []
  readonly #memo = new Map<number, PickleValue>()
  readonly #globals = new Map<string, PickleGlobal>()
  readonly #unlisted = new Set<string>()
  /** Dangerous globals referenced, in order of appearance; the load fails at STOP. */
  readonly #dangerous: PickleGlobal[] = []
  /** Nesting depth of each container or record built so far (absent: 0). */
  readonly #depths = new WeakMap<object, number>()

  constructor(bytes: Uint8Array, hooks: UnpicklerHooks, options: UnpickleOptions) {
    this.#bytes = bytes
    this.#data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.#hooks = hooks
    this.#options = options
  }

  run(): UnpickleResult {
    for (;;) {
      this.#opStart = this.#pos
      const op = this.#u8()
      if (op === Op.STOP) {
        const value = this.#pop()
        if (this.#dangerous.length > 0) throw this.#refuseDangerous(value)
        return {value, unlistedGlobals: [...this.#unlisted]}
      }

      this.#step(op)
    }
  }

  // One opcode. Grouped as in opcodes.ts.
  #step(op: number): void {
    switch (op) {
      case Op.PROTO: {
        const protocol = this.#u8()
        if (protocol > HIGHEST_PROTOCOL) throw this.#fail(`pickle protocol ${protocol} is newer than ${HIGHEST_PROTOCOL}, the highest alignctl reads`)
        return
      }

      case Op.FRAME:
        this.#u64() // Frames only group opcodes for buffered reading; the data is already in memory.
        return
      case Op.MARK:
        this.#marks.push(this.#stack)
        this.#stack = []
        return
      case Op.POP:
        if (this.#stack.length > 0) this.#stack.pop()
        else this.#popMark()
        return
      case Op.POP_MARK:
        this.#popMark()
        return
      case Op.DUP:
        this.#push(this.#top())
        return
      case Op.PUT:
        this.#memo.set(this.#lineInt(), this.#top())
        return
      case Op.BINPUT:
        this.#memo.set(this.#u8(), this.#top())
        return
      case Op.LONG_BINPUT:
        this.#memo.set(this.#u32(), this.#top())
        return
      case Op.MEMOIZE:
        this.#memo.set(this.#memo.size, this.#top())
        return
      case Op.GET:
        this.#push(this.#memoGet(this.#lineInt()))
        return
      case Op.BINGET:
        this.#push(this.#memoGet(this.#u8()))
        return
      case Op.LONG_BINGET:
        this.#push(this.#memoGet(this.#u32()))
        return

      case Op.NONE:
        this.#push(null)
        return
      case Op.NEWTRUE:
        this.#push(true)
        return
      case Op.NEWFALSE:
        this.#push(false)
        return
      case Op.INT: {
        // Protocol 0 writes booleans as INT "01" / "00".
        const text = this.#line()
        this.#push(text === '01' ? true : text === '00' ? false : this.#parseInt(text))
        return
      }

      case Op.BININT:
        this.#push(this.#i32())
        return
      case Op.BININT1:
        this.#push(this.#u8())
        return
      case Op.BININT2:
        this.#push(this.#u16())
        return
      case Op.LONG:
        this.#push(this.#parseInt(this.#line().replace(/L$/, '')))
        return
      case Op.LONG1:
        this.#push(littleEndianSigned(this.#take(this.#u8())))
        return
      case Op.LONG4:
        this.#push(littleEndianSigned(this.#take(this.#i32Length())))
        return
      case Op.FLOAT: {
        // Protocol 0 writes repr(): "1.5", "inf", "-inf", "nan".
        const text = this.#line().trim()
        const special = FLOAT_WORDS[text]
        const value = special ?? Number(text)
        if (Number.isNaN(value) && special === undefined) throw this.#fail(`FLOAT "${text}" is not a number`)
        this.#push(value)
        return
      }

      case Op.BINFLOAT:
        // The one big-endian field in the format.
        this.#push(this.#f64BigEndian())
        return

      case Op.BINSTRING:
        this.#push(this.#latin1.decode(this.#take(this.#i32Length())))
        return
      case Op.SHORT_BINSTRING:
        this.#push(this.#latin1.decode(this.#take(this.#u8())))
        return
      case Op.UNICODE:
        this.#push(decodeRawUnicodeEscape(this.#line()))
        return
      case Op.BINUNICODE:
        this.#push(this.#utf8.decode(this.#take(this.#u32())))
        return
      case Op.SHORT_BINUNICODE:
        this.#push(this.#utf8.decode(this.#take(this.#u8())))
        return
      case Op.BINUNICODE8:
        this.#push(this.#utf8.decode(this.#take(this.#u64())))
        return
      case Op.BINBYTES:
        this.#push(this.#take(this.#u32()).slice())
        return
      case Op.SHORT_BINBYTES:
        this.#push(this.#take(this.#u8()).slice())
        return
      case Op.BINBYTES8:
      case Op.BYTEARRAY8:
        this.#push(this.#take(this.#u64()).slice())
        return
      case Op.READONLY_BUFFER:
        return

      case Op.EMPTY_TUPLE:
        this.#push(new PickleTuple([]))
        return
      case Op.TUPLE:
        this.#push(this.#nested(new PickleTuple(this.#popMark())))
        return
      case Op.TUPLE1:
        this.#push(this.#nested(new PickleTuple(this.#popN(1))))
        return
      case Op.TUPLE2:
        this.#push(this.#nested(new PickleTuple(this.#popN(2))))
        return
      case Op.TUPLE3:
        this.#push(this.#nested(new PickleTuple(this.#popN(3))))
        return
      case Op.EMPTY_LIST:
        this.#push([])
        return
      case Op.LIST:
        this.#push(this.#nested(this.#popMark()))
        return
      case Op.APPEND: {
        const item = this.#pop()
        this.#appendTo(this.#top(), [item])
        return
      }

      case Op.APPENDS: {
        const items = this.#popMark()
        this.#appendTo(this.#top(), items)
        return
      }

      case Op.EMPTY_DICT:
        this.#push(new Map())
        return
      case Op.DICT: {
        const dict = new Map<PickleValue, PickleValue>()
        this.#setItems(dict, this.#popMark())
        this.#push(dict)
        return
      }

      case Op.SETITEM: {
        const pair = this.#popN(2)
        this.#setItems(this.#top(), pair)
        return
      }

      case Op.SETITEMS: {
        const pairs = this.#popMark()
        this.#setItems(this.#top(), pairs)
        return
      }

      case Op.EMPTY_SET:
        this.#push(new Set())
        return
      case Op.ADDITEMS: {
        const items = this.#popMark()
        const target = this.#top()
        if (target instanceof Set) for (const item of items) target.add(item)
        else if (target instanceof PickleObject) pushAll(target.listItems, items)
        else throw this.#fail('ADDITEMS onto something that is not a set')
        this.#grow(target, items)
        return
      }

      case Op.FROZENSET:
        this.#push(this.#nested(new Set(this.#popMark())))
        return

      case Op.GLOBAL: {
        const module = this.#line()
        this.#push(this.#global(module, this.#line()))
        return
      }

      case Op.STACK_GLOBAL: {
        const [module, name] = this.#popN(2)
        if (typeof module !== 'string' || typeof name !== 'string') throw this.#fail('STACK_GLOBAL needs two strings')
        this.#push(this.#global(module, name))
        return
      }

      case Op.REDUCE: {
        const args = this.#pop()
        const callee = this.#pop()
        if (!(args instanceof PickleTuple)) throw this.#fail('REDUCE arguments are not a tuple')
        this.#push(this.#call(callee, args.items))
        return
      }

      case Op.NEWOBJ: {
        const args = this.#pop()
        const cls = this.#pop()
        if (!(args instanceof PickleTuple)) throw this.#fail('NEWOBJ arguments are not a tuple')
        this.#push(this.#call(cls, args.items))
        return
      }

      case Op.NEWOBJ_EX: {
        const [cls, args, kwargs] = this.#popN(3) as [PickleValue, PickleValue, PickleValue]
        if (!(args instanceof PickleTuple)) throw this.#fail('NEWOBJ_EX arguments are not a tuple')
        const noKeywords = kwargs instanceof Map && kwargs.size === 0
        this.#push(noKeywords ? this.#call(cls, args.items) : this.#nested(new PickleObject(cls, args.items, kwargs), [cls, ...args.items, kwargs]))
        return
      }

      case Op.INST: {
        const module = this.#line()
        const cls = this.#global(module, this.#line())
        this.#push(this.#call(cls, this.#popMark()))
        return
      }

      case Op.OBJ: {
        const [cls, ...args] = this.#popMark()
        if (cls === undefined) throw this.#fail('OBJ without a class')
        this.#push(this.#call(cls, args))
        return
      }

      case Op.BUILD: {
        const state = this.#pop()
        const target = this.#top()
        // Only recorded: setting state is how __setstate__ would run code. On dicts (an
        // OrderedDict's `_metadata`) and tensors the state is not needed and is dropped.
        if (target instanceof PickleObject) {
          target.state = state
          this.#grow(target, [state])
        }

        return
      }

      case Op.PERSID:
        this.#push(this.#hooks.persistentLoad(this.#line()))
        return
      case Op.BINPERSID:
        this.#push(this.#hooks.persistentLoad(this.#pop()))
        return

      case Op.STRING:
        throw this.#fail('protocol 0 quoted strings (STRING) are not supported; the checkpoint was written with protocol 0, re-save it with torch.save')
      case Op.EXT1:
      case Op.EXT2:
      case Op.EXT4:
        throw this.#fail(`${opcodeName(op)} names a global through Python's extension registry, which a file reader cannot see`)
      case Op.NEXT_BUFFER:
        throw this.#fail('NEXT_BUFFER refers to an out-of-band buffer, which a file cannot hold')
      default:
        throw this.#fail(`unknown opcode ${opcodeName(op)}`)
    }
  }

  #global(rawModule: string, name: string): PickleGlobal {
    const module = PY2_MODULES[rawModule] ?? rawModule
    const key = `${module}.${name}`
    const known = this.#globals.get(key)
    if (known) return known
    const listed = this.#hooks.findGlobal(module, name)
    if (listed === undefined) {
      if (this.#options.strict) {
        throw inputError(
          `${this.#options.source}: the pickle references ${key}, which is not on alignctl's list of globals needed to rebuild tensors (strict mode).`,
          'Save only the state dict (`torch.save(model.state_dict(), path)`) or a .safetensors file, or open the checkpoint without strict mode to skip unneeded parts.',
        )
      }

      this.#unlisted.add(key)
    }

    const global = new PickleGlobal(module, name, listed)
    this.#globals.set(key, global)
    if (listed === undefined && this.#hooks.isDangerous?.(module, name)) this.#dangerous.push(global)
    return global
  }

  /** Runs a listed global's data builder, or records the call. Nothing from the file is run. */
  #call(callee: PickleValue, args: readonly PickleValue[]): PickleValue {
    if (callee instanceof PickleGlobal && callee.listed?.call) {
      const built = callee.listed.call(args)
      if (built !== undefined) return this.#nested(built, args)
    }

    return this.#nested(new PickleObject(callee, args), [callee, ...args])
  }

  /** Records how deep `value` (built from `children`, by default its own items) nests; refuses too deep. */
  #nested<T extends PickleValue>(value: T, children?: readonly PickleValue[]): T {
    if (value === null || typeof value !== 'object') return value
    const parts = children ?? (value instanceof PickleTuple ? value.items : Array.isArray(value) ? value : value instanceof Set ? [...value] : [])
    this.#setDepth(value, 1 + this.#maxDepth(parts))
    return value
  }

  /** A container that got `items` after it was built nests at least one level deeper than they do. */
  #grow(target: object, items: readonly PickleValue[]): void {
    const depth = 1 + this.#maxDepth(items)
    if (depth > (this.#depths.get(target) ?? 0)) this.#setDepth(target, depth)
  }

  #maxDepth(items: readonly PickleValue[]): number {
    let max = 0
    for (const item of items) {
      if (item !== null && typeof item === 'object') max = Math.max(max, this.#depths.get(item) ?? 0)
    }

    return max
  }

  #setDepth(value: object, depth: number): void {
    if (depth > MAX_PICKLE_NESTING) {
      throw inputError(
        `${this.#options.source}: the pickle nests containers or calls more than ${MAX_PICKLE_NESTING} levels deep (at byte ${this.#opStart}), which no checkpoint needs; it may be built to crash readers.`,
        'Do not use this file; save the weights with torch.save(model.state_dict(), path) or as .safetensors.',
      )
    }

    this.#depths.set(value, depth)
  }

  /** The error for a pickle that references dangerous globals, naming each and where it sits. */
  #refuseDangerous(root: PickleValue): Error {
    const places = locateGlobals(root, new Set(this.#dangerous))
    const named = this.#dangerous.slice(0, 5).map((global) => {
      const where = places.get(global)
      return `${global.qualifiedName} (${where === undefined ? 'not kept in the loaded object' : `at ${where}`})`
    })
    const more = this.#dangerous.length > 5 ? ` and ${this.#dangerous.length - 5} more` : ''
    return inputError(
      `${this.#options.source}: the pickle references ${named.join(', ')}${more}: process, file-system, network, import or code-execution entry points that loading it with torch.load would run. alignctl refused the whole file and ran nothing in it.`,
      'Do not load this file with torch either. Ask its publisher for a .safetensors file, or a checkpoint saved with torch.save(model.state_dict(), path).',
    )
  }

  #appendTo(target: PickleValue | undefined, items: PickleValue[]): void {
    if (Array.isArray(target)) pushAll(target, items)
    else if (target instanceof PickleObject) pushAll(target.listItems, items)
    else throw this.#fail('APPEND onto something that is not a list')
    this.#grow(target, items)
  }

  #setItems(target: PickleValue | undefined, flat: PickleValue[]): void {
    if (flat.length % 2 !== 0) throw this.#fail('SETITEMS with an odd number of items')
    const into = target instanceof Map ? target : target instanceof PickleObject ? target.dictItems : undefined
    if (into === undefined) throw this.#fail('SETITEM onto something that is not a dict')
    for (let i = 0; i < flat.length; i += 2) into.set(flat[i] as PickleValue, flat[i + 1] as PickleValue)
    this.#grow(target as object, flat)
  }

  #push(value: PickleValue): void {
    this.#stack.push(value)
  }

  #pop(): PickleValue {
    if (this.#stack.length === 0) throw this.#fail('the stack is empty')
    return this.#stack.pop() as PickleValue
  }

  #top(): PickleValue {
    if (this.#stack.length === 0) throw this.#fail('the stack is empty')
    return this.#stack[this.#stack.length - 1] as PickleValue
  }

  #popN(count: number): PickleValue[] {
    if (this.#stack.length < count) throw this.#fail('the stack is too short')
    return this.#stack.splice(this.#stack.length - count, count)
  }

  #popMark(): PickleValue[] {
    const items = this.#stack
    const outer = this.#marks.pop()
    if (outer === undefined) throw this.#fail('no MARK to pop to')
    this.#stack = outer
    return items
  }

  #memoGet(index: number): PickleValue {
    if (!this.#memo.has(index)) throw this.#fail(`memo entry ${index} was never stored`)
    return this.#memo.get(index) as PickleValue
  }

  #take(length: number): Uint8Array {
    if (this.#pos + length > this.#bytes.length) throw this.#fail('the data ends inside an opcode (truncated pickle)')
    const out = this.#bytes.subarray(this.#pos, this.#pos + length)
    this.#pos += length
    return out
  }

  #u8(): number {
    return this.#take(1)[0] as number
  }

  #u16(): number {
    this.#take(2)
    return this.#data.getUint16(this.#pos - 2, true)
  }

  #i32(): number {
    this.#take(4)
    return this.#data.getInt32(this.#pos - 4, true)
  }

  #f64BigEndian(): number {
    this.#take(8)
    return this.#data.getFloat64(this.#pos - 8, false)
  }

  #u32(): number {
    this.#take(4)
    return this.#data.getUint32(this.#pos - 4, true)
  }

  #i32Length(): number {
    const length = this.#i32()
    if (length < 0) throw this.#fail('negative length')
    return length
  }

  #u64(): number {
    this.#take(8)
    const value = this.#data.getBigUint64(this.#pos - 8, true)
    // Any honest length fits in the file, so it is far below 2^53.
    if (value > BigInt(this.#bytes.length)) throw this.#fail('a length runs past the end of the data')
    return Number(value)
  }

  #line(): string {
    const end = this.#bytes.indexOf(0x0a, this.#pos)
    if (end === -1) throw this.#fail('the data ends inside a text line')
    const text = this.#latin1.decode(this.#bytes.subarray(this.#pos, end))
    this.#pos = end + 1
    return text
  }

  #lineInt(): number {
    const value = this.#parseInt(this.#line())
    if (typeof value !== 'number') throw this.#fail('memo index too large')
    return value
  }

  #parseInt(text: string): number | bigint {
    if (!/^[+-]?\d+$/.test(text.trim())) throw this.#fail(`"${text}" is not an integer`)
    return narrow(BigInt(text.trim()))
  }

  #fail(what: string): Error {
    return inputError(
      `${this.#options.source}: cannot read the pickle at byte ${this.#opStart}: ${what}.`,
      'The checkpoint may be damaged or not made by torch.save; download it again, or re-save it with torch.save.',
    )
  }
}

/**
 * Where each of `wanted` first sits in `root`, as a path of keys (`["hyper_parameters"]["cb"]`,
 * `.args[0]` inside a recorded call). Iterative, so no nesting can overflow the stack.
 */
function locateGlobals(root: PickleValue, wanted: ReadonlySet<PickleGlobal>): Map<PickleGlobal, string> {
  const found = new Map<PickleGlobal, string>()
  const seen = new Set<object>()
  const todo: Array<[PickleValue, string]> = [[root, '']]
  while (todo.length > 0 && found.size < wanted.size) {
    const [value, path] = todo.pop() as [PickleValue, string]
    if (value === null || typeof value !== 'object' || seen.has(value)) continue
    seen.add(value)
    const children: Array<[PickleValue, string]> = []
    if (value instanceof PickleGlobal) {
      if (wanted.has(value) && !found.has(value)) found.set(value, path === '' ? 'the top level' : path)
    } else if (value instanceof Map) {
      for (const [key, item] of value) children.push([key, `${path}.keys()`], [item, `${path}[${keyText(key)}]`])
    } else if (Array.isArray(value) || value instanceof PickleTuple) {
      const items = Array.isArray(value) ? value : value.items
      items.forEach((item, i) => children.push([item, `${path}[${i}]`]))
    } else if (value instanceof Set) {
      for (const item of value) children.push([item, `${path}{item}`])
    } else if (value instanceof PickleObject) {
      children.push([value.callee, path === '' ? 'the top level (called)' : `${path} (called)`])
      value.args.forEach((item, i) => children.push([item, `${path}.args[${i}]`]))
      if (value.kwargs !== undefined) children.push([value.kwargs, `${path}.kwargs`])
      if (value.state !== undefined) children.push([value.state, `${path}.state`])
      value.listItems.forEach((item, i) => children.push([item, `${path}[${i}]`]))
      for (const [key, item] of value.dictItems) children.push([key, `${path}.keys()`], [item, `${path}[${keyText(key)}]`])
    }

    // Depth-first in file order: push children reversed.
    for (let i = children.length - 1; i >= 0; i--) todo.push(children[i] as [PickleValue, string])
  }

  return found
}

function keyText(key: PickleValue): string {
  if (typeof key === 'string') return JSON.stringify(key)
  if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') return String(key)
  return '<key>'
}

/** push(...items) overflows the call stack for very long marks; a file can make one. */
function pushAll(target: PickleValue[], items: readonly PickleValue[]): void {
  for (const item of items) target.push(item)
}

/** A Python int: a JS number when exact, else a bigint. */
function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
}

/** LONG1/LONG4 payload: little-endian two's complement. */
function littleEndianSigned(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0
  let value = 0n
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number)
  if ((bytes[bytes.length - 1] as number) & 0x80) value -= 1n << BigInt(bytes.length * 8)
  return narrow(value)
}

/** Python's raw-unicode-escape: latin-1 text in which only \uXXXX and \UXXXXXXXX are escapes. */
function decodeRawUnicodeEscape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, short: string | undefined, long: string | undefined) =>
    {
      const code = Number.parseInt((short ?? long) as string, 16)
      return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
    },
  )
}
