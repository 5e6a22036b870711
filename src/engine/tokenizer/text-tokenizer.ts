/**
 * A compiled tokenizer.json: encodes texts and pairs with our own truncation and special
 * tokens, pads batches, and maps tokens to whitespace words. Build it with `loadTokenizer`
 * (load.ts), once per worker.
 */
import {runtimeError, usageError} from '../../kernel/errors.js'
import type {LibraryFix} from './library-fixes.js'
import type {PortTokenizer} from './port.js'
import {type IdDType, type PadOptions, type PaddableEncoding, type PaddedBatch, padBatch} from './padding.js'
import {type SpecialTokenTemplate, assemble} from './template.js'
import {type KeptLengths, type TruncationOutcome, keptRange, truncate} from './truncation.js'
import type {EncodeOptions, Encoding, TextWords, WordMap} from './types.js'
import {tokensWithWords} from './word-map.js'
import {isSpaceOnly, leadingSpaceLength} from './words.js'

/** What `loadTokenizer` hands the constructor. */
export interface TextTokenizerParts {
  /** The tokenizer.json path (or a label), named in every message. */
  source: string
  library: PortTokenizer
  template: SpecialTokenTemplate
  padId: number | undefined
  /** The tokenizer.json `pre_tokenizer.type`, for messages. */
  preTokenizer: string
  /** True for GPT-2-style byte-level tokenizers, whose tokens spell one byte per character. */
  byteLevel: boolean
  fixes: LibraryFix[]
}

/** A text's token ids before truncation, with each token's word when asked for. */
interface TextTokens {
  ids: number[]
  words?: string[]
  /** Per token, its word index or -1 (a token of whitespace only). */
  tokenWords?: number[]
}

export class TextTokenizer {
  /** The tokenizer.json this came from. */
  readonly source: string
  /** Padding id: tokenizer.json's `padding.pad_id`, else the pad token's id; undefined if none. */
  readonly padId: number | undefined
  /** Special tokens the post-processor adds to a single text and to a pair. */
  readonly specialTokens: {readonly single: number; readonly pair: number}
  /** Fixes applied to @huggingface/tokenizers for parity with the Rust crate (library-fixes.ts). */
  readonly fixes: readonly LibraryFix[]
  readonly #library: PortTokenizer
  readonly #template: SpecialTokenTemplate
  readonly #preTokenizer: string
  readonly #byteLevel: boolean
  // Compile once: whether a token id decodes to whitespace only, asked per token by word maps.
  readonly #spaceOnly = new Map<number, boolean>()

  constructor(parts: TextTokenizerParts) {
    this.source = parts.source
    this.padId = parts.padId
    this.specialTokens = parts.template.added
    this.fixes = parts.fixes
    this.#library = parts.library
    this.#template = parts.template
    this.#preTokenizer = parts.preTokenizer
    this.#byteLevel = parts.byteLevel
  }

  /** Token ids of `text` alone: no special tokens, no truncation. */
  tokenIds(text: string): number[] {
    const {ids} = this.#library.encode(text, {add_special_tokens: false})
    // The port maps a token missing from the vocabulary to the unk id, which may not exist.
    if (!ids.every((id): id is number => id !== undefined)) {
      throw runtimeError(`${this.source}: a token of ${JSON.stringify(text.slice(0, 80))} is not in the vocabulary and the model has no unk_token.`, {suggestions: ['Check that tokenizer.json belongs to this model, or pull the model pack again.']})
    }
    return ids
  }

  /**
   * The text of `ids`, special tokens kept, with no clean-up of spaces (HF `decode(ids,
   * skip_special_tokens=False, clean_up_tokenization_spaces=False)`); callers that need the
   * clean-up apply it themselves, since its default changed across library versions.
   */
  decode(ids: readonly number[]): string {
    return this.#library.decode([...ids], {skip_special_tokens: false, clean_up_tokenization_spaces: false})
  }

  /** The vocabulary string of a token id (HF `convert_ids_to_tokens`): `Ġword`, `##ing`. */
  idToToken(id: number): string {
    const token = this.#library.id_to_token(id)
    if (token === undefined) throw runtimeError(`${this.source}: token id ${id} is not in the vocabulary.`, {suggestions: ['Check that tokenizer.json belongs to this model.']})
    return token
  }

  /** Encodes one text: `<s> text </s>` or `[CLS] text [SEP]`, truncated per `options`. */
  encode(text: string, options: EncodeOptions = {}): Encoding {
    return this.#encode(text, undefined, options)
  }

  /** Encodes a pair: `<s> first </s></s> second </s>` or `[CLS] first [SEP] second [SEP]`. */
  encodePair(first: string, second: string, options: EncodeOptions = {}): Encoding {
    return this.#encode(first, second, options)
  }

  /** Pads encodings into one batch with this tokenizer's pad id unless `padId` is given. */
  pad<D extends IdDType = 'int64'>(encodings: readonly PaddableEncoding[], options: Partial<PadOptions<D>> = {}): PaddedBatch<D> {
    const padId = options.padId ?? this.padId
    if (padId === undefined) {
      throw usageError(
        `${this.source}: no padding token (no "padding" section and no <pad> or [PAD] token), so batches cannot be padded.`,
        'Name the pad token when loading: loadTokenizer(file, {padToken: "..."}), or pass padId.',
      )
    }
    return padBatch(encodings, {...options, padId})
  }

  #encode(first: string, second: string | undefined, options: EncodeOptions): Encoding {
    const addSpecialTokens = options.addSpecialTokens ?? true
    const withWords = options.wordMap ?? false
    const texts = second === undefined ? [this.#tokens(first, withWords)] : [this.#tokens(first, withWords), this.#tokens(second, withWords)]
    const {keep, truncation} = this.#truncation(texts[0]!.ids.length, texts[1]?.ids.length, options, addSpecialTokens)

    const side = options.side ?? 'right'
    const kept = texts.map((text, i) => {
      const [start, end] = keptRange(text.ids.length, (i === 0 ? keep.first : keep.second) ?? 0, side)
      return {ids: text.ids.slice(start, end), tokenWords: text.tokenWords?.slice(start, end)}
    })
    const assembled = assemble(this.#template, kept[0]!.ids, kept[1]?.ids, addSpecialTokens)
    const encoding: Encoding = {ids: assembled.ids, typeIds: assembled.typeIds, sequenceIds: assembled.sequenceIds, truncation}
    if (withWords) {
      const tokenWords = assembled.positions.map((position, i) => {
        const sequence = assembled.sequenceIds[i]!
        return sequence < 0 ? -1 : kept[sequence]!.tokenWords![position]!
      })
      encoding.words = wordMap(tokenWords, assembled.sequenceIds, texts.map((t) => t.words!))
    }
    return encoding
  }

  // Checks the max length against the special tokens, then truncates to what is left.
  #truncation(
    first: number,
    second: number | undefined,
    options: EncodeOptions,
    addSpecialTokens: boolean,
  ): {keep: KeptLengths; truncation: TruncationOutcome} {
    if (options.maxLength === undefined) return {keep: {first, second}, truncation: {outcome: 'fits'}}
    const {maxLength} = options
    if (!Number.isInteger(maxLength) || maxLength < 0) {
      throw usageError(`${this.source}: max length must be a non-negative integer, got ${maxLength}.`)
    }
    const added = addSpecialTokens ? (second === undefined ? this.specialTokens.single : this.specialTokens.pair) : 0
    if (maxLength < added) {
      throw usageError(
        `${this.source}: max length ${maxLength} is less than the ${added} special tokens ${this.#template.from} adds to ${second === undefined ? 'a text' : 'a pair'}.`,
        `Use a max length of at least ${added}.`,
      )
    }
    return truncate(first, second, maxLength - added, {
      strategy: options.strategy ?? 'longest_first',
      rule: options.longestFirstRule ?? 'tokenizers',
      fallbackToLongestFirst: options.fallbackToLongestFirst ?? false,
    })
  }

  #tokens(text: string, withWords: boolean): TextTokens {
    if (!withWords) return {ids: this.tokenIds(text)}
    const mapped = tokensWithWords(text, {
      tokenIds: (piece) => this.tokenIds(piece),
      leadingSpaceTokens: (piece, ids) => this.#leadingSpaceTokens(piece, ids),
    })
    if (!mapped) {
      throw runtimeError(`${this.source}: cannot map tokens to words: this tokenizer (pre_tokenizer ${this.#preTokenizer}) encodes ${JSON.stringify(text.slice(0, 80))} differently word by word than whole.`, {suggestions: ['Token-level metrics need a tokenizer that splits text at whitespace first (BERT WordPiece, RoBERTa/GPT-2 byte-level BPE); use one of those models, or encode without wordMap.']})
    }
    return mapped
  }

  // How many of a piece's first tokens cover only the whitespace before its word.
  #leadingSpaceTokens(piece: string, ids: readonly number[]): number {
    const space = leadingSpaceLength(piece)
    if (space === 0) return 0
    if (this.#byteLevel) {
      // Byte-level tokens spell one byte per character, and a multi-byte space (U+00A0)
      // may be split over several tokens that decode to nothing whole: count bytes instead.
      const spaceBytes = Buffer.byteLength(piece.slice(0, space), 'utf8')
      let bytes = 0
      let count = 0
      for (const id of ids) {
        bytes += this.#library.id_to_token(id)?.length ?? Number.POSITIVE_INFINITY
        if (bytes > spaceBytes) break
        count++
      }
      return count
    }
    let count = 0
    while (count < ids.length && this.#isSpaceOnlyToken(ids[count]!)) count++
    return count
  }

  #isSpaceOnlyToken(id: number): boolean {
    let spaceOnly = this.#spaceOnly.get(id)
    if (spaceOnly === undefined) {
      spaceOnly = isSpaceOnly(this.#library.decode([id], {skip_special_tokens: false, clean_up_tokenization_spaces: false}))
      this.#spaceOnly.set(id, spaceOnly)
    }
    return spaceOnly
  }
}

function wordMap(tokenWords: number[], sequenceIds: number[], words: string[][]): WordMap {
  const texts: TextWords[] = words.map((w) => ({words: w, tokens: w.map(() => [])}))
  tokenWords.forEach((word, position) => {
    if (word >= 0) texts[sequenceIds[position]!]!.tokens[word]!.push(position)
  })
  return {tokenWords, texts}
}
