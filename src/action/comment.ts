import type {PullRequestRef} from './pull-request.js'

/** GitHub's limit on a comment body is 65,536 characters; stay clear of it. */
const MAX_BODY = 60_000

export interface CommentTarget {
  /** `$GITHUB_API_URL`: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  apiUrl: string
  token: string
  pullRequest: PullRequestRef
  /** Hidden text that identifies this workflow and job's comment among the PR's comments. */
  marker: string
}

export interface CommentResult {
  action: 'created' | 'updated'
  id: number
  url?: string
}

/** `<!-- alignctl:<workflow>:<job> -->`, with anything that could end an HTML comment taken out. */
export function commentMarker(workflow: string, job: string): string {
  const clean = (text: string) => text.replaceAll(/[<>]/g, '_').replaceAll(/-{2,}/g, '-')
  return `<!-- alignctl:${clean(workflow)}:${clean(job)} -->`
}

/**
 * Creates this workflow and job's comment on the pull request, or updates it when one with
 * the marker exists, so each run replaces the last run's numbers instead of adding a comment.
 */
export async function upsertComment(target: CommentTarget, markdown: string): Promise<CommentResult> {
  const {owner, repo, number} = target.pullRequest
  const base = `${target.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues`
  const body = `${target.marker}\n${truncate(markdown)}`
  const existing = await findComment(target, `${base}/${number}/comments`)
  const response =
    existing === undefined
      ? await request(target, 'POST', `${base}/${number}/comments`, {body})
      : await request(target, 'PATCH', `${base}/comments/${existing}`, {body})
  const comment = (await response.json()) as {id: number; html_url?: string}
  return {action: existing === undefined ? 'created' : 'updated', id: comment.id, ...(comment.html_url === undefined ? {} : {url: comment.html_url})}
}

/** The id of the first comment holding the marker, reading every page of the PR's comments. */
async function findComment(target: CommentTarget, url: string): Promise<number | undefined> {
  for (let page = 1; ; page++) {
    const response = await request(target, 'GET', `${url}?per_page=100&page=${page}`)
    const comments = (await response.json()) as Array<{id: number; body?: string | null; user?: {type?: string} | null}>
    // Only a bot's comment is ours to edit: a person may quote the marker.
    const found = comments.find((c) => typeof c.body === 'string' && c.body.includes(target.marker) && (c.user?.type === undefined || c.user.type === 'Bot'))
    if (found !== undefined) return found.id
    if (comments.length < 100) return undefined
  }
}

async function request(target: CommentTarget, method: string, url: string, json?: unknown): Promise<Response> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${target.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'alignctl-action',
      ...(json === undefined ? {} : {'content-type': 'application/json'}),
    },
    ...(json === undefined ? {} : {body: JSON.stringify(json)}),
  })
  if (!response.ok) {
    const text = await response.text().catch(() => '')
    const hint = response.status === 403 || response.status === 404 ? ' Give the job `permissions: pull-requests: write` (pull requests from forks get a read-only token).' : ''
    throw new Error(`${method} ${url}: HTTP ${response.status} ${text.slice(0, 300)}${hint}`)
  }
  return response
}

function truncate(markdown: string): string {
  return markdown.length <= MAX_BODY ? markdown : `${markdown.slice(0, MAX_BODY)}\n\n… cut at ${MAX_BODY} characters; the job summary and report.html have the rest.`
}
