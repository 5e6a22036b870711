/**
 * An OpenAI-compatible chat-completions client for metrics that ask an LLM (PROFILE's
 * factor extraction; any metric may use it). Off unless a metric's params turn it on.
 */
export {ChatClient, CHAT_DEFAULTS, completionContent, type ChatAnswer, type ChatClientOptions, type ChatMessage, type ChatRequest, type ChatUsage} from './client.js'
export {ChatError, isChatError, type ChatErrorCode} from './errors.js'
export {ResponseCache, canonicalJson, type CachedAnswer} from './cache.js'
export {isRetryableStatus, parseRetryAfter, retryDelay, type BackoffOptions} from './retry.js'
export {Limiter} from './limiter.js'
