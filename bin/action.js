#!/usr/bin/env node
// The GitHub Action's entry point (action.yml `runs.main`). GitHub checks the action out as
// it is in git: no node_modules, no build. The first step that uses it installs and builds it
// in place (`npm ci`, which runs the build); later steps of the job reuse that.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const main = new URL('../dist/src/action/main.js', import.meta.url)

if (!existsSync(fileURLToPath(main)) || !existsSync(fileURLToPath(new URL('../node_modules/@oclif/core', import.meta.url)))) {
  process.stdout.write('::group::Installing alignctl (npm ci)\n')
  // onnxruntime-node's CUDA download stays off (its own variable, as package.json's allowScripts does for npm ci); npm's output goes to stderr so it cannot be read as workflow commands.
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {cwd: root, stdio: ['ignore', 2, 2], env: {...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip'}})
  process.stdout.write('::endgroup::\n')
  if (install.status !== 0) {
    process.stdout.write(`::error::alignctl: npm ci failed in ${root} (${install.error?.message ?? `exit ${install.status}`}). The runner needs Node 20+ and npm with access to the npm registry.\n`)
    process.exit(3)
  }
}

await import(main.href)
