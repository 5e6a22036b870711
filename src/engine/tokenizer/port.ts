/**
 * The part of @huggingface/tokenizers 0.2.0 we use, typed. The package's own .d.ts files
 * import each other without file extensions, which NodeNext resolution rejects, so every
 * export reaches us as `any`; this module states the surface once and casts once.
 */
import * as tokenizers from '@huggingface/tokenizers'

/** Config objects from tokenizer.json, as the port's components keep them. */
export type ComponentConfig = Record<string, unknown>

/** A normalizer: callable, and `normalize` is what the port's Sequence calls. */
export interface PortNormalizer {
  config: ComponentConfig
  normalize(text: string): string
}

export interface PortPreTokenizer {
  pre_tokenize_text(text: string, options?: unknown): string[]
}

export interface PortTokenizer {
  normalizer: PortNormalizer | null
  pre_tokenizer: PortPreTokenizer | null
  encode(
    text: string,
    options: {add_special_tokens?: boolean; text_pair?: string | null; return_token_type_ids?: boolean},
  ): {ids: Array<number | undefined>; token_type_ids?: number[]}
  decode(ids: number[], options: {skip_special_tokens: boolean; clean_up_tokenization_spaces: boolean}): string
  token_to_id(token: string): number | undefined
  id_to_token(id: number): string | undefined
}

export interface Constructor<T> {
  new (config: ComponentConfig): T
  prototype: T
}

interface PortApi {
  Tokenizer: new (json: object, config: object) => PortTokenizer
  BertNormalizer: Constructor<PortNormalizer>
  LowercaseNormalizer: Constructor<PortNormalizer>
  StripAccentsNormalizer: Constructor<PortNormalizer>
  SequenceNormalizer: Constructor<PortNormalizer & {normalizers: Array<PortNormalizer | null>}>
  ByteLevelPreTokenizer: Constructor<PortPreTokenizer & {pattern: RegExp}>
  BertPreTokenizer: Constructor<PortPreTokenizer & {pattern: RegExp}>
  SequencePreTokenizer: Constructor<PortPreTokenizer & {tokenizers: Array<PortPreTokenizer | null>}>
}

const port = tokenizers as unknown as PortApi

export const {
  Tokenizer,
  BertNormalizer,
  LowercaseNormalizer,
  StripAccentsNormalizer,
  SequenceNormalizer,
  ByteLevelPreTokenizer,
  BertPreTokenizer,
  SequencePreTokenizer,
} = port
