/**
 * A row result's score: the value itself when it is a number, else its numeric `score`
 * field (`{score, sentences}`, say); undefined for results without one.
 */
export function rowScore(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (value !== null && typeof value === 'object' && typeof (value as {score?: unknown}).score === 'number') return (value as {score: number}).score
  return undefined
}
