import {llmExtractor} from './builtin-llm.js'
import {modelExtractors} from './builtin-model.js'
import {textExtractors} from './builtin-text.js'
import {ExtractorRegistry} from './registry.js'

/** The built-in factor extractors, in the order the README lists them. */
export const extractors = new ExtractorRegistry()
for (const extractor of [...textExtractors, ...modelExtractors, llmExtractor]) extractors.register(extractor)

/** Factors computed when `--param factors` is not given: the text ones that need no model or tokenizer. */
export const DEFAULT_FACTORS = ['words', 'density', 'sentences', 'readability', 'prompt-overlap', 'source-overlap'] as const
