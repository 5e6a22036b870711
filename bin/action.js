#!/usr/bin/env node
// The GitHub Action's entry point (action.yml's steps run `node bin/action.js plugins`, then
// `node bin/action.js`). The composite action's install step builds the package in place
// first (`npm ci`, which runs the build).
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const main = new URL('../dist/src/action/main.js', import.meta.url)

if (!existsSync(fileURLToPath(main))) {
  process.stdout.write(`::error::alignctl: ${root} is not built (no dist/src/action/main.js). Use the action through action.yml (its install step runs npm ci there), or run \`ONNXRUNTIME_NODE_INSTALL=skip npm ci\` in ${root} first.\n`)
  process.exit(3)
}

await import(main.href)
