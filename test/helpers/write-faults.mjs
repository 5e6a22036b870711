// A disk that fills up, for tests: loaded into a CLI child process with
// NODE_OPTIONS=--import <this file> (see writeFaultEnv in write-faults.ts). It wraps
// fs/promises `open`, `writeFile` and `appendFile`, and the callback `open`/`write`/`writev`
// that write streams use, so that writes to files whose path matches
// ALIGNCTL_TEST_WRITE_FAULT's `match` fail with its `code` (ENOSPC, EIO, ...) once `afterBytes`
// bytes have gone to them in all: the write that crosses the bound is short, as a real full disk
// makes it, and every later one fails. In-process tests import it and call setWriteFault.
// Plain JavaScript: the built CLI runs without tsx.
import {syncBuiltinESMExports} from 'node:module'
import fs from 'node:fs'

let spec = null
let match = /$^/
let budget = 0

/** Sets (or with null, lifts) the fault: `{match, afterBytes, code}`, `match` a RegExp source. */
export function setWriteFault(next) {
  spec = next
  match = new RegExp(next?.match ?? '$^')
  budget = next?.afterBytes ?? 0
}

{
  const fail = () => Object.assign(new Error(`${spec.code}: simulated failure, write`), {code: spec.code, errno: -28, syscall: 'write'})
  const pathOf = (p) => (typeof p === 'string' ? p : p instanceof URL ? p.pathname : Buffer.isBuffer(p) ? p.toString() : undefined)
  const matches = (p) => {
    const path = pathOf(p)
    return spec !== null && path !== undefined && match.test(path)
  }

  const promises = fs.promises
  const open = promises.open
  promises.open = async function (path, ...rest) {
    const handle = await open.call(this, path, ...rest)
    if (!matches(path)) return handle
    const write = handle.write.bind(handle)
    handle.write = async (data, ...args) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data
      const [offset = 0, length = bytes.byteLength - offset, position = null] = typeof data === 'string' ? [] : args
      if (budget <= 0) throw fail()
      const allowed = Math.min(length, budget)
      budget -= allowed
      return write(bytes, offset, allowed, position)
    }
    return handle
  }
  for (const name of ['writeFile', 'appendFile']) {
    const original = promises[name]
    promises[name] = async function (path, data, ...rest) {
      if (!matches(path)) return original.call(this, path, data, ...rest)
      const bytes = Buffer.from(data)
      if (bytes.length <= budget) {
        budget -= bytes.length
        return original.call(this, path, data, ...rest)
      }
      const allowed = Math.max(0, budget)
      budget = 0
      await original.call(this, path, bytes.subarray(0, allowed), ...rest)
      throw fail()
    }
  }
  // Streams (fs.createWriteStream) write through the callback API: fs.open, fs.write, fs.writev.
  const faulty = new Set()
  const openCallback = fs.open
  fs.open = function (path, ...rest) {
    const done = rest.pop()
    return openCallback.call(this, path, ...rest, (error, fd) => {
      if (!error && matches(path)) faulty.add(fd)
      done(error, fd)
    })
  }
  const closeCallback = fs.close
  fs.close = function (fd, ...rest) {
    faulty.delete(fd)
    return closeCallback.call(this, fd, ...rest)
  }
  const writeCallback = fs.write
  fs.write = function (fd, buffer, ...rest) {
    if (!faulty.has(fd) || spec === null || typeof buffer === 'string') return writeCallback.call(this, fd, buffer, ...rest)
    const done = rest.pop()
    const [offset = 0, length = buffer.byteLength - offset, position = null] = rest
    if (budget <= 0) return process.nextTick(done, fail())
    const allowed = Math.min(length, budget)
    budget -= allowed
    return writeCallback.call(this, fd, buffer, offset, allowed, position, done)
  }
  const writevCallback = fs.writev
  fs.writev = function (fd, buffers, ...rest) {
    if (!faulty.has(fd) || spec === null) return writevCallback.call(this, fd, buffers, ...rest)
    const done = rest.pop()
    const joined = Buffer.concat(buffers)
    return fs.write(fd, joined, 0, joined.length, rest[0] ?? null, (error, written) => done(error, written, buffers))
  }
  syncBuiltinESMExports()
  setWriteFault(JSON.parse(process.env.ALIGNCTL_TEST_WRITE_FAULT ?? 'null'))
}
