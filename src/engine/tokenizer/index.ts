/**
 * Tokenization for the engine (DESIGN.md §5): a model pack's tokenizer.json through
 * @huggingface/tokenizers, with our own pair truncation (Hugging Face semantics), special
 * tokens, dynamic padding and word↔token maps.
 */
export {loadTokenizer, parseTokenizer, type LoadTokenizerOptions} from './load.js'
export {TextTokenizer} from './text-tokenizer.js'
export type {EncodeOptions, Encoding, TextWords, WordMap} from './types.js'
export {
  keptRange,
  planTruncation,
  truncate,
  type CannotFitReason,
  type KeptLengths,
  type LongestFirstRule,
  type TruncateOptions,
  type TruncationOutcome,
  type TruncationPlan,
  type TruncationSide,
  type TruncationStrategy,
} from './truncation.js'
export {padBatch, type IdArrayTypes, type IdDType, type PadOptions, type PaddableEncoding, type PaddedBatch} from './padding.js'
export {splitWords} from './words.js'
export type {LibraryFix} from './library-fixes.js'
export type {SpecialTokenTemplate, TemplatePiece} from './template.js'
