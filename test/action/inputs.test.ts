import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {commentMarker} from '../../src/action/comment.js'
import {readInputs} from '../../src/action/inputs.js'
import {escapeData, outputName, Workflow} from '../../src/action/workflow.js'
import {tempDir} from '../helpers/cli.js'

test('inputs: lists by line (metrics by comma too), booleans, defaults, dashed names either way', () => {
  const inputs = readInputs({
    INPUT_METRICS: 'honesty, rating-ranking\nalignscore',
    INPUT_INPUT: 'ratings=r.csv\n\n  rankings=k.csv  \n# a comment line\n',
    'INPUT_FAIL-UNDER': 'honesty.honesty=0.7\nrating-ranking.consistency=0.4',
    INPUT_FAIL_ON_REGRESSION: 'TRUE',
    INPUT_COMMENT: 'false',
    INPUT_TOLERANCE: '0.01',
    INPUT_DEVICE: 'cpu',
  })
  assert.deepEqual(inputs.metrics, ['honesty', 'rating-ranking', 'alignscore'])
  assert.deepEqual(inputs.inputs, ['ratings=r.csv', 'rankings=k.csv'])
  assert.deepEqual(inputs.failUnder, ['honesty.honesty=0.7', 'rating-ranking.consistency=0.4'])
  assert.equal(inputs.failOnRegression, true)
  assert.equal(inputs.comment, false)
  assert.equal(inputs.cache, false)
  assert.equal(inputs.tolerance, 0.01)
  assert.equal(inputs.device, 'cpu')
  assert.equal(inputs.out, 'alignctl-out')
  assert.equal(inputs.baseline, undefined)
  assert.throws(() => readInputs({INPUT_COMMENT: 'maybe'}), /input "comment": "maybe" is not true or false/)
  assert.throws(() => readInputs({INPUT_TOLERANCE: '-1'}), /input "tolerance": "-1" is not a number ≥ 0/)
})

test('workflow commands, outputs and the comment marker', () => {
  const dir = tempDir()
  const outputFile = join(dir, 'out')
  writeFileSync(outputFile, '')
  const lines: string[] = []
  const workflow = new Workflow({GITHUB_OUTPUT: outputFile}, (line) => lines.push(line))
  workflow.error('50% done\nthen failed')
  workflow.setOutput('passed', 'true')
  workflow.setOutput('notes', 'two\nlines')
  assert.deepEqual(lines, ['::error::50%25 done%0Athen failed'])
  assert.match(readFileSync(outputFile, 'utf8'), /^passed=true\nnotes<<(alignctl_[\w-]+)\ntwo\nlines\n\1\n$/)
  assert.equal(escapeData('a\r\nb'), 'a%0D%0Ab')
  assert.equal(outputName('rating-ranking', 'byAnnotator.ann 1.consistency'), 'rating-ranking_byAnnotator_ann_1_consistency')
  assert.equal(commentMarker('CI --> eval', 'score'), '<!-- alignctl:CI -_ eval:score -->')
})
