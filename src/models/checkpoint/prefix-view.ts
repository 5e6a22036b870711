/**
 * A view of the tensors whose names start with a prefix. AlignScore's Lightning checkpoint
 * keeps the encoder under `base_model.` and its heads under `tri_layer.`, `bin_layer.`,
 * `reg_layer.` and `mlm_head.`; the graph builder asks for `embeddings.word_embeddings.weight`.
 */
import {inputError} from '../../kernel/errors.js'
import type {TensorInfo, TensorStore} from '../tensors.js'

export interface PrefixViewOptions {
  /** Drop the prefix from the names the view shows (default true). */
  strip?: boolean
}

/**
 * The tensors of `store` whose names start with `prefix`. The view does not own `store`:
 * its `close()` does nothing, so several views can share one store; close the store itself.
 */
export function selectPrefix(store: TensorStore, prefix: string, options: PrefixViewOptions = {}): TensorStore {
  const strip = options.strip ?? true
  const inner = store.names().filter((name) => name.startsWith(prefix))
  const outer = strip ? inner.map((name) => name.slice(prefix.length)) : inner
  const toInner = (name: string): string => (strip ? prefix + name : name)
  const owns = (name: string): boolean => (strip ? true : name.startsWith(prefix))
  const checked = (name: string): string => {
    if (!owns(name)) throw inputError(`no tensor named "${name}" among the tensors under "${prefix}".`, `Names in this view start with "${prefix}".`)
    return toInner(name)
  }

  return {
    names: () => outer,
    info(name: string): TensorInfo | undefined {
      if (!owns(name)) return undefined
      const info = store.info(toInner(name))
      return info && {...info, name}
    },
    readFloat32: async (name: string) => store.readFloat32(checked(name)),
    readBytes: async (name: string) => store.readBytes(checked(name)),
    close: async () => {},
  }
}

/** The distinct first name segments (`base_model`, `tri_layer`, ...), in order: what a checkpoint holds. */
export function topLevelPrefixes(store: TensorStore): string[] {
  return [...new Set(store.names().map((name) => name.split('.', 1)[0] as string))]
}
