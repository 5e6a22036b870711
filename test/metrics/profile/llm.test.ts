import assert from 'node:assert/strict'
import {test} from 'node:test'

import {llmFactorNames, parseRatings} from '../../../metrics/profile/factors/builtin-llm.js'
import {loadPrompt} from '../../../metrics/profile/prompt.js'
import {fillTemplate} from '../../../src/engine/llm/index.js'
import {tempFile} from '../../helpers/cli.js'
import type {ProfileParams} from '../../../metrics/profile/types.js'

test('ratings: a JSON object, fenced or after words; each factor a number in 1-5', () => {
  assert.deepEqual(parseRatings('{"fluency": 4, "helpfulness": 2}', ['fluency', 'helpfulness']), {fluency: 4, helpfulness: 2})
  assert.deepEqual(parseRatings('Sure!\n```json\n{"fluency": 4.5, "extra": 9}\n```', ['fluency']), {fluency: 4.5})
  assert.throws(() => parseRatings('It is fluent.', ['fluency']), /holds no JSON object/)
  assert.throws(() => parseRatings('{"fluency": 4,}', ['fluency']), /does not parse/)
  assert.throws(() => parseRatings('{"fluency": "4", "helpfulness": 7}', ['fluency', 'helpfulness', 'coverage']), /"fluency" is "4", not a number; "helpfulness" is 7, outside 1-5; "coverage" is missing/)
  // The outermost braces are read, so an object wrapped in a list is still found.
  assert.deepEqual(parseRatings('[{"fluency": 4}]', ['fluency']), {fluency: 4})
})

test('the v1 prompt: sections, factor definitions, a stable sha256, placeholders filled once', () => {
  const prompt = loadPrompt('factor-scores.v1')
  assert.match(prompt.system, /^You are a careful annotator/)
  assert.match(prompt.user, /\{\{response\}\}/)
  assert.deepEqual([...prompt.definitions.keys()], ['intent-alignment', 'formality-alignment', 'fluency', 'helpfulness', 'coverage', 'consistency', 'off-focus', 'misinformation'])
  assert.match(prompt.sha256, /^[0-9a-f]{64}$/)
  // Text from the data that looks like a placeholder is not expanded again.
  assert.equal(fillTemplate('A {{prompt}} B {{response}} {{other}}', {prompt: '{{response}}', response: 'r'}), 'A {{response}} B r {{other}}')
})

test('llmFactors must be defined by the prompt; a prompt file needs its sections', () => {
  const params = {llmPrompt: 'factor-scores.v1', llmFactors: 'fluency, helpfulness'} as unknown as ProfileParams
  assert.deepEqual(llmFactorNames(params), ['fluency', 'helpfulness'])
  assert.throws(() => llmFactorNames({...params, llmFactors: 'fluency,charm'}), /"charm" is not defined in .*factor-scores\.v1\.md/)
  assert.throws(() => llmFactorNames({...params, llmFactors: ''}), /llmFactors is empty/)
  const custom = tempFile('mine.v1.md', '## system\nS\n## user\nRate {{response}} on {{factors}}\n## factors\n- charm: how charming it is.\n')
  assert.deepEqual(llmFactorNames({...params, llmPrompt: custom, llmFactors: 'charm'}), ['charm'])
  assert.throws(() => loadPrompt(tempFile('bad.md', '## system\nS\n')), /has no "## user", "## factors" sections/)
  assert.throws(() => loadPrompt('factor-scores.v9'), /cannot read/)
})
