/**
 * Pair truncation with Hugging Face semantics, on token counts only: which tokens of each
 * text survive a max length. The special tokens are not counted here; the caller subtracts
 * what the post-processor adds from the max length first, as tokenizers' `post_process` does.
 */

/** How to cut an input that is over the max length (transformers' `truncation=`). */
export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second'

/** Which end of a text loses tokens (transformers' `truncation_side`). */
export type TruncationSide = 'right' | 'left'

/**
 * How `longest_first` splits the budget when both texts must be cut.
 * - `tokenizers`: the Rust crate behind every "fast" tokenizer and tokenizer.json
 *   (`truncate_encodings`): the shorter text (the first, on a tie) gets ⌊budget/2⌋, the
 *   other the rest, so with an odd budget the longer text keeps the odd token.
 * - `transformers-python`: the Python ("slow") tokenizers (`truncate_sequences`), which
 *   remove one token at a time from the longer text and from the second on a tie, so the
 *   first text keeps the odd token.
 * They differ only when both texts are cut, the budget is odd and the first text is not the
 * longer one (BERT pairs: 512 − 3 = 509 is odd; RoBERTa pairs: 512 − 4 = 508 is even).
 */
export type LongestFirstRule = 'tokenizers' | 'transformers-python'

/** Why a strategy cannot reach the max length. */
export type CannotFitReason =
  /** The text the strategy may cut is shorter than the number of tokens to remove. */
  | 'sequence-too-short'
  /** `only_second` on a single text. */
  | 'second-sequence-missing'

/** Token counts to keep per text; `second` is undefined for a single text. */
export interface KeptLengths {
  first: number
  second: number | undefined
}

export type TruncationPlan =
  | {kind: 'keep'; keep: KeptLengths}
  | {kind: 'cannot-fit'; reason: CannotFitReason}

/**
 * What to keep of texts of `first` and `second` tokens so that together they fit `budget`
 * (max length minus special tokens). Mirrors tokenizers' `truncate_encodings`, including
 * its edge cases: a budget of 0 empties both texts whatever the strategy, and
 * `only_first`/`only_second` cannot fit when the text they cut would have to lose all of
 * its tokens or more.
 */
export function planTruncation(
  first: number,
  second: number | undefined,
  budget: number,
  strategy: TruncationStrategy,
  rule: LongestFirstRule = 'tokenizers',
): TruncationPlan {
  if (budget === 0) return keep(0, second === undefined ? undefined : 0)
  const total = first + (second ?? 0)
  if (total <= budget) return keep(first, second)
  const excess = total - budget

  switch (strategy) {
    case 'longest_first': {
      if (second === undefined) return keep(budget, undefined)
      return rule === 'tokenizers' ? splitLikeTokenizers(first, second, budget) : splitLikeTransformers(first, second, excess)
    }
    case 'only_first':
      return first > excess ? keep(first - excess, second) : {kind: 'cannot-fit', reason: 'sequence-too-short'}
    case 'only_second':
      if (second === undefined) return {kind: 'cannot-fit', reason: 'second-sequence-missing'}
      return second > excess ? keep(first, second - excess) : {kind: 'cannot-fit', reason: 'sequence-too-short'}
  }
}

function keep(first: number, second: number | undefined): TruncationPlan {
  return {kind: 'keep', keep: {first, second}}
}

// The shorter text keeps everything if the longer can absorb the whole cut; otherwise the
// budget is halved and the longer text (the second, on a tie) gets the odd token.
function splitLikeTokenizers(first: number, second: number, budget: number): TruncationPlan {
  const swapped = first > second
  let short = swapped ? second : first
  let long = short > budget ? short : Math.max(short, budget - short)
  if (short + long > budget) {
    short = Math.floor(budget / 2)
    long = short + (budget % 2)
  }
  const [a, b] = swapped ? [long, short] : [short, long]
  return keep(Math.min(a, first), Math.min(b, second))
}

// Closed form of "remove one token at a time from the longer text, from the second on a
// tie": first close the gap, then share what is left, the second losing the odd token.
function splitLikeTransformers(first: number, second: number, excess: number): TruncationPlan {
  const gapCut = Math.min(Math.abs(first - second), excess)
  const shared = excess - gapCut
  const fromFirst = (first > second ? gapCut : 0) + Math.floor(shared / 2)
  const fromSecond = (first > second ? 0 : gapCut) + Math.ceil(shared / 2)
  return keep(first - fromFirst, second - fromSecond)
}

/** What truncation did to an input. */
export type TruncationOutcome =
  /** Nothing was cut: no max length was given, or the input fits. */
  | {outcome: 'fits'}
  /** Tokens were cut by `strategy`; `removed` counts them per text ([first, second]). */
  | {
      outcome: 'truncated'
      strategy: TruncationStrategy
      removed: readonly [number, number]
      /** Set when the requested strategy could not fit and longest_first was used instead. */
      fellBackFrom?: {strategy: TruncationStrategy; reason: CannotFitReason}
    }
  /** The requested strategy cannot reach the max length; the input is returned uncut. */
  | {outcome: 'cannot-fit'; strategy: TruncationStrategy; reason: CannotFitReason}

export interface TruncateOptions {
  strategy: TruncationStrategy
  rule: LongestFirstRule
  /** Cut with longest_first when `strategy` cannot fit (AlignScore's fallback). */
  fallbackToLongestFirst: boolean
}

/**
 * Plans truncation to `budget` and describes the result: what to keep of each text and the
 * outcome callers report. A strategy that cannot fit leaves the input whole unless the
 * fallback is on.
 */
export function truncate(
  first: number,
  second: number | undefined,
  budget: number,
  options: TruncateOptions,
): {keep: KeptLengths; truncation: TruncationOutcome} {
  const {strategy, rule} = options
  const plan = planTruncation(first, second, budget, strategy, rule)
  if (plan.kind === 'keep') return {keep: plan.keep, truncation: describe(first, second, plan.keep, strategy)}
  if (!options.fallbackToLongestFirst) {
    return {keep: {first, second}, truncation: {outcome: 'cannot-fit', strategy, reason: plan.reason}}
  }
  const fallback = planTruncation(first, second, budget, 'longest_first', rule)
  if (fallback.kind !== 'keep') throw new Error('longest_first fits any non-negative budget')
  return {keep: fallback.keep, truncation: describe(first, second, fallback.keep, 'longest_first', {strategy, reason: plan.reason})}
}

function describe(
  first: number,
  second: number | undefined,
  keep: KeptLengths,
  strategy: TruncationStrategy,
  fellBackFrom?: {strategy: TruncationStrategy; reason: CannotFitReason},
): TruncationOutcome {
  const removed = [first - keep.first, (second ?? 0) - (keep.second ?? 0)] as const
  if (removed[0] === 0 && removed[1] === 0) return {outcome: 'fits'}
  return fellBackFrom === undefined ? {outcome: 'truncated', strategy, removed} : {outcome: 'truncated', strategy, removed, fellBackFrom}
}

/** The [start, end) range of a text of `length` tokens that survives keeping `kept`. */
export function keptRange(length: number, kept: number, side: TruncationSide): [number, number] {
  if (kept >= length) return [0, length]
  return side === 'right' ? [0, kept] : [length - kept, length]
}
