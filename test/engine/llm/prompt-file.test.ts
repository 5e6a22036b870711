import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {test} from 'node:test'

import {fillTemplate, readPromptFile} from '../../../src/engine/llm/index.js'
import {tempFile} from '../../helpers/cli.js'

test('sections by the names asked for; other headings are text; trailing spaces kept', () => {
  const text = '# title\nA comment.\n\n## first\n\nLine one\n## not-a-section\n# Question: kept\nOutput: \n\n\n## second\r\nB {{x}}\r\n'
  const file = tempFile('p.md', text)
  const prompt = readPromptFile(file, ['first', 'second'])
  assert.equal(prompt.sections.get('first'), 'Line one\n## not-a-section\n# Question: kept\nOutput: ')
  assert.equal(prompt.sections.get('second'), 'B {{x}}')
  assert.equal(prompt.sha256, createHash('sha256').update(text).digest('hex'))
})

test('a missing or repeated section, or an unreadable file, is an error that says so', () => {
  assert.throws(() => readPromptFile(tempFile('a.md', '## first\nx\n'), ['first', 'second']), /has no "## second" section/)
  assert.throws(() => readPromptFile(tempFile('b.md', '## first\nx\n## first\ny\n'), ['first']), /section "## first" twice/)
  assert.throws(() => readPromptFile('/nonexistent/prompt.md', ['first']), /cannot read \/nonexistent\/prompt\.md/)
})

test('fillTemplate fills once, leaves unknown placeholders', () => {
  assert.equal(fillTemplate('Q: {{question}} T: {{text}} {{other}}', {question: '{{text}}', text: 't'}), 'Q: {{text}} T: t {{other}}')
  assert.equal(fillTemplate('{{constructor}}', {}), '{{constructor}}')
})
