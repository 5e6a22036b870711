import type {LoadedModel, TextRequest} from '../../src/kernel/interfaces/index.js'

/**
 * The reference tokenizes in batches of `batch_size` pairs with truncation `only_first`, and
 * when any pair of a batch cannot be cut that way (its claim alone is too long) it tokenizes
 * the WHOLE batch again with `longest_first`. This marks each request accordingly, given the
 * groups the reference would have formed.
 */
export function applyReferenceTruncation(model: Pick<LoadedModel, 'fits'>, groups: ReadonlyArray<readonly TextRequest[]>): TextRequest[][] {
  return groups.map((group) => {
    const fallback = group.some((request) => !model.fits({...request, truncation: 'only_first'}))
    return group.map((request) => ({...request, truncation: fallback ? 'longest_first' : 'only_first'}))
  })
}

/** Consecutive groups of `size` items. */
export function groupsOf<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = []
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size))
  return groups
}
