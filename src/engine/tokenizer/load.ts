/**
 * Reading a model pack's tokenizer.json: validated once at the boundary, compiled once per
 * process (each worker thread has its own module instance, hence its own cache).
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'

import {runtimeError, usageError} from '../../kernel/errors.js'
import {applyLibraryFixes} from './library-fixes.js'
import {type PortTokenizer, Tokenizer} from './port.js'
import {UnsupportedPostProcessorError, compileTemplate} from './template.js'
import {TextTokenizer} from './text-tokenizer.js'

export interface LoadTokenizerOptions {
  /**
   * The padding token, when tokenizer.json has no `padding` section (HF keeps it in
   * tokenizer_config.json); default `<pad>`, else `[PAD]`, else none.
   */
  padToken?: string
}

const FIX_PACK = 'Check the model pack with `alignctl models verify <dir>`, or pull it again with `alignctl models pull <name>`.'
const DEFAULT_PAD_TOKENS = ['<pad>', '[PAD]']
// The port's constructor requires these keys, even when null.
const PIPELINE_KEYS = ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder'] as const

const compiled = new Map<string, TextTokenizer>()

/** Loads `file` (a tokenizer.json) once; later calls with the same path and options share it. */
export function loadTokenizer(file: string, options: LoadTokenizerOptions = {}): TextTokenizer {
  const path = resolve(file)
  const key = `${path}\0${options.padToken ?? ''}`
  let tokenizer = compiled.get(key)
  if (!tokenizer) {
    tokenizer = parseTokenizer(readTokenizerFile(path), path, options)
    compiled.set(key, tokenizer)
  }
  return tokenizer
}

/**
 * Builds a tokenizer from tokenizer.json text (or its parsed object). `source` names it in
 * messages: the file path, or a label.
 */
export function parseTokenizer(json: string | object, source: string, options: LoadTokenizerOptions = {}): TextTokenizer {
  const config = checkTokenizerJson(typeof json === 'string' ? parseJson(json, source) : json, source)
  let template
  try {
    template = compileTemplate(config['post_processor'])
  } catch (error) {
    if (!(error instanceof UnsupportedPostProcessorError)) throw error
    throw runtimeError(`${source}: unsupported post_processor: ${error.message}.`, {cause: error, suggestions: [FIX_PACK]})
  }
  let library: PortTokenizer
  try {
    library = new Tokenizer(config, {})
  } catch (error) {
    throw runtimeError(`${source}: @huggingface/tokenizers cannot build this tokenizer: ${messageOf(error)}.`, {cause: error, suggestions: [FIX_PACK]})
  }
  const fixes = applyLibraryFixes(library)
  const preTokenizer = config['pre_tokenizer']
  return new TextTokenizer({
    source,
    library,
    template,
    padId: padIdOf(config, library, source, options),
    preTokenizer: isObject(preTokenizer) ? String(preTokenizer['type']) : 'null',
    byteLevel: hasByteLevel(preTokenizer),
    fixes,
  })
}

function readTokenizerFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const what = code === 'ENOENT' ? 'not found; a model pack keeps its tokenizer.json beside model.onnx' : `cannot be read (${messageOf(error)})`
    throw runtimeError(`${path}: ${what}.`, {cause: error, suggestions: [FIX_PACK]})
  }
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw runtimeError(`${source}: not valid JSON: ${messageOf(error)}.`, {cause: error, suggestions: [FIX_PACK]})
  }
}

type Json = Record<string, unknown>

// Validates the parts we and the port rely on, so that a broken file fails here with its
// name rather than deep inside the library.
function checkTokenizerJson(value: unknown, source: string): Json {
  const fail = (what: string) => runtimeError(`${source}: not a Hugging Face tokenizer.json: ${what}.`, {suggestions: [FIX_PACK]})
  if (!isObject(value)) throw fail('the top level must be an object')
  const model = value['model']
  if (!isObject(model)) throw fail('"model" is missing')
  if (!isObject(model['vocab']) && !Array.isArray(model['vocab'])) throw fail('"model.vocab" is missing')
  const added = value['added_tokens'] ?? []
  if (!Array.isArray(added)) throw fail('"added_tokens" must be a list')
  added.forEach((token, i) => {
    if (!isObject(token) || typeof token['content'] !== 'string' || !Number.isInteger(token['id'])) {
      throw fail(`added_tokens[${i}] needs a string "content" and an integer "id"`)
    }
  })
  const config: Json = {...value, added_tokens: added}
  for (const key of PIPELINE_KEYS) config[key] ??= null
  return config
}

function padIdOf(config: Json, library: PortTokenizer, source: string, options: LoadTokenizerOptions): number | undefined {
  const padding = config['padding']
  if (options.padToken === undefined && isObject(padding) && Number.isInteger(padding['pad_id'])) return padding['pad_id'] as number
  if (options.padToken !== undefined) {
    const id = library.token_to_id(options.padToken)
    if (id === undefined) throw usageError(`${source}: pad token ${JSON.stringify(options.padToken)} is not in the vocabulary.`)
    return id
  }
  for (const token of DEFAULT_PAD_TOKENS) {
    const id = library.token_to_id(token)
    if (id !== undefined) return id
  }
  return undefined
}

function hasByteLevel(preTokenizer: unknown): boolean {
  if (!isObject(preTokenizer)) return false
  if (preTokenizer['type'] === 'ByteLevel') return true
  const inner = preTokenizer['pretokenizers']
  return preTokenizer['type'] === 'Sequence' && Array.isArray(inner) && inner.some(hasByteLevel)
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
