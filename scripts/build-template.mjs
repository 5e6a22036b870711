// Builds the plugin template in plugins/exact-match against this checkout, the way an author's
// `npm install && npm run build` would against a published alignctl: node_modules/alignctl
// points at the repo root, and the root's TypeScript compiles it.
import {execFileSync} from 'node:child_process'
import {mkdirSync, rmSync, symlinkSync} from 'node:fs'
import {join, relative} from 'node:path'

const plugin = 'plugins/exact-match'
const modules = join(plugin, 'node_modules')
mkdirSync(modules, {recursive: true})
for (const [name, target] of [['alignctl', '.'], ['@types', 'node_modules/@types']]) {
  const link = join(modules, name)
  rmSync(link, {force: true, recursive: true})
  symlinkSync(relative(modules, target), link)
}
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(plugin, 'tsconfig.json')], {stdio: 'inherit'})
