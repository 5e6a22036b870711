import type {JsonSchema, MetricInput} from '../../src/kernel/interfaces/index.js'
import {DEFAULT_FACTORS} from './factors/builtins.js'

const factorValues: JsonSchema = {
  type: 'object',
  propertyNames: {minLength: 1},
  additionalProperties: {type: 'number'},
  description: 'factor values of this response, by factor name; they win over computed ones',
}

export const input: MetricInput = {
  name: 'default',
  description: 'one pairwise comparison per row: a prompt, two responses, each judge\'s verdict, and optionally the source and factor values',
  rowSchema: {
    type: 'object',
    required: ['prompt', 'response_a', 'response_b', 'preferences'],
    properties: {
      id: {type: ['string', 'integer']},
      task: {type: 'string', description: 'the task (summarization, qa, ...), passed to the LLM prompt'},
      prompt: {type: 'string', description: 'the instruction or question both responses answer'},
      source: {type: 'string', description: 'the document the responses are based on, for source-overlap and alignscore'},
      response_a: {type: 'string'},
      response_b: {type: 'string'},
      preferences: {
        type: 'object',
        minProperties: 1,
        propertyNames: {pattern: '^[^~]+$'},
        additionalProperties: {enum: ['a', 'b', 'tie']},
        description: 'each judge\'s verdict: {"human": "a", "gpt-4o": "tie"}; judge names may not contain "~"',
      },
      factors_a: factorValues,
      factors_b: factorValues,
    },
  },
  // The field names of common preference datasets.
  aliases: {instruction: 'prompt', question: 'prompt', document: 'source', article: 'source'},
}

const list = (description: string, defaults: readonly string[] | string): JsonSchema => ({
  anyOf: [{type: 'string'}, {type: 'array', items: {type: 'string'}}],
  default: typeof defaults === 'string' ? defaults : defaults.join(','),
  description,
})

export const paramsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    factors: list('built-in factor extractors to run, comma-separated (words, tokens, density, sentences, readability, prompt-overlap, source-overlap, alignscore, relevance, llm); empty for supplied factors only', DEFAULT_FACTORS),
    tokenizer: {type: 'string', minLength: 1, description: 'path of a tokenizer.json (or of a model pack folder), for the tokens factor'},
    alignscoreModel: {type: 'string', minLength: 1, description: 'AlignScore pack (cache name or folder) for alignscore and relevance; default --model, else alignscore-base'},
    llmModel: {type: 'string', minLength: 1, description: 'model id for factors=llm; default OPENAI_MODEL'},
    llmBaseUrl: {type: 'string', pattern: '^https?://', description: 'OpenAI-compatible API root (http://localhost:8000/v1 for vLLM); default OPENAI_BASE_URL, else https://api.openai.com/v1'},
    llmApiKeyEnv: {type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', default: 'OPENAI_API_KEY', description: 'the environment variable holding the API key (the key itself never goes in params, which report.json records)'},
    llmPrompt: {type: 'string', minLength: 1, default: 'factor-scores.v1', description: 'prompt name in metrics/profile/prompts, or path of a prompt .md file'},
    llmFactors: list('factors the LLM rates, each defined in the prompt file', 'intent-alignment,formality-alignment,fluency,helpfulness,coverage,consistency,off-focus,misinformation'),
    llmConcurrency: {type: 'integer', minimum: 1, maximum: 256, default: 4, description: 'LLM requests in flight at once'},
    llmRetries: {type: 'integer', minimum: 0, maximum: 20, default: 5, description: 'retries of a request on 429, 5xx, timeouts and malformed answers (exponential backoff with jitter; Retry-After honoured)'},
    llmTimeoutMs: {type: 'integer', minimum: 1, default: 60000, description: 'milliseconds one LLM request may take'},
    llmMaxTokens: {type: 'integer', minimum: 1, default: 256, description: 'max_tokens of each LLM answer'},
    llmTemperature: {type: 'number', minimum: 0, maximum: 2, default: 0, description: 'sampling temperature of the LLM'},
    llmJsonMode: {type: 'boolean', default: false, description: 'ask the server for a JSON object (response_format), where it supports that'},
    llmCache: {type: 'boolean', default: true, description: 'keep LLM answers in the alignctl cache folder (llm/), so a re-run sends nothing'},
    bootstrap: {type: 'integer', minimum: 1, maximum: 1000000, default: 1000, description: 'bootstrap resamples for the τ intervals'},
    seed: {type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'seed of the bootstrap, so intervals are reproducible'},
    confidence: {type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'coverage of the bootstrap intervals'},
    topK: {type: 'integer', minimum: 1, default: 3, description: 'k of the top-k factor agreement between judges'},
  },
}
