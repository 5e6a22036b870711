import type {PairSource, RankingPreference, RatingsPreference} from './types.js'

/** The ranking labels each input accepts, exactly as written (case and brackets matter, as in the reference). */
export const RANKING_LABELS: Readonly<Record<PairSource, Readonly<Record<string, RankingPreference>>>> = {
  // The released feedback files (scripts/llm_feedback_rankings.py writes these three).
  rankings: {'(a)': 'a', '(b)': 'b', equal: 'equal'},
  default: {a: 'a', b: 'b', equal: 'equal'},
}

/** The preference a label states, or undefined for a label the input does not accept. */
export function parseRanking(label: string, source: PairSource): RankingPreference | undefined {
  return Object.hasOwn(RANKING_LABELS[source], label) ? RANKING_LABELS[source][label] : undefined
}

/** A sentence saying a label is not accepted and which ones are. */
export function unknownLabelMessage(label: string, source: PairSource, instruction: string): string {
  const accepted = Object.keys(RANKING_LABELS[source]).map((l) => `"${l}"`)
  const list = `${accepted.slice(0, -1).join(', ')} or ${accepted.at(-1)}`
  return (
    `ranking ${JSON.stringify(label)} is not a label this input accepts (pair for instruction ${excerpt(instruction)}). ` +
    `Use ${list}. The reference scripts skip such pairs without a word; alignctl lists them and leaves them out of every number.`
  )
}

/** Higher rating wins; equal ratings are a tie (reference: score1 == score2, score1 > score2, else B). */
export function preferenceFromRatings(ratingA: number, ratingB: number): RatingsPreference {
  if (ratingA === ratingB) return 'equal'
  return ratingA > ratingB ? 'A' : 'B'
}

/** Whether the two protocols agree: a tie only agrees with `equal`. */
export function preferencesAgree(fromRatings: RatingsPreference, fromRanking: RankingPreference): boolean {
  return fromRatings === 'equal' ? fromRanking === 'equal' : fromRatings.toLowerCase() === fromRanking
}

function excerpt(text: string, length = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return JSON.stringify(flat.length > length ? `${flat.slice(0, length - 1)}…` : flat)
}
