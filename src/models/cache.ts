import {homedir} from 'node:os'
import {join} from 'node:path'

/**
 * Where model packs live: `$ALIGNCTL_HOME`, else `$XDG_CACHE_HOME/alignctl`, else
 * `~/.cache/alignctl` (DESIGN.md §3.4). Packs are in `models/<name>/`, downloads in progress
 * in `downloads/`.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['ALIGNCTL_HOME']) return env['ALIGNCTL_HOME']
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'alignctl')
  return join(homedir(), '.cache', 'alignctl')
}

export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'models')
}

export function downloadsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'downloads')
}
