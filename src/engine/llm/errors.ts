/**
 * What can go wrong with a chat-completions call, as a code a caller can branch on (never a
 * message to parse): the caller decides whether one failed request fails the run or one row.
 */
export type ChatErrorCode =
  /** The server answered with an HTTP status that retrying cannot fix (400, 401, 403, 404, ...). */
  | 'http'
  /** 429 or 5xx on every attempt. */
  | 'retries-exhausted'
  /** No answer within the timeout, on every attempt. */
  | 'timeout'
  /** The server could not be reached (connection refused, DNS), on every attempt. */
  | 'network'
  /** HTTP 200 whose body is not a chat completion (not JSON, or no `choices[0].message.content`), on every attempt. */
  | 'malformed'
  /** The caller's `parse` rejected the answer's text (the answer was not cached). */
  | 'unparsable'
  /** The caller's signal aborted the call. */
  | 'aborted'

export class ChatError extends Error {
  readonly code: ChatErrorCode
  /** True when every later request will fail the same way (bad key, unknown model, wrong URL). */
  readonly fatal: boolean
  /** The HTTP status of the last attempt, when there was one. */
  readonly status: number | undefined
  /** The answer's text, for `unparsable`. */
  readonly content: string | undefined

  constructor(message: string, options: {code: ChatErrorCode; fatal?: boolean; status?: number; content?: string; cause?: unknown}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'ChatError'
    this.code = options.code
    this.fatal = options.fatal ?? false
    this.status = options.status
    this.content = options.content
  }
}

export function isChatError(error: unknown): error is ChatError {
  return error instanceof Error && error.name === 'ChatError' && typeof (error as {code?: unknown}).code === 'string'
}
