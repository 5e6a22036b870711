import {createHash} from 'node:crypto'

import {cacheDir} from '../../models/cache.js'
import {ChatClient, type ChatClientOptions} from './client.js'

/**
 * One client per set of connection options, for the whole process: a metric scores batch
 * after batch, and the concurrency bound and usage counts must hold across them. The options
 * are keyed by value (the API key hashed with them, never kept in the key's text); test hooks
 * (fetch, sleep, random) are not part of the key, so pass them only to `new ChatClient`.
 */
const clients = new Map<string, ChatClient>()

export type SharedClientOptions = Omit<ChatClientOptions, 'fetch' | 'sleep' | 'random'>

export function sharedChatClient(options: SharedClientOptions): ChatClient {
  const env = options.env ?? process.env
  const {env: _env, ...rest} = options
  const key = createHash('sha256')
    .update(JSON.stringify([rest.model ?? env['OPENAI_MODEL'], rest.baseUrl ?? env['OPENAI_BASE_URL'], rest.apiKey ?? env['OPENAI_API_KEY'], rest.concurrency, rest.retries, rest.timeoutMs, rest.baseDelayMs, rest.maxDelayMs, rest.cacheDir ?? cacheDir(env)]))
    .digest('hex')
  let client = clients.get(key)
  if (client === undefined) {
    client = new ChatClient(options)
    clients.set(key, client)
  }
  return client
}
