import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {FIXTURES} from '../../helpers/cli.js'

export const DIR = join(FIXTURES, 'profile')

export interface Expected {
  params: {bootstrap: number; seed: number; confidence: number; topK: number}
  tolerance: number
  supplied: Record<string, unknown>
  scipy: Array<{x: number[]; y: number[]; kendall: number | null; spearman: number | null}>
  text: {prompt: string; source: string; texts: Array<{text: string; words: number; density: number; sentences: number; readability: number | null; promptOverlap: number; sourceOverlap: number}>}
}

export const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Expected

export function readRows(name: string): Array<Record<string, unknown>> {
  return readFileSync(join(DIR, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

/**
 * Deep comparison where numbers may differ by `tolerance` (float sums in another order);
 * everything else must be equal. Fails with the path of the first difference.
 */
export function assertClose(actual: unknown, wanted: unknown, tolerance: number, path = 'summary'): void {
  if (typeof wanted === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - wanted) > tolerance) throw new Error(`${path}: ${actual} differs from ${wanted} by more than ${tolerance}`)
    return
  }
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual) || actual.length !== wanted.length) throw new Error(`${path}: ${JSON.stringify(actual)} is not ${JSON.stringify(wanted)}`)
    wanted.forEach((w, i) => assertClose(actual[i], w, tolerance, `${path}[${i}]`))
    return
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object') throw new Error(`${path}: ${JSON.stringify(actual)} is not an object`)
    const keys = Object.keys(wanted)
    const actualKeys = Object.keys(actual)
    if (JSON.stringify(actualKeys) !== JSON.stringify(keys)) throw new Error(`${path}: keys ${JSON.stringify(actualKeys)} are not ${JSON.stringify(keys)}`)
    for (const key of keys) assertClose((actual as Record<string, unknown>)[key], (wanted as Record<string, unknown>)[key], tolerance, `${path}.${key}`)
    return
  }
  if (actual !== wanted) throw new Error(`${path}: ${JSON.stringify(actual)} is not ${JSON.stringify(wanted)}`)
}
