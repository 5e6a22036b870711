import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, test} from 'node:test'

import {AlignctlError} from '../../../src/kernel/errors.js'
import {unpickle, type UnpicklerHooks} from '../../../src/models/checkpoint/pickle/unpickler.js'
import {findUnlistedGlobal, PickleGlobal, PickleObject, PickleTuple, type PickleValue} from '../../../src/models/checkpoint/pickle/values.js'
import {findTorchGlobal} from '../../../src/models/checkpoint/torch-globals.js'
import {expected, fixture} from './fixtures.js'

const hooks: UnpicklerHooks = {
  findGlobal: findTorchGlobal,
  persistentLoad: () => {
    throw new Error('no persistent ids here')
  },
}

const load = (bytes: Uint8Array, strict = false) => unpickle(bytes, hooks, {source: 'test.pkl', strict})

/** The JSON form scripts/fixtures/checkpoints.py writes for a Python value. */
function encode(value: PickleValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'bigint') return {int: value.toString()}
  if (typeof value === 'number') return Number.isFinite(value) ? value : {float: Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf'}
  if (value instanceof Uint8Array) return {bytes: Buffer.from(value).toString('hex')}
  if (Array.isArray(value)) return value.map(encode)
  if (value instanceof PickleTuple) return {tuple: value.items.map(encode)}
  if (value instanceof Map) return {dict: [...value].map(([k, v]) => [encode(k), encode(v)])}
  if (value instanceof Set) return {set: [...value].map(encode)}
  throw new Error(`unexpected value ${String(value)}`)
}

function refused(bytes: number[] | Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => load(Uint8Array.from(bytes)),
    (error: unknown) => error instanceof AlignctlError && pattern.test(error.message),
  )
}

const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')]

describe('unpickle', () => {
  for (const protocol of [0, 1, 2, 3, 4, 5]) {
    const name = `values-protocol${protocol}.pkl`
    test(`protocol ${protocol}: every kind of value Python writes`, () => {
      const {value, unlistedGlobals} = load(readFileSync(fixture(name)))
      assert.deepEqual(unlistedGlobals, [])
      assert.deepEqual(encode(value), expected.pickles[name])
    })
  }

  test('the memo keeps shared objects shared', () => {
    const {value} = load(readFileSync(fixture('values-protocol2.pkl')))
    assert.ok(value instanceof Map)
    assert.equal(value.get('shared'), value.get('shared_again'))
  })

  test('an unlisted global becomes an inert record of the call, with what was put into it', () => {
    // os.system("echo hi") as protocol 2: GLOBAL, the argument tuple, REDUCE; then BUILD a state.
    const pickle = [0x80, 2, ...ascii('cposix\nsystem\n'), 0x58, 7, 0, 0, 0, ...ascii('echo hi'), 0x85, 0x52, 0x7d, 0x62, 0x2e]
    const {value, unlistedGlobals} = load(Uint8Array.from(pickle))
    assert.deepEqual(unlistedGlobals, ['posix.system'])
    assert.ok(value instanceof PickleObject)
    assert.ok(value.callee instanceof PickleGlobal)
    assert.equal(value.callee.qualifiedName, 'posix.system')
    assert.deepEqual(value.args, ['echo hi'])
    assert.ok(value.state instanceof Map)
    assert.equal(findUnlistedGlobal(value)?.qualifiedName, 'posix.system')
  })

  test('protocol 4 STACK_GLOBAL and NEWOBJ_EX are recorded the same way', () => {
    const pickle = [0x80, 4, 0x8c, 8, ...ascii('builtins'), 0x8c, 4, ...ascii('exec'), 0x93, 0x29, 0x7d, 0x92, 0x2e]
    const {value} = load(Uint8Array.from(pickle))
    assert.ok(value instanceof PickleObject)
    assert.equal(findUnlistedGlobal(value)?.qualifiedName, 'builtins.exec')
  })

  test('strict mode refuses the first unlisted global by name', () => {
    assert.throws(() => load(Uint8Array.from([0x80, 2, ...ascii('cbuiltins\neval\n'), 0x2e]), true), /test\.pkl: the pickle references builtins\.eval, which is not on alignctl's list/)
  })

  test('Python 2 module names map to Python 3 ones', () => {
    const pickle = [0x80, 2, ...ascii('c__builtin__\nset\n'), 0x5d, 0x4b, 1, 0x61, 0x85, 0x52, 0x2e]
    assert.deepEqual(load(Uint8Array.from(pickle)).value, new Set([1]))
  })

  test('a very long APPENDS (more items than a call can spread) still loads', () => {
    const count = 300_000
    const pickle = [0x80, 2, 0x5d, 0x28, ...Array.from({length: count}, () => [0x4b, 1]).flat(), 0x65, 0x2e]
    const {value} = load(Uint8Array.from(pickle))
    assert.ok(Array.isArray(value))
    assert.equal(value.length, count)
  })

  test('malformed pickles fail with the byte offset, never a crash', () => {
    refused([0x80, 2, 0x58, 9, 0, 0, 0, 0x61], /test\.pkl: cannot read the pickle at byte 2: the data ends inside an opcode/)
    refused([0x80, 2, 0x52, 0x2e], /at byte 2: the stack is empty/)
    refused([0x80, 2, 0xff], /unknown opcode 0xff/)
    refused([0x80, 6, 0x2e], /pickle protocol 6 is newer than 5/)
    refused([0x80, 2, 0x68, 3, 0x2e], /memo entry 3 was never stored/)
    refused([0x80, 2, 0x4e, 0x4e, 0x61, 0x2e], /APPEND onto something that is not a list/)
    refused([0x80, 2, 0x82, 1, 0x2e], /EXT1 \(0x82\) names a global through Python's extension registry/)
    refused([0x80, 2, 0x4e, 0x4e, 0x52, 0x2e], /REDUCE arguments are not a tuple/)
    refused([0x80, 2, 0x31, 0x2e], /no MARK to pop to/)
    refused([0x80, 2, 0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], /a length runs past the end of the data/)
    refused([], /the data ends inside an opcode/)
  })
})
