import {readFileSync} from 'node:fs'

/** The pull request a workflow run is about, from `$GITHUB_EVENT_PATH`. */
export interface PullRequestRef {
  owner: string
  repo: string
  number: number
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** The run's pull request, or undefined on other events (push, schedule, workflow_dispatch). */
export function pullRequestOf(env: NodeJS.ProcessEnv): PullRequestRef | undefined {
  if (!PR_EVENTS.has(env['GITHUB_EVENT_NAME'] ?? '')) return undefined
  const path = env['GITHUB_EVENT_PATH']
  const repository = env['GITHUB_REPOSITORY'] ?? ''
  const [owner, repo] = repository.split('/')
  if (!path || !owner || !repo) return undefined
  const event = JSON.parse(readFileSync(path, 'utf8')) as {number?: unknown; pull_request?: {number?: unknown}}
  const number = event.pull_request?.number ?? event.number
  return typeof number === 'number' ? {owner, repo, number} : undefined
}
