/**
 * Finding the state dict (name → tensor) in an unpickled torch checkpoint: a plain
 * `torch.save(model.state_dict())`, a Lightning checkpoint (`state_dict` key beside the
 * optimizer state and hyper-parameters), or a dict that wraps one under a common key.
 */
import {inputError} from '../../kernel/errors.js'
import {describeValue, findUnlistedGlobal, PickleGlobal, PickleObject, walkPickle, type PickleValue} from './pickle/values.js'
import {StorageRef, TensorRef} from './torch-refs.js'

export interface StateDict {
  /** Tensor entries in file order: readable references, or records of calls that would have built one. */
  tensors: Map<string, TensorRef | PickleObject>
  /** Everything else in the same dict, kept to explain why a name is not a tensor. */
  others: Map<string, PickleValue>
  /** The top-level key it was found under; undefined for the top level itself. */
  key: string | undefined
}

/** Keys that wrap a state dict, tried in this order after `state_dict`. */
const WRAPPER_KEYS = ['state_dict', 'model_state_dict', 'model', 'module']

/** The state dict in `root`; `key` names the top-level key to use instead of guessing. */
export function findStateDict(root: PickleValue, file: string, key?: string): StateDict {
  if (!(root instanceof Map)) throw noStateDict(file, `its top-level object is ${describeTopLevel(root)}`)
  if (key !== undefined) {
    const chosen = root.get(key)
    if (!(chosen instanceof Map)) {
      throw inputError(
        `${file}: the checkpoint has no dict under "${key}" (${chosen === undefined ? 'no such key' : `it is ${describeValue(chosen)}`}).`,
        `Keys at the top level: ${topLevelKeys(root)}.`,
      )
    }

    return split(chosen, key)
  }

  for (const wrapper of WRAPPER_KEYS) {
    const inner = root.get(wrapper)
    if (inner instanceof Map && split(inner, wrapper).tensors.size > 0) return split(inner, wrapper)
  }

  const top = split(root, undefined)
  if (top.tensors.size > 0) return top
  throw noStateDict(file, `its top-level dict holds no tensors (keys: ${topLevelKeys(root)})`)
}

function split(dict: Map<PickleValue, PickleValue>, key: string | undefined): StateDict {
  const tensors = new Map<string, TensorRef | PickleObject>()
  const others = new Map<string, PickleValue>()
  for (const [name, value] of dict) {
    if (typeof name !== 'string') continue
    if (value instanceof TensorRef || (value instanceof PickleObject && refersToTorch(value))) tensors.set(name, value)
    else others.set(name, value)
  }

  return {tensors, others, key}
}

/**
 * Whether a recorded call involves torch (a storage, a tensor, a `torch.*` global): then it
 * stands for a tensor alignctl cannot rebuild, and is listed so that reading it names why.
 */
function refersToTorch(value: PickleValue): boolean {
  let torch = false
  walkPickle(value, (node) => {
    if (node instanceof StorageRef || node instanceof TensorRef) torch = true
    else if (node instanceof PickleGlobal) {
      torch = node.module === 'torch' || node.module.startsWith('torch.')
      return torch ? 'stop' : 'skip'
    }
    return torch ? 'stop' : 'descend'
  })
  return torch
}

function describeTopLevel(root: PickleValue): string {
  const unlisted = findUnlistedGlobal(root)
  if (unlisted === undefined) return describeValue(root)
  if (root instanceof PickleObject && root.callee === unlisted) return `a call to ${unlisted.qualifiedName}, which alignctl never runs`
  return `${describeValue(root)}, which depends on ${unlisted.qualifiedName}, which alignctl never runs`
}

function topLevelKeys(root: Map<PickleValue, PickleValue>): string {
  const keys = [...root.keys()].map((key) => (typeof key === 'string' ? `"${key}"` : describeValue(key)))
  return keys.length === 0 ? '(none)' : keys.slice(0, 12).join(', ') + (keys.length > 12 ? ', ...' : '')
}

function noStateDict(file: string, why: string): Error {
  return inputError(
    `${file}: no state dict of tensors found: ${why}.`,
    'Give a checkpoint saved with torch.save(model.state_dict(), path), a Lightning .ckpt, or a .safetensors file.',
  )
}
