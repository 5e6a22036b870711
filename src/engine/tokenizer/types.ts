/**
 * The tokenizer's public types: what an encode call takes and returns.
 */
import type {LongestFirstRule, TruncationOutcome, TruncationSide, TruncationStrategy} from './truncation.js'

export interface EncodeOptions {
  /** Longest result, special tokens included (HF `max_length`); absent: no truncation. */
  maxLength?: number
  /** How to cut an input over `maxLength` (HF `truncation=`); default `longest_first`. */
  strategy?: TruncationStrategy
  /**
   * When `strategy` cannot fit (say `only_first` and the second text alone is too long),
   * cut with `longest_first` instead, as AlignScore does; default false, which returns the
   * input uncut with outcome `cannot-fit`.
   */
  fallbackToLongestFirst?: boolean
  /** Which end of a text loses tokens (HF `truncation_side`); default `right`. */
  side?: TruncationSide
  /** How `longest_first` splits a pair's budget; default `tokenizers` (fast tokenizers). */
  longestFirstRule?: LongestFirstRule
  /** Add the post-processor's special tokens (HF `add_special_tokens`); default true. */
  addSpecialTokens?: boolean
  /** Also compute the word↔token map; default false (it costs a second encoding pass). */
  wordMap?: boolean
}

/** One input text's words and the tokens that make each up. */
export interface TextWords {
  /** The text's whitespace-separated words, as Python's `text.split()` gives them. */
  words: string[]
  /** For each word, its tokens' positions in `Encoding.ids`; empty when truncation removed them. */
  tokens: number[][]
}

export interface WordMap {
  /**
   * For each position in `Encoding.ids`, the index of the word (within its own text) that
   * the token belongs to; -1 for special tokens and for tokens made only of whitespace.
   */
  tokenWords: number[]
  /** [first] for a single text, [first, second] for a pair. */
  texts: TextWords[]
}

/** An encoded text or pair, special tokens included, not padded. */
export interface Encoding {
  ids: number[]
  /** Segment ids from the post-processor (all 0 for RoBERTa, 0 then 1 for BERT pairs). */
  typeIds: number[]
  /** Per token: 0 or 1 for the first or second text, -1 for special tokens (HF `sequence_ids`). */
  sequenceIds: number[]
  truncation: TruncationOutcome
  /** Present when asked for with `wordMap: true`. */
  words?: WordMap
}
