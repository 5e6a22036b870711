/**
 * Python values as the restricted unpickler rebuilds them: plain data, never live objects.
 * Nothing here can run code; an object the pickle would have built by calling something is
 * a {@link PickleObject} that records the call and is never acted on.
 */

/** A value that a listed global builds for its host (here: torch storages and tensors). */
export abstract class HostValue {
  /** What it is, for messages: `tensor float32[2, 3]`. */
  abstract describe(): string
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  /** list */
  | PickleValue[]
  | PickleTuple
  /** dict, OrderedDict and the dict subclasses checkpoints use; insertion order kept. */
  | Map<PickleValue, PickleValue>
  /** set, frozenset */
  | Set<PickleValue>
  | PickleGlobal
  | PickleObject
  | HostValue

/** A tuple (immutable, so kept apart from lists). */
export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** What a listed global does when the pickle calls it: builds inert data from its arguments. */
export interface ListedGlobal {
  /**
   * The result of calling (or instantiating) the global with `args`, or undefined when the
   * arguments are not the expected kind; the call is then recorded as a {@link PickleObject}.
   * Absent for globals that are only ever passed around as values (storage types).
   */
  call?: (args: readonly PickleValue[]) => PickleValue | undefined
}

/** A reference to `module.name` as the pickle wrote it; never imported or called. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    /** How a listed global builds data; undefined for a global outside the list. */
    readonly listed: ListedGlobal | undefined,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`
  }
}

/**
 * An object the pickle would have built by calling `callee` (REDUCE, NEWOBJ, INST, OBJ),
 * recorded instead of built, with whatever the pickle later put into it.
 */
export class PickleObject {
  /** The state BUILD would have set (often the object's `__dict__`). */
  state: PickleValue | undefined
  /** Items APPEND/APPENDS/ADDITEMS would have added. */
  readonly listItems: PickleValue[] = []
  /** Items SETITEM/SETITEMS would have set. */
  readonly dictItems = new Map<PickleValue, PickleValue>()

  constructor(
    readonly callee: PickleValue,
    readonly args: readonly PickleValue[],
    readonly kwargs?: PickleValue,
  ) {}
}

/**
 * The first global outside the list that `value` was built with (its callee first, then its
 * arguments), to name it in errors. Undefined when every call in it was to a listed global.
 */
export function findUnlistedGlobal(value: PickleValue): PickleGlobal | undefined {
  let found: PickleGlobal | undefined
  walkPickle(value, (node) => {
    if (!(node instanceof PickleGlobal)) return 'descend'
    if (node.listed === undefined) found = node
    return found === undefined ? 'skip' : 'stop'
  })
  return found
}

/**
 * Visits every object a pickled value is built from, depth first, callee before arguments,
 * each once. Iterative: a hostile file can nest deeply. The visitor says whether to look
 * inside the node, skip its parts, or stop the walk.
 */
export function walkPickle(value: PickleValue, visit: (node: object) => 'descend' | 'skip' | 'stop'): void {
  const seen = new Set<unknown>()
  const todo: PickleValue[] = [value]
  while (todo.length > 0) {
    const next = todo.pop() as PickleValue
    if (next === null || typeof next !== 'object' || seen.has(next)) continue
    seen.add(next)
    const step = visit(next)
    if (step === 'stop') return
    if (step === 'skip') continue
    const parts = next instanceof PickleObject ? [next.callee, ...next.args] : next instanceof PickleTuple ? next.items : Array.isArray(next) ? next : []
    for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i] as PickleValue)
  }
}

/** A short description of a value's kind, for messages. */
export function describeValue(value: PickleValue): string {
  if (value === null) return 'None'
  if (typeof value === 'boolean') return 'a bool'
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number'
  if (typeof value === 'string') return 'a string'
  if (value instanceof Uint8Array) return 'bytes'
  if (Array.isArray(value)) return 'a list'
  if (value instanceof PickleTuple) return 'a tuple'
  if (value instanceof Map) return 'a dict'
  if (value instanceof Set) return 'a set'
  if (value instanceof PickleGlobal) return `the global ${value.qualifiedName}`
  if (value instanceof PickleObject) {
    const callee = value.callee instanceof PickleGlobal ? value.callee.qualifiedName : 'a computed callable'
    return `an object built by ${callee}`
  }

  return value.describe()
}
