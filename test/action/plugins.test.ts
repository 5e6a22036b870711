import assert from 'node:assert/strict'
import {test} from 'node:test'

import {pluginCommands} from '../../src/action/plugins.js'

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
