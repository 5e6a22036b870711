// A tiny pickle assembler for the hostile-checkpoint tests: each test builds the exact opcodes
// it attacks with, so no hostile file is committed and no Python is needed.
import {writeZip64} from './zip-writer.js'

const u32 = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]
const ascii = (text: string): number[] => [...Buffer.from(text, 'utf8')]

/** Opcodes as byte arrays; concatenate them and end with STOP. */
export const op = {
  proto: [0x80, 2],
  mark: [0x28],
  stop: [0x2e],
  pop: [0x30],
  none: [0x4e],
  emptyDict: [0x7d],
  emptyList: [0x5d],
  emptyTuple: [0x29],
  tuple: [0x74],
  tuple1: [0x85],
  tuple2: [0x86],
  append: [0x61],
  setitem: [0x73],
  setitems: [0x75],
  reduce: [0x52],
  build: [0x62],
  binpersid: [0x51],
  int: (value: number): number[] => [0x4a, ...u32(value)],
  str: (text: string): number[] => [0x58, ...u32(Buffer.byteLength(text)), ...ascii(text)],
  global: (module: string, name: string): number[] => [0x63, ...ascii(`${module}\n${name}\n`)],
}

/** `module.name(*args)` where each arg is already opcodes. */
export const call = (module: string, name: string, ...args: number[][]): number[] => [...op.global(module, name), ...op.mark, ...args.flat(), ...op.tuple, ...op.reduce]

/** A dict literal from [key, value-opcodes] pairs. */
export const dict = (...pairs: Array<[string, number[]]>): number[] => [...op.emptyDict, ...op.mark, ...pairs.flatMap(([key, value]) => [...op.str(key), ...value]), ...op.setitems]

/** A float32 tensor of `count` elements over storage key `key` (torch's rebuild call). */
export const tensor = (key: string, count: number): number[] =>
  call(
    'torch._utils',
    '_rebuild_tensor_v2',
    [...op.mark, ...op.str('storage'), ...op.global('torch', 'FloatStorage'), ...op.str(key), ...op.str('cpu'), ...op.int(count), ...op.tuple, ...op.binpersid],
    op.int(0),
    [...op.int(count), ...op.tuple1],
    [...op.int(1), ...op.tuple1],
    [0x89],
    call('collections', 'OrderedDict'),
  )

export const pickle = (...parts: number[][]): Uint8Array => Uint8Array.from([...op.proto, ...parts.flat(), ...op.stop])

/**
 * A torch zip checkpoint whose data.pkl is `pickleBytes` and whose storages `0`, `1`, ... hold
 * the given float32 values.
 */
export async function writeCheckpoint(file: string, pickleBytes: Uint8Array, storages: number[][] = []): Promise<string> {
  await writeZip64(file, [
    {name: 'archive/data.pkl', data: pickleBytes},
    ...storages.map((values, i) => ({name: `archive/data/${i}`, data: new Uint8Array(Float32Array.from(values).buffer)})),
  ])
  return file
}
