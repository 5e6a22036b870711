import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface RecordedRequest {
  method: string
  /** Path and query: `/repos/acme/models/issues/7/comments?per_page=100&page=1`. */
  url: string
  authorization: string | undefined
  body: unknown
}

export interface StoredComment {
  id: number
  body: string
}

/**
 * A loopback stand-in for the parts of GitHub's REST API the action uses: list an issue's
 * comments (paged), create one, update one. It records every request; `failWith` makes
 * every request fail with that status.
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = []
  readonly comments = new Map<number, StoredComment[]>()
  failWith: number | undefined
  #nextId = 1000
  readonly #server: Server

  private constructor(server: Server) {
    this.#server = server
  }

  static async start(): Promise<FakeGitHub> {
    let api: FakeGitHub | undefined
    const server = createServer((req, res) => {
      void api!.#handle(req).then(
        ({status, json}) => {
          res.writeHead(status, {'content-type': 'application/json'})
          res.end(JSON.stringify(json))
        },
        (error: Error) => {
          res.writeHead(500)
          res.end(error.message)
        },
      )
    })
    api = new FakeGitHub(server)
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    return api
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  /** Comments already on issue `n` (other jobs' and people's), for the action to page through. */
  seed(issue: number, bodies: readonly string[]): void {
    const list = this.comments.get(issue) ?? []
    for (const body of bodies) list.push({id: this.#nextId++, body})
    this.comments.set(issue, list)
  }

  count(method: string): number {
    return this.requests.filter((r) => r.method === method).length
  }

  reset(): void {
    this.requests.length = 0
  }

  close(): Promise<void> {
    return new Promise((done) => this.#server.close(() => done()))
  }

  async #handle(req: IncomingMessage): Promise<{status: number; json: unknown}> {
    let text = ''
    for await (const chunk of req) text += String(chunk)
    const body = text === '' ? undefined : (JSON.parse(text) as unknown)
    this.requests.push({method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body})
    if (this.failWith !== undefined) return {status: this.failWith, json: {message: 'Resource not accessible by integration'}}

    const url = new URL(req.url ?? '/', 'http://localhost')
    const list = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname)
    if (list !== null) {
      const issue = Number(list[1])
      const comments = this.comments.get(issue) ?? []
      if (req.method === 'GET') {
        const perPage = Number(url.searchParams.get('per_page') ?? 30)
        const page = Number(url.searchParams.get('page') ?? 1)
        return {status: 200, json: comments.slice((page - 1) * perPage, page * perPage)}
      }
      if (req.method === 'POST') {
        const comment = {id: this.#nextId++, body: (body as {body: string}).body}
        this.comments.set(issue, [...comments, comment])
        return {status: 201, json: {...comment, html_url: `https://github.example/comment/${comment.id}`}}
      }
    }
    const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname)
    if (one !== null && req.method === 'PATCH') {
      const comment = [...this.comments.values()].flat().find((c) => c.id === Number(one[1]))
      if (comment === undefined) return {status: 404, json: {message: 'Not Found'}}
      comment.body = (body as {body: string}).body
      return {status: 200, json: comment}
    }
    return {status: 404, json: {message: `no route for ${req.method} ${url.pathname}`}}
  }
}
