// A test-only zip writer: stored entries with every size and offset in zip64 fields, and
// entries that may be holes (sparse), to build a >4 GB checkpoint without 4 GB of disk.
import {open} from 'node:fs/promises'

export interface ZipInput {
  name: string
  /** The entry's bytes, or a size for an entry of zeros left as a hole in the file. */
  data: Uint8Array | {hole: number}
  /** 0 stored (default), 8 deflated: then `data` is the deflated bytes. */
  method?: number
  /** The uncompressed size to declare, when it should differ from the data's (hostile files). */
  declaredSize?: bigint
}

const U32_MAX = 0xffffffff

export async function writeZip64(file: string, entries: readonly ZipInput[]): Promise<void> {
  const handle = await open(file, 'w')
  const central: Buffer[] = []
  let position = 0
  const write = async (bytes: Uint8Array) => {
    await handle.write(bytes, 0, bytes.length, position)
    position += bytes.length
  }

  try {
    for (const entry of entries) {
      const name = Buffer.from(entry.name)
      const size = entry.data instanceof Uint8Array ? entry.data.length : entry.data.hole
      const declared = entry.declaredSize ?? BigInt(size)
      const offset = position
      const local = Buffer.alloc(30 + name.length + 20)
      local.writeUInt32LE(0x04034b50, 0)
      local.writeUInt16LE(45, 4)
      local.writeUInt16LE(entry.method ?? 0, 8)
      local.writeUInt32LE(U32_MAX, 18)
      local.writeUInt32LE(U32_MAX, 22)
      local.writeUInt16LE(name.length, 26)
      local.writeUInt16LE(20, 28)
      name.copy(local, 30)
      local.writeUInt16LE(1, 30 + name.length)
      local.writeUInt16LE(16, 32 + name.length)
      local.writeBigUInt64LE(declared, 34 + name.length)
      local.writeBigUInt64LE(BigInt(size), 42 + name.length)
      await write(local)
      if (entry.data instanceof Uint8Array) await write(entry.data)
      else position += size // CRCs are left 0: the reader does not check them.

      const header = Buffer.alloc(46 + name.length + 28)
      header.writeUInt32LE(0x02014b50, 0)
      header.writeUInt16LE(45, 4)
      header.writeUInt16LE(45, 6)
      header.writeUInt16LE(entry.method ?? 0, 10)
      header.writeUInt32LE(U32_MAX, 20)
      header.writeUInt32LE(U32_MAX, 24)
      header.writeUInt16LE(name.length, 28)
      header.writeUInt16LE(28, 30)
      header.writeUInt32LE(U32_MAX, 42)
      name.copy(header, 46)
      header.writeUInt16LE(1, 46 + name.length)
      header.writeUInt16LE(24, 48 + name.length)
      header.writeBigUInt64LE(declared, 50 + name.length)
      header.writeBigUInt64LE(BigInt(size), 58 + name.length)
      header.writeBigUInt64LE(BigInt(offset), 66 + name.length)
      central.push(header)
    }

    const directory = Buffer.concat(central)
    const directoryOffset = position
    await write(directory)
    const zip64End = position
    const end = Buffer.alloc(56 + 20 + 22)
    end.writeUInt32LE(0x06064b50, 0)
    end.writeBigUInt64LE(44n, 4)
    end.writeUInt16LE(45, 12)
    end.writeUInt16LE(45, 14)
    end.writeBigUInt64LE(BigInt(entries.length), 24)
    end.writeBigUInt64LE(BigInt(entries.length), 32)
    end.writeBigUInt64LE(BigInt(directory.length), 40)
    end.writeBigUInt64LE(BigInt(directoryOffset), 48)
    end.writeUInt32LE(0x07064b50, 56)
    end.writeBigUInt64LE(BigInt(zip64End), 64)
    end.writeUInt32LE(1, 72)
    end.writeUInt32LE(0x06054b50, 76)
    end.writeUInt16LE(0xffff, 84)
    end.writeUInt16LE(0xffff, 86)
    end.writeUInt32LE(U32_MAX, 88)
    end.writeUInt32LE(U32_MAX, 92)
    await write(end)
  } finally {
    await handle.close()
  }
}
