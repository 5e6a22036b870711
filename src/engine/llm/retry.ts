/**
 * When to retry a chat-completions request and how long to wait: exponential backoff with
 * full jitter (a uniform wait in [0, min(cap, base·2^attempt)]), which spreads the retries of
 * many concurrent requests; a server's `Retry-After` wins over the backoff when it gives one.
 */

/** 408 (request timeout), 409 (conflict, used by some gateways for "busy"), 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}

/**
 * `Retry-After` in milliseconds: delay-seconds (`"2"`, also a fraction `"0.5"` as some
 * servers send) or an HTTP date; undefined when absent or unreadable. Never negative.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export interface BackoffOptions {
  /** Wait before the first retry, before jitter. */
  baseDelayMs: number
  /** Longest wait, for the backoff and for a server's `Retry-After` alike. */
  maxDelayMs: number
}

/**
 * The wait before retry number `attempt` (0 for the first retry). `random` gives [0, 1);
 * `retryAfterMs` is the server's `Retry-After`, honoured as given (up to `maxDelayMs`).
 */
export function retryDelay(attempt: number, options: BackoffOptions, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxDelayMs)
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt)
  return Math.floor(random() * ceiling)
}
