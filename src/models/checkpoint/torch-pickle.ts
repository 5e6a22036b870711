/**
 * The pickle inside a torch zip checkpoint: where it is, and how its persistent ids (the
 * storages, `('storage', storage_type, key, location, numel)`) become {@link StorageRef}s.
 */
import {inputError} from '../../kernel/errors.js'
import {dangerousGlobal} from './dangerous-globals.js'
import {unpickle, type UnpickleResult} from './pickle/unpickler.js'
import {describeValue, PickleGlobal, PickleTuple, type PickleValue} from './pickle/values.js'
import {findTorchGlobal, storageDType} from './torch-globals.js'
import {StorageRef} from './torch-refs.js'
import type {ZipArchive, ZipEntry} from './zip-archive.js'

export interface TorchPickle extends UnpickleResult {
  /** The archive's folder prefix (`archive/`); storages are `<prefix>data/<key>`. */
  prefix: string
}

/** Reads and unpickles `<archive>/data.pkl`, refusing big-endian checkpoints. */
export async function readTorchPickle(archive: ZipArchive, options: {strict?: boolean}): Promise<TorchPickle> {
  const {entry, prefix} = findPickleEntry(archive)
  const byteOrder = archive.entry(`${prefix}byteorder`)
  if (byteOrder && new TextDecoder().decode(await archive.readAll(byteOrder)).trim() === 'big') {
    throw inputError(`${archive.file}: the checkpoint was saved on a big-endian machine.`, 'Load it with torch on that machine and save it again on a little-endian one (x86 or ARM).')
  }

  const source = `${archive.file} (${entry.name})`
  const bytes = await archive.readAll(entry)
  const result = unpickle(bytes, {findGlobal: findTorchGlobal, persistentLoad: storageLoader(source), isDangerous: dangerousGlobal}, {source, strict: options.strict ?? false})
  return {...result, prefix}
}

/** torch names the folder after the file it first saved to, so look for any `*\/data.pkl`. */
function findPickleEntry(archive: ZipArchive): {entry: ZipEntry; prefix: string} {
  const names = archive.names()
  const name = names.find((candidate) => /^[^/]*\/data\.pkl$/.test(candidate)) ?? names.find((candidate) => candidate === 'data.pkl')
  const entry = name === undefined ? undefined : archive.entry(name)
  if (name === undefined || entry === undefined) {
    const torchScript = names.some((candidate) => /(^|\/)code\//.test(candidate))
    throw inputError(
      `${archive.file}: a zip file without data.pkl, so not a checkpoint written by torch.save${torchScript ? ' (it looks like a TorchScript archive from torch.jit.save)' : ''}.`,
      'Save the weights with torch.save(model.state_dict(), path), or give a .safetensors file.',
    )
  }

  return {entry, prefix: name.slice(0, name.length - 'data.pkl'.length)}
}

/** torch.save's persistent ids: one {@link StorageRef} per storage key, shared by its views. */
function storageLoader(source: string): (pid: PickleValue) => PickleValue {
  const storages = new Map<string, StorageRef>()
  return (pid) => {
    const items = pid instanceof PickleTuple ? pid.items : []
    const [kind, type, rawKey, , numel] = items
    const kindText = kind instanceof Uint8Array ? new TextDecoder('latin1').decode(kind) : kind
    const key = typeof rawKey === 'number' ? String(rawKey) : rawKey
    if (kindText !== 'storage' || items.length !== 5 || typeof key !== 'string' || typeof numel !== 'number' || !Number.isInteger(numel) || numel < 0) {
      throw inputError(
        `${source}: a persistent id (${describeValue(pid)}) is not a torch storage reference ('storage', type, key, location, numel).`,
        'The checkpoint was not written by torch.save, or by a version alignctl does not know; re-save it with torch.save or as safetensors.',
      )
    }

    const known = storages.get(key)
    if (known) return known
    const typeName = type instanceof PickleGlobal ? type.qualifiedName : describeValue(type ?? null)
    const storage = new StorageRef(key, storageDType(type ?? null), typeName, numel)
    storages.set(key, storage)
    return storage
  }
}
