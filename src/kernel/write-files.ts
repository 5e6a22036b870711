/**
 * Writing files so that a failure never leaves a half-written one behind, and says what to do.
 *
 * Disk full, quota, read-only file systems and I/O errors reach users as Node's
 * `ENOSPC: no space left on device, write`, which names neither the file nor a fix; these
 * helpers turn them into exit-3 sentences that name the file and what to do about it.
 */
import {randomBytes} from 'node:crypto'
import {open, rename, rm, type FileHandle} from 'node:fs/promises'

import {isAlignctlError, runtimeError, type AlignctlError} from './errors.js'

/** What each errno that writing can meet means, in words. */
const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than the file system allows',
  EIO: 'the disk reported an input/output error',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'the path is a folder',
}

/** The errno code of a failed write, when it is one of those above. */
export function writeErrorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && code in WRITE_ERRORS ? code : undefined
}

/**
 * An exit-3 error for a failed write of `file` (`what` names it: "scores.jsonl", "the model
 * pack"), with a fix that fits the errno: free space for a full disk, another folder otherwise.
 * `elsewhere` says how to choose another place ("choose another folder with --out").
 */
export function writeFailure(file: string, what: string, error: unknown, elsewhere: string): AlignctlError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const why = code !== undefined && code in WRITE_ERRORS ? `${WRITE_ERRORS[code]} (${code})` : (error as Error).message
  const fix =
    code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
      ? `Free some space on that disk, or ${elsewhere}.`
      : code === 'ENOENT'
        ? `Create that folder first, or ${elsewhere}.`
        : `Check that the folder is writable, or ${elsewhere}.`
  return runtimeError(`${file}: cannot write ${what}: ${why}.`, {cause: error, suggestions: [fix]})
}

/** A temp name beside `file`, unique to this process and call: two writers never share one. */
export function tempName(file: string): string {
  return `${file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`
}

export interface AtomicWriteOptions {
  /** Names the file in a failure: "scores.jsonl", "the report". */
  what: string
  /** How to write elsewhere instead: "choose another folder with --out". */
  elsewhere: string
}

/** Chunks are gathered up to this size before each write: one syscall per row would be slow. */
const FLUSH_BYTES = 1 << 20

/**
 * Writes `content` (a string, or strings such as lines, streamed, sync or async) to a temp file beside `file`
 * and renames it into place, so `file` is the old one or the whole new one, never a part.
 * On any failure the temp file is removed and the error names `file` and the fix.
 */
export async function writeFileAtomically(file: string, content: string | Iterable<string> | AsyncIterable<string>, options: AtomicWriteOptions): Promise<void> {
  const temp = tempName(file)
  let handle
  try {
    handle = await open(temp, 'wx')
    const parts: string[] = []
    let pending = 0
    const flush = async () => {
      const bytes = Buffer.from(parts.join(''))
      parts.length = 0
      pending = 0
      await writeAll(handle!, bytes)
    }
    for await (const chunk of typeof content === 'string' ? [content] : content) {
      parts.push(chunk)
      pending += chunk.length
      if (pending >= FLUSH_BYTES) await flush()
    }
    await flush()
    await handle.close()
    handle = undefined
    await rename(temp, file)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await rm(temp, {force: true}).catch(() => undefined)
    // Only the file system's errors are about this file; others (a row that cannot be turned into JSON) pass as they are.
    if (typeof (error as NodeJS.ErrnoException).code !== 'string' || isAlignctlError(error)) throw error
    throw writeFailure(file, options.what, error, options.elsewhere)
  }
}

/**
 * Writes every byte of `bytes` (a short write continues), at `position` and on when given,
 * else at the handle's current position.
 */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position?: number): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const {bytesWritten} = await handle.write(bytes, at, bytes.length - at, position === undefined ? null : position + at)
    at += bytesWritten
  }
}
