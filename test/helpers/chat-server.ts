import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A loopback HTTP server that mimics an OpenAI-compatible `POST /v1/chat/completions`, for the
 * chat client's and the profile metric's tests. Each request is answered by `reply`, which can
 * return a completion text, an HTTP error, a malformed body or a delay; every request is recorded.
 */
export interface RecordedRequest {
  path: string
  headers: IncomingMessage['headers']
  body: {model: string; messages: Array<{role: string; content: string}>; [key: string]: unknown}
}

export type Reply =
  /** A normal completion whose message content is this text. */
  | {content: string; delayMs?: number}
  /** Any status and raw body (a 429 with Retry-After, a 500, a 200 with broken JSON). */
  | {status: number; body: string; headers?: Record<string, string>; delayMs?: number}

export interface ChatServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string
  requests: RecordedRequest[]
  /** Most requests that were in flight at once. */
  maxInFlight(): number
  close(): Promise<void>
}

export function completionBody(content: string, model = 'fixture-model'): string {
  return JSON.stringify({id: 'chatcmpl-test', object: 'chat.completion', created: 0, model, choices: [{index: 0, message: {role: 'assistant', content}, finish_reason: 'stop'}]})
}

export async function startChatServer(reply: (request: RecordedRequest, index: number) => Reply): Promise<ChatServer> {
  const requests: RecordedRequest[] = []
  let inFlight = 0
  let most = 0
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = ''
    req.on('data', (chunk: Buffer) => (text += chunk.toString()))
    req.on('end', () => {
      inFlight++
      most = Math.max(most, inFlight)
      const recorded: RecordedRequest = {path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as RecordedRequest['body']}
      const index = requests.push(recorded) - 1
      const answer = req.url === '/v1/chat/completions' ? reply(recorded, index) : {status: 404, body: '{"error":{"message":"not found"}}'}
      const send = () => {
        inFlight--
        if (res.destroyed) return
        if ('content' in answer) {
          res.writeHead(200, {'content-type': 'application/json'}).end(completionBody(answer.content, recorded.body.model))
        } else {
          res.writeHead(answer.status, {'content-type': 'application/json', ...answer.headers}).end(answer.body)
        }
      }
      if (answer.delayMs === undefined) send()
      else setTimeout(send, answer.delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight: () => most,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
