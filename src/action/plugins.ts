import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {isAbsolute, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {ExitCode} from '../kernel/errors.js'
import {shellLine} from './eval-args.js'
import {readInputs} from './inputs.js'
import type {Workflow} from './workflow.js'

/** The CLI of this package (its `bin`), as the install step put it on PATH. */
const CLI = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))

/** A plugin given as a folder (`./plugins/mine`, `/abs/path`) rather than an npm name or URL. */
function isFolder(plugin: string): boolean {
  return plugin.startsWith('./') || plugin.startsWith('../') || isAbsolute(plugin)
}

/**
 * The `alignctl` command lines that add the `plugins` input's plugins: an npm name, scope
 * or git URL is installed (`alignctl plugins install <name>`); a folder in the workspace,
 * already built, is linked without running npm in it (`alignctl plugins link <folder> --no-install`).
 */
export function pluginCommands(plugins: readonly string[], workspace: string): string[][] {
  return plugins.map((plugin) => (isFolder(plugin) ? ['plugins', 'link', resolve(workspace, plugin), '--no-install'] : ['plugins', 'install', plugin]))
}

/** The action's plugin step: runs each command; the first that fails stops the step (exit 3). */
export function installPlugins(env: NodeJS.ProcessEnv, workflow: Workflow, cwd = process.cwd()): number {
  const {plugins} = readInputs(env)
  for (const [i, args] of pluginCommands(plugins, cwd).entries()) {
    const folder = args[1] === 'link' ? args[2]! : undefined
    if (folder !== undefined && !existsSync(folder)) {
      workflow.error(`alignctl: plugins: ${plugins[i]}: no such folder (${folder}). Give an npm package name, or a folder of the workspace that holds a built plugin.`)
      return ExitCode.usage
    }
    workflow.info(`alignctl ${shellLine(args)}`)
    // stdout joins stderr, so npm's output can never be read as a workflow command.
    const run = spawnSync(process.execPath, [CLI, ...args], {cwd, env, stdio: ['ignore', 2, 2]})
    if (run.status !== 0) {
      const hint = folder === undefined ? `Check the name (\`npm view ${plugins[i]}\`) and that the runner reaches the npm registry.` : 'Check that the folder holds a built plugin: a package.json with oclif hooks, and its compiled dist/ (run its build in an earlier step).'
      workflow.error(`alignctl: plugins: \`alignctl ${shellLine(args)}\` failed (${run.error?.message ?? `exit ${run.status}`}); its output is above. ${hint}`)
      return ExitCode.runtime
    }
  }
  return ExitCode.ok
}
