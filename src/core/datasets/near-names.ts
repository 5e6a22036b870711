/**
 * A column the user probably meant as a field: the same name up to case, `_`/`-`/spaces and a
 * plural `s`, or at most two edits away (for names of four characters or more). Used to suggest
 * `--map field=column` when a required field is missing.
 */
export function closeName(field: string, names: Iterable<string>): string | undefined {
  const want = squash(field)
  let best: {name: string; distance: number} | undefined
  for (const name of names) {
    if (name === field) continue
    const have = squash(name)
    const distance = have === want || have === `${want}s` || `${have}s` === want ? 0 : editDistance(have, want)
    const limit = Math.min(want.length, have.length) >= 4 ? 2 : 0
    if (distance <= limit && (best === undefined || distance < best.distance)) best = {name, distance}
  }
  return best?.name
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '')
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]!
}
