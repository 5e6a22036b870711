/**
 * Special tokens as the tokenizer.json post-processor adds them, compiled once into a flat
 * template. We assemble ids ourselves (instead of calling the library's post-processor)
 * because truncation must happen between encoding and post-processing, and because
 * @huggingface/tokenizers 0.2.0 gives RoBERTa's second text type id 1 where the Rust crate
 * gives 0.
 */

/** One step of a template: special token ids, or the tokens of the first or second text. */
export type TemplatePiece =
  | {kind: 'special'; ids: readonly number[]; typeId: number}
  | {kind: 'sequence'; sequence: 0 | 1; typeId: number}

export interface SpecialTokenTemplate {
  /** The post-processor type it was compiled from, for messages. */
  from: string
  single: readonly TemplatePiece[]
  pair: readonly TemplatePiece[]
  /** Special tokens added to a single text and to a pair (tokenizers' `added_tokens(is_pair)`). */
  added: {single: number; pair: number}
}

/** Ids, type ids and provenance of an assembled input. */
export interface AssembledTokens {
  ids: number[]
  typeIds: number[]
  /** 0 or 1: which text the token came from; -1: added by the template. */
  sequenceIds: number[]
  /** Index of the token within its text's kept tokens; -1 for special tokens. */
  positions: number[]
}

/** Thrown with a message that the loader turns into an error naming the tokenizer file. */
export class UnsupportedPostProcessorError extends Error {}

type Json = Record<string, unknown>

const POST_PROCESSORS = ['RobertaProcessing', 'BertProcessing', 'TemplateProcessing', 'ByteLevel', 'Sequence', 'null'] as const

/** Compiles a tokenizer.json `post_processor` (or null) into a template. */
export function compileTemplate(config: unknown): SpecialTokenTemplate {
  if (config === null || config === undefined) return plainTemplate('null')
  const post = asObject(config, 'post_processor')
  switch (post['type']) {
    case 'RobertaProcessing': {
      // "Roberta is weird, and every encoding is type_id=0" (tokenizers, processors/roberta.rs).
      const cls = specialPair(post['cls'], 'cls')
      const sep = specialPair(post['sep'], 'sep')
      return withCounts('RobertaProcessing', [special(cls, 0), seq(0, 0), special(sep, 0)], [
        special(cls, 0), seq(0, 0), special(sep, 0), special(sep, 0), seq(1, 0), special(sep, 0),
      ])
    }
    case 'BertProcessing': {
      const cls = specialPair(post['cls'], 'cls')
      const sep = specialPair(post['sep'], 'sep')
      return withCounts('BertProcessing', [special(cls, 0), seq(0, 0), special(sep, 0)], [
        special(cls, 0), seq(0, 0), special(sep, 0), seq(1, 1), special(sep, 1),
      ])
    }
    case 'TemplateProcessing':
      return compileTemplateProcessing(post)
    case 'ByteLevel':
      // Only trims offsets; ids and type ids pass through as without a post-processor.
      return plainTemplate('ByteLevel')
    case 'Sequence': {
      const processors = post['processors']
      if (!Array.isArray(processors)) throw new UnsupportedPostProcessorError('post_processor.processors must be a list')
      const adding = processors.filter((p) => !(isObject(p) && p['type'] === 'ByteLevel'))
      if (adding.length > 1) {
        throw new UnsupportedPostProcessorError('a Sequence post_processor with more than one processor that adds special tokens')
      }
      return adding.length === 0 ? plainTemplate('Sequence') : compileTemplate(adding[0])
    }
    default:
      throw new UnsupportedPostProcessorError(
        `unknown post_processor type ${JSON.stringify(post['type'])}; known: ${POST_PROCESSORS.join(', ')}`,
      )
  }
}

/**
 * Lays out the (already truncated) token ids of the first text, and of the second when
 * given, per the template. With `addSpecialTokens` false the special tokens are left out
 * but the template's type ids still apply, as in tokenizers.
 */
export function assemble(
  template: SpecialTokenTemplate,
  first: readonly number[],
  second: readonly number[] | undefined,
  addSpecialTokens: boolean,
): AssembledTokens {
  const out: AssembledTokens = {ids: [], typeIds: [], sequenceIds: [], positions: []}
  for (const piece of second === undefined ? template.single : template.pair) {
    if (piece.kind === 'special') {
      if (!addSpecialTokens) continue
      for (const id of piece.ids) {
        out.ids.push(id)
        out.typeIds.push(piece.typeId)
        out.sequenceIds.push(-1)
        out.positions.push(-1)
      }
      continue
    }
    const tokens = piece.sequence === 0 ? first : (second ?? [])
    for (let i = 0; i < tokens.length; i++) {
      out.ids.push(tokens[i]!)
      out.typeIds.push(piece.typeId)
      out.sequenceIds.push(piece.sequence)
      out.positions.push(i)
    }
  }
  return out
}

function compileTemplateProcessing(post: Json): SpecialTokenTemplate {
  const specials = asObject(post['special_tokens'] ?? {}, 'post_processor.special_tokens')
  const pieces = (value: unknown, field: string): TemplatePiece[] => {
    if (!Array.isArray(value)) throw new UnsupportedPostProcessorError(`post_processor.${field} must be a list`)
    return value.map((item, i) => {
      const where = `post_processor.${field}[${i}]`
      const piece = asObject(item, where)
      if ('SpecialToken' in piece) {
        const token = asObject(piece['SpecialToken'], where)
        const name = String(token['id'])
        const entry = specials[name]
        if (!isObject(entry) || !Array.isArray(entry['ids']) || !entry['ids'].every(isTokenId)) {
          throw new UnsupportedPostProcessorError(`${where}: special token ${JSON.stringify(name)} has no ids in post_processor.special_tokens`)
        }
        return {kind: 'special', ids: entry['ids'] as number[], typeId: typeIdOf(token, where)}
      }
      if ('Sequence' in piece) {
        const sequence = asObject(piece['Sequence'], where)
        if (sequence['id'] !== 'A' && sequence['id'] !== 'B') {
          throw new UnsupportedPostProcessorError(`${where}: Sequence id must be "A" or "B"`)
        }
        return {kind: 'sequence', sequence: sequence['id'] === 'A' ? 0 : 1, typeId: typeIdOf(sequence, where)}
      }
      throw new UnsupportedPostProcessorError(`${where}: expected {"SpecialToken": ...} or {"Sequence": ...}`)
    })
  }
  return withCounts('TemplateProcessing', pieces(post['single'], 'single'), pieces(post['pair'], 'pair'))
}

function plainTemplate(from: string): SpecialTokenTemplate {
  return withCounts(from, [seq(0, 0)], [seq(0, 0), seq(1, 1)])
}

function withCounts(from: string, single: TemplatePiece[], pair: TemplatePiece[]): SpecialTokenTemplate {
  const count = (pieces: TemplatePiece[]) => pieces.reduce((n, p) => n + (p.kind === 'special' ? p.ids.length : 0), 0)
  return {from, single, pair, added: {single: count(single), pair: count(pair)}}
}

function special(id: number, typeId: number): TemplatePiece {
  return {kind: 'special', ids: [id], typeId}
}

function seq(sequence: 0 | 1, typeId: number): TemplatePiece {
  return {kind: 'sequence', sequence, typeId}
}

function specialPair(value: unknown, field: string): number {
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && isTokenId(value[1])) return value[1]
  throw new UnsupportedPostProcessorError(`post_processor.${field} must be ["<token>", <id>]`)
}

function typeIdOf(value: Json, where: string): number {
  const typeId = value['type_id'] ?? 0
  if (!isTokenId(typeId)) throw new UnsupportedPostProcessorError(`${where}: type_id must be a non-negative integer`)
  return typeId
}

function isTokenId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function asObject(value: unknown, where: string): Json {
  if (!isObject(value)) throw new UnsupportedPostProcessorError(`${where} must be an object`)
  return value
}
