import assert from 'node:assert/strict'
import {test} from 'node:test'

import {sharedChatClient} from '../../../src/engine/llm/index.js'

test('sharedChatClient: one client per set of connection options', () => {
  const env = {ALIGNCTL_HOME: '/tmp/alignctl-shared-test'}
  const a = sharedChatClient({model: 'm', baseUrl: 'http://127.0.0.1:1/v1', concurrency: 2, env})
  assert.equal(sharedChatClient({model: 'm', baseUrl: 'http://127.0.0.1:1/v1', concurrency: 2, env}), a)
  assert.notEqual(sharedChatClient({model: 'm', baseUrl: 'http://127.0.0.1:1/v1', concurrency: 3, env}), a)
  assert.notEqual(sharedChatClient({model: 'm', baseUrl: 'http://127.0.0.1:1/v1', concurrency: 2, apiKey: 'k', env}), a)
  assert.notEqual(sharedChatClient({model: 'm', baseUrl: 'http://127.0.0.1:1/v1', concurrency: 2, env: {ALIGNCTL_HOME: '/tmp/elsewhere'}}), a)
})
