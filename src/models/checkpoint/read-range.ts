import type {FileHandle} from 'node:fs/promises'

import {inputError} from '../../kernel/errors.js'

/** fs reads take an int32 length; larger ranges are read in slices of this size. */
const MAX_READ = 1 << 30

/**
 * Reads exactly `length` bytes at `position` into a fresh buffer (so typed-array views over
 * it are aligned). `what` starts the error message when the file ends first, e.g.
 * `model.ckpt: tensor "w"`.
 */
export async function readRange(handle: FileHandle, position: number, length: number, what: string): Promise<Uint8Array> {
  if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0) {
    throw inputError(`${what}: a declared offset or size (${position}, ${length}) is not a byte count a file can hold.`, 'The file is damaged or built to mislead readers: do not use it.')
  }

  const {size} = await handle.stat()
  if (position + length > size) {
    throw inputError(`${what}: the file ends at byte ${size}, ${position + length - size} bytes before the data does.`, 'The file is truncated: download or copy it again.')
  }

  const out = new Uint8Array(length)
  let done = 0
  while (done < length) {
    const want = Math.min(MAX_READ, length - done)
    const {bytesRead} = await handle.read(out, done, want, position + done)
    if (bytesRead === 0) {
      throw inputError(
        `${what}: the file ends at byte ${position + done}, ${length - done} bytes before the data does.`,
        'The file is truncated: download or copy it again.',
      )
    }

    done += bytesRead
  }

  return out
}
