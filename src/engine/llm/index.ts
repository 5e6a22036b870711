/**
 * An OpenAI-compatible chat-completions client for metrics that ask an LLM (PROFILE's
 * factor extraction; any metric may use it). Off unless a metric's params turn it on: a
 * metric builds one from its own params, so the metric context needs no change.
 *
 * ```ts
 * const client = new ChatClient({model: params.llmModel, baseUrl: params.llmBaseUrl}) // else OPENAI_MODEL, OPENAI_BASE_URL
 * const {value, cached} = await client.complete({messages: [{role: 'user', content: text}]}, {parse: readVerdict, signal: ctx.signal})
 * ```
 * `parse` throwing gives a ChatError with code `unparsable` (the answer is not cached); a
 * `fatal` ChatError (bad key, unknown model or URL) should fail the run, the others one row.
 */
export {ChatClient, CHAT_DEFAULTS, completionContent, type ChatAnswer, type ChatClientOptions, type ChatMessage, type ChatRequest, type ChatUsage} from './client.js'
export {ChatError, isChatError, type ChatErrorCode} from './errors.js'
export {ResponseCache, type CachedAnswer} from './cache.js'
export {isRetryableStatus, parseRetryAfter, retryDelay, type BackoffOptions} from './retry.js'
export {Limiter} from './limiter.js'
export {readPromptFile, fillTemplate, type PromptFile} from './prompt-file.js'
export {sharedChatClient, type SharedClientOptions} from './shared.js'
