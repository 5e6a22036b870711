/**
 * Pickle opcodes by byte value, from the format's public description (Python's `pickletools`
 * documents each one). Names follow that documentation so a disassembly reads the same.
 */
export const Op = {
  // Stack and memo
  MARK: 0x28, // (
  STOP: 0x2e, // .
  POP: 0x30, // 0
  POP_MARK: 0x31, // 1
  DUP: 0x32, // 2
  PUT: 0x70, // p
  BINPUT: 0x71, // q
  LONG_BINPUT: 0x72, // r
  GET: 0x67, // g
  BINGET: 0x68, // h
  LONG_BINGET: 0x6a, // j
  MEMOIZE: 0x94,
  FRAME: 0x95,
  PROTO: 0x80,
  // Scalars
  NONE: 0x4e, // N
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  INT: 0x49, // I
  BININT: 0x4a, // J
  BININT1: 0x4b, // K
  BININT2: 0x4d, // M
  LONG: 0x4c, // L
  LONG1: 0x8a,
  LONG4: 0x8b,
  FLOAT: 0x46, // F
  BINFLOAT: 0x47, // G
  // Strings and bytes
  STRING: 0x53, // S
  BINSTRING: 0x54, // T
  SHORT_BINSTRING: 0x55, // U
  UNICODE: 0x56, // V
  BINUNICODE: 0x58, // X
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  BINBYTES: 0x42, // B
  SHORT_BINBYTES: 0x43, // C
  BINBYTES8: 0x8e,
  BYTEARRAY8: 0x96,
  NEXT_BUFFER: 0x97,
  READONLY_BUFFER: 0x98,
  // Containers
  EMPTY_TUPLE: 0x29, // )
  TUPLE: 0x74, // t
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  EMPTY_LIST: 0x5d, // ]
  LIST: 0x6c, // l
  APPEND: 0x61, // a
  APPENDS: 0x65, // e
  EMPTY_DICT: 0x7d, // }
  DICT: 0x64, // d
  SETITEM: 0x73, // s
  SETITEMS: 0x75, // u
  EMPTY_SET: 0x8f,
  ADDITEMS: 0x90,
  FROZENSET: 0x91,
  // Globals, calls and objects
  GLOBAL: 0x63, // c
  STACK_GLOBAL: 0x93,
  REDUCE: 0x52, // R
  BUILD: 0x62, // b
  INST: 0x69, // i
  OBJ: 0x6f, // o
  NEWOBJ: 0x81,
  NEWOBJ_EX: 0x92,
  EXT1: 0x82,
  EXT2: 0x83,
  EXT4: 0x84,
  PERSID: 0x50, // P
  BINPERSID: 0x51, // Q
} as const

const NAMES = new Map<number, string>(Object.entries(Op).map(([name, code]) => [code, name]))

/** `BINPUT (0x71)`, or `0x07` for a byte that is no opcode. */
export function opcodeName(code: number): string {
  const hex = `0x${code.toString(16).padStart(2, '0')}`
  const name = NAMES.get(code)
  return name === undefined ? hex : `${name} (${hex})`
}
