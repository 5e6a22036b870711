
import {runtimeError, usageError} from '../../../src/kernel/errors.js'
import {fillTemplate, isChatError, sharedChatClient, type ChatClient} from '../../../src/engine/llm/index.js'
import {loadPrompt, type FactorPrompt} from '../prompt.js'
import type {FactorValues, ProfileParams} from '../types.js'
import {listParam, type ExtractContext, type ExtractOutcome, type FactorExtractor, type FactorItem} from './registry.js'

/**
 * LLM-rated factors, as PROFILE quantifies its factors with GPT-4o (README.md, "LLM factors"):
 * each response is sent alone, with its prompt and source, to an OpenAI-compatible
 * chat-completions server, which rates it 1-5 on each factor of `--param llmFactors`.
 */

/** The lowest and highest rating the prompt asks for. */
export const RATING_RANGE = {min: 1, max: 5} as const

/** The factors asked for, each defined by the prompt file. */
export function llmFactorNames(params: ProfileParams, prompt: FactorPrompt = loadPrompt(params.llmPrompt)): string[] {
  const names = listParam(params.llmFactors)
  if (names.length === 0) throw usageError('--param llmFactors is empty, so the LLM would rate nothing.', `Name some of the factors ${prompt.file} defines: ${[...prompt.definitions.keys()].join(', ')}.`)
  const unknown = names.filter((n) => !prompt.definitions.has(n))
  if (unknown.length > 0) {
    throw usageError(
      `--param llmFactors: ${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not defined in ${prompt.file}.`,
      `Its factors are: ${[...prompt.definitions.keys()].join(', ')}; or write a prompt file of your own and pass --param llmPrompt=<path>.`,
    )
  }
  return names
}

/**
 * The chat client the params describe, one per set of connection params for the process (so
 * its concurrency bound holds across batches); model and base URL fall back to OPENAI_MODEL
 * and OPENAI_BASE_URL.
 */
export function chatClientFor(params: ProfileParams, env: NodeJS.ProcessEnv = process.env): ChatClient {
  try {
    return sharedChatClient({
      ...(params.llmModel === undefined ? {} : {model: params.llmModel}),
      ...(params.llmBaseUrl === undefined ? {} : {baseUrl: params.llmBaseUrl}),
      // Only the variable the params name: an unset one means no key, never OPENAI_API_KEY's.
      apiKey: env[params.llmApiKeyEnv] ?? '',
      concurrency: params.llmConcurrency,
      retries: params.llmRetries,
      timeoutMs: params.llmTimeoutMs,
      ...(params.llmCache ? {} : {cacheDir: false as const}),
      env,
    })
  } catch (error) {
    throw usageError(`--param factors=llm: ${(error as Error).message}`, 'Pass --param llmModel=<model id> and, for a local server, --param llmBaseUrl=http://localhost:8000/v1 (or set OPENAI_MODEL and OPENAI_BASE_URL).')
  }
}

/**
 * The ratings in an answer: a JSON object (possibly inside a ```json fence or after some
 * words) with a number in [1, 5] for every factor asked. Throws a sentence saying what is wrong.
 */
export function parseRatings(content: string, factors: readonly string[]): FactorValues {
  const start = content.indexOf('{')
  const end = content.lastIndexOf('}')
  if (start < 0 || end < start) throw new Error('the answer holds no JSON object')
  let parsed: unknown
  try {
    parsed = JSON.parse(content.slice(start, end + 1))
  } catch (error) {
    throw new Error(`the answer's JSON object does not parse (${(error as Error).message})`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the answer\'s JSON is not an object')
  const record = parsed as Record<string, unknown>
  const values: FactorValues = {}
  const problems: string[] = []
  for (const factor of factors) {
    const value = record[factor]
    if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(value === undefined ? `"${factor}" is missing` : `"${factor}" is ${JSON.stringify(value)}, not a number`)
    else if (value < RATING_RANGE.min || value > RATING_RANGE.max) problems.push(`"${factor}" is ${value}, outside ${RATING_RANGE.min}-${RATING_RANGE.max}`)
    else values[factor] = value
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
  return values
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return JSON.stringify(flat.length > 160 ? `${flat.slice(0, 159)}…` : flat)
}

export const llmExtractor: FactorExtractor = {
  id: 'llm',
  description: 'factors rated 1-5 by an LLM through an OpenAI-compatible chat-completions server (--param llmFactors, llmModel, llmBaseUrl)',
  names: (params) => llmFactorNames(params),
  check(params) {
    llmFactorNames(params)
    chatClientFor(params)
  },
  async extract(items: readonly FactorItem[], ctx: ExtractContext): Promise<ExtractOutcome[]> {
    const prompt = loadPrompt(ctx.params.llmPrompt)
    const factors = llmFactorNames(ctx.params, prompt)
    const client = chatClientFor(ctx.params)
    const list = factors.map((f) => `- ${f}: ${prompt.definitions.get(f)}`).join('\n')
    return Promise.all(
      items.map(async (item): Promise<ExtractOutcome> => {
        const values = {factors: list, task: item.row.task ?? 'unspecified', prompt: item.row.prompt, source: item.row.source ?? '', response: item.response}
        try {
          const answer = await client.complete(
            {
              messages: [
                {role: 'system', content: prompt.system},
                {role: 'user', content: fillTemplate(prompt.user, values)},
              ],
              temperature: ctx.params.llmTemperature,
              maxTokens: ctx.params.llmMaxTokens,
              jsonObject: ctx.params.llmJsonMode,
            },
            {parse: (content) => parseRatings(content, factors), signal: ctx.signal},
          )
          return {values: answer.value, llm: {cached: answer.cached}}
        } catch (error) {
          if (!isChatError(error)) throw error
          if (error.code === 'aborted') throw error
          if (error.fatal) throw runtimeError(`--param factors=llm: ${error.message}`, {cause: error})
          const what = `response_${item.side}`
          if (error.code === 'unparsable') {
            return {error: `${what}: ${client.model} did not rate it as asked (${(error.cause as Error).message}); its answer was ${excerpt(error.content ?? '')}. The answer was not cached, so a re-run asks again; a stronger model, --param llmJsonMode=true or a higher llmMaxTokens may help.`}
          }
          return {error: `${what}: no rating from ${client.model}: ${error.message}`}
        }
      }),
    )
  },
}

