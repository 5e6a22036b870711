/**
 * One entry point for checkpoint files: picks the reader by content, not by extension
 * (`.bin` is used for both torch zips and other things; hub files get renamed).
 */
import {open} from 'node:fs/promises'

import {inputError} from '../../kernel/errors.js'
import type {CheckpointStore} from './checkpoint-store.js'
import {SAFETENSORS_MAX_HEADER, SafetensorsStore} from './safetensors-store.js'
import {TorchCheckpointStore, type TorchCheckpointOptions} from './torch-store.js'

/** Options for {@link openCheckpoint}; they apply to PyTorch checkpoints only. */
export type CheckpointOptions = TorchCheckpointOptions

export type CheckpointKind = 'pytorch-zip' | 'safetensors' | 'pytorch-legacy' | 'git-lfs-pointer' | 'unknown'

const SNIFF_BYTES = 64

/** What a file's first bytes say it is. */
export function sniffCheckpoint(head: Uint8Array, fileSize: number): CheckpointKind {
  // Zip: a local header first; an archive with no entries starts with the end record.
  if (head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06))) return 'pytorch-zip'
  if (head.length >= 9) {
    const headerLength = Number(new DataView(head.buffer, head.byteOffset, head.byteLength).getBigUint64(0, true))
    if (headerLength <= SAFETENSORS_MAX_HEADER && 8 + headerLength <= fileSize && head[8] === 0x7b) return 'safetensors'
    // A JSON header after a binary length that is too large: still safetensors, so the
    // reader can say what is wrong with it (text files have no zero bytes in their first 8).
    if (head[8] === 0x7b && head.subarray(0, 8).includes(0)) return 'safetensors'
  }

  // Before torch 1.6, torch.save wrote a bare pickle stream (protocol 2: 0x80 0x02).
  if (head[0] === 0x80) return 'pytorch-legacy'
  if (new TextDecoder('latin1').decode(head).startsWith('version https://git-lfs')) return 'git-lfs-pointer'
  return 'unknown'
}

/**
 * Opens a PyTorch zip checkpoint (`.pt`, `.bin`, `.ckpt`) or a `.safetensors` file as a
 * {@link CheckpointStore}, reading only its directory and header now and tensors on demand.
 */
export async function openCheckpoint(file: string, options: CheckpointOptions = {}): Promise<CheckpointStore> {
  const kind = await sniffFile(file)
  switch (kind) {
    case 'pytorch-zip':
      return TorchCheckpointStore.open(file, options)
    case 'safetensors':
      return SafetensorsStore.open(file)
    case 'pytorch-legacy':
      throw inputError(
        `${file}: a bare pickle stream, the format torch < 1.6 saved checkpoints in; alignctl reads the zip format (torch >= 1.6) and safetensors.`,
        'Re-save it with torch >= 1.6: torch.save(torch.load(old_path, map_location="cpu"), new_path), or save it as .safetensors.',
      )
    case 'git-lfs-pointer':
      throw inputError(`${file}: a Git LFS pointer file, not the checkpoint itself.`, 'Fetch the real file with `git lfs pull`, or download it with `alignctl models pull`.')
    case 'unknown':
      throw inputError(
        `${file}: neither a PyTorch zip checkpoint nor a safetensors file.`,
        'Give a checkpoint written by torch.save (torch >= 1.6; .pt, .bin or Lightning .ckpt) or a .safetensors file.',
      )
  }
}

async function sniffFile(file: string): Promise<CheckpointKind> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw inputError(`${file}: no such file.`, 'Check the path, or download the checkpoint with `alignctl models pull`.')
    throw inputError(`${file}: cannot open the checkpoint (${(error as Error).message}).`, 'Check the path and its permissions.')
  }

  try {
    const stats = await handle.stat()
    if (stats.isDirectory()) throw inputError(`${file}: a directory, not a checkpoint file.`, 'Give the checkpoint file inside it (pytorch_model.bin, model.safetensors or *.ckpt).')
    if (stats.size === 0) throw inputError(`${file}: the file is empty.`, 'Download or copy the checkpoint again.')
    const head = new Uint8Array(Math.min(SNIFF_BYTES, stats.size))
    await handle.read(head, 0, head.length, 0)
    return sniffCheckpoint(head, stats.size)
  } finally {
    await handle.close()
  }
}

/**
 * The globals outside the tensor-rebuild list that a checkpoint references (inert, never run),
 * for the one warning `models convert` prints; empty for safetensors. Dangerous globals refuse
 * the file here as on every open.
 */
export async function listInertGlobals(file: string, options: CheckpointOptions = {}): Promise<string[]> {
  const store = await openCheckpoint(file, options)
  try {
    return store instanceof TorchCheckpointStore ? [...store.unlistedGlobals] : []
  } finally {
    await store.close()
  }
}
