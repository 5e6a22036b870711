// Reads the reference encodings made by scripts/fixtures/tokenizers.py.
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import type {LongestFirstRule, TruncationSide, TruncationStrategy} from '../../../src/engine/tokenizer/index.js'

export const FIXTURE_TOKENIZERS = ['roberta-bpe', 'bert-wordpiece'] as const
export type FixtureTokenizer = (typeof FIXTURE_TOKENIZERS)[number]

export interface ExpectedEncoding {
  ids: number[]
  /** One digit per token. */
  typeIds: string
  sequenceIds: number[]
  wordIds: number[]
}

export interface ExpectedTruncation extends Partial<Omit<ExpectedEncoding, 'sequenceIds'>> {
  maxLength: number
  strategy: TruncationStrategy
  side: TruncationSide
  rule?: LongestFirstRule
  outcome: 'fits' | 'truncated' | 'cannot-fit'
  reason?: string
}

export interface ExpectedCase {
  first: string
  second?: string
  encoding: ExpectedEncoding
  words: string[][]
  truncations: ExpectedTruncation[]
}

export interface Expected {
  padId: number
  specialTokens: {single: number; pair: number}
  cases: ExpectedCase[]
}

export function tokenizerPath(name: FixtureTokenizer): string {
  return fileURLToPath(new URL(`../../../fixtures/tokenizers/${name}/tokenizer.json`, import.meta.url))
}

export function expected(name: FixtureTokenizer): Expected {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/tokenizers/${name}/expected.json`, import.meta.url), 'utf8')) as Expected
}
