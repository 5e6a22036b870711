/**
 * The reference's context chunking (AlignScore `inference_per_example`): the context's words
 * decide how many chunks there should be, its sentences are then grouped evenly, and the
 * claim is split into sentences. Every (chunk, claim sentence) pair is scored.
 */

/** Words per chunk the reference aims for. */
export const CHUNK_WORDS = 350

// Python's str.split() splits on str.isspace() characters, a slightly different set from
// JavaScript's \s: it adds \x1c-\x1f and \x85, and does not count \ufeff.
const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u

/** `len(text.strip().split())` in Python. */
export function countWords(text: string): number {
  return text.split(PYTHON_WHITESPACE).filter((w) => w !== '').length
}

/**
 * Groups the context's sentences into chunks exactly as the reference does:
 * n = words // 350 + 1, then consecutive groups of max(sentences // n, 1) sentences joined by
 * one space. The last group may be short, and there may be more than n groups. An empty
 * context (no sentences) is one empty chunk.
 */
export function chunkContext(context: string, sentences: readonly string[]): string[] {
  const units = sentences.length > 0 ? sentences : ['']
  return chunkGroups(context, units.length).map(([from, to]) => units.slice(from, to).join(' '))
}

/** Which sentences (`[from, to)`, by index) each chunk of {@link chunkContext} groups. */
export function chunkGroups(context: string, sentences: number): Array<[number, number]> {
  const units = Math.max(sentences, 1)
  const wanted = Math.floor(countWords(context) / CHUNK_WORDS) + 1
  const perChunk = Math.max(Math.floor(units / wanted), 1)
  const groups: Array<[number, number]> = []
  for (let i = 0; i < units; i += perChunk) groups.push([i, Math.min(units, i + perChunk)])
  return groups
}

/**
 * Where each chunk lies in the context: from its first sentence's start to its last one's
 * end, the sentences found in order; undefined when a sentence is not found as it is (the
 * splitter changed its text).
 */
export function chunkOffsets(context: string, sentences: readonly string[]): Array<{start: number; end: number}> | undefined {
  const spans: Array<{start: number; end: number}> = []
  let at = 0
  for (const sentence of sentences) {
    const start = context.indexOf(sentence, at)
    if (start < 0) return undefined
    spans.push({start, end: start + sentence.length})
    at = start + sentence.length
  }
  if (spans.length === 0) return undefined
  return chunkGroups(context, sentences.length).map(([from, to]) => ({start: spans[from]!.start, end: spans[to - 1]!.end}))
}

/** The three-way head's probabilities for one (chunk, claim sentence) pair; they sum to 1. */
export interface NliClasses {
  aligned: number
  neutral: number
  contradict: number
}

/** Scores of one row's pairs, chunk-major (`scores[chunk * sentences + sentence]`), aggregated. */
export interface SentenceScore {
  text: string
  /** Best score over the chunks. */
  score: number
  /** Index of the chunk that gave it (the first one on ties, as torch.max does on CPU). */
  chunk: number
  /** With `--param classes=true` (nli_sp): the three probabilities of that chunk's pair; `aligned` is `score`. */
  classes?: NliClasses
}

/**
 * Max over chunks for each claim sentence, then the mean over sentences. `classes`, when
 * given, are the pairs' three probabilities in the same order; each sentence then carries
 * those of the chunk that gave its score.
 */
export function aggregate(
  scores: ArrayLike<number>,
  chunks: number,
  sentences: readonly string[],
  classes?: readonly NliClasses[],
): {score: number; sentences: SentenceScore[]} {
  const perSentence = sentences.map((text, j) => {
    let best = Number.NEGATIVE_INFINITY
    let chunk = 0
    for (let i = 0; i < chunks; i++) {
      const s = scores[i * sentences.length + j]!
      if (s > best) {
        best = s
        chunk = i
      }
    }
    const own = classes?.[chunk * sentences.length + j]
    return own === undefined ? {text, score: best, chunk} : {text, score: best, chunk, classes: own}
  })
  return {score: perSentence.reduce((sum, s) => sum + s.score, 0) / perSentence.length, sentences: perSentence}
}
