import {join} from 'node:path'

import {ROOT, runCli, tempDir} from './cli.js'

/**
 * A plugin data home with the template plugin (plugins/exact-match, built by `pretest`)
 * linked through `alignctl plugins link`, exactly as an author would link it.
 */
export async function linkTemplatePlugin(): Promise<string> {
  const dataHome = tempDir('xdg-data')
  const linked = await runCli(['plugins', 'link', join(ROOT, 'plugins/exact-match'), '--no-install'], {dataHome})
  if (linked.code !== 0) throw new Error(`plugins link failed (${linked.code}): ${linked.stderr}`)
  return dataHome
}
