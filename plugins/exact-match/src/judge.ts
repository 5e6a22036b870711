import type {Judge, JudgeVerdict} from 'alignctl'

const PUNCTUATION = /[\p{P}\p{S}]/gu

/** Lower-cased words, punctuation and symbols removed: "Shakespeare, William!" → {shakespeare, william}. */
export function tokens(text: string): Set<string> {
  return new Set(text.toLowerCase().replace(PUNCTUATION, ' ').split(/\s+/).filter((t) => t !== ''))
}

/**
 * A correctness judge: the response is correct when every word of one accepted answer occurs
 * in it, in any order ("Shakespeare, William" answers "William Shakespeare"). Its score is the
 * largest share of an answer's words found; its note names that answer. Deterministic and
 * model-free: an example of the contract, to be replaced by an NLI or QA model in a real judge.
 */
export const tokenOverlap: Judge = {
  id: 'token-overlap',
  version: '0.1.0',
  description: 'Correct when all the words of an accepted answer occur in the response (lower-cased, punctuation removed, any order).',

  async judge(items) {
    return items.map(({response, answers}): JudgeVerdict => {
      const words = tokens(response)
      let best = {share: 0, answer: ''}
      for (const answer of answers) {
        const wanted = [...tokens(answer)]
        if (wanted.length === 0) continue
        const share = wanted.filter((w) => words.has(w)).length / wanted.length
        if (share > best.share) best = {share, answer}
      }
      return best.share === 0 ? {correct: false, score: 0} : {correct: best.share === 1, score: best.share, note: `words of "${best.answer}" found: ${Math.round(best.share * 100)}%`}
    })
  },
}
