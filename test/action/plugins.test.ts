import assert from 'node:assert/strict'
import {test} from 'node:test'

import {mkdirSync} from 'node:fs'
import {join} from 'node:path'

import {installPlugins, pluginCommands} from '../../src/action/plugins.js'
import {Workflow} from '../../src/action/workflow.js'
import {tempDir} from '../helpers/cli.js'

test('npm names are installed; workspace folders are linked without npm', () => {
  assert.deepEqual(pluginCommands(['alignctl-plugin-a', '@acme/alignctl-b@1.2.0', 'github:acme/alignctl-c', './plugins/mine', '../shared/theirs', '/opt/plugin'], '/work/space'), [
    ['plugins', 'install', 'alignctl-plugin-a'],
    ['plugins', 'install', '@acme/alignctl-b@1.2.0'],
    ['plugins', 'install', 'github:acme/alignctl-c'],
    ['plugins', 'link', '/work/space/plugins/mine', '--no-install'],
    ['plugins', 'link', '/work/shared/theirs', '--no-install'],
    ['plugins', 'link', '/opt/plugin', '--no-install'],
  ])
  assert.deepEqual(pluginCommands([], '/w'), [])
})

test('a plugin folder that is not there stops the step with exit 2 before anything runs', () => {
  const lines: string[] = []
  const workspace = tempDir('workspace')
  const code = installPlugins({INPUT_PLUGINS: './plugins/missing'}, new Workflow({}, (line) => lines.push(line)), workspace)
  assert.equal(code, 2)
  assert.deepEqual(lines, [`::error::alignctl: plugins: ./plugins/missing: no such folder (${join(workspace, 'plugins/missing')}). Give an npm package name, or a folder of the workspace that holds a built plugin.`])
})

test('a folder that holds no plugin: the link fails, and the step says what to check (exit 3)', () => {
  const lines: string[] = []
  const workspace = tempDir('workspace')
  mkdirSync(join(workspace, 'empty'))
  const code = installPlugins({INPUT_PLUGINS: './empty', XDG_DATA_HOME: tempDir('xdg-data'), PATH: process.env['PATH']}, new Workflow({}, (line) => lines.push(line)), workspace)
  assert.equal(code, 3)
  assert.equal(lines[0], `alignctl plugins link ${join(workspace, 'empty')} --no-install`)
  assert.match(lines[1]!, /^::error::alignctl: plugins: `alignctl plugins link .+ --no-install` failed \(exit \d+\); its output is above\. Check that the folder holds a built plugin/)
})
