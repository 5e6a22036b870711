import assert from 'node:assert/strict'
import {test} from 'node:test'

import {tokenOverlap, tokens} from '../src/judge.js'

const context = {logger: {info() {}, warn() {}, debug() {}}, signal: new AbortController().signal}

test('tokens are lower-cased words without punctuation', () => {
  assert.deepEqual([...tokens('Shakespeare, William!  (1564)')], ['shakespeare', 'william', '1564'])
})

test('a response is correct when all the words of one answer occur in it, in any order', async () => {
  const verdicts = await tokenOverlap.judge(
    [
      {question: 'Who wrote Hamlet?', response: 'Shakespeare, William.', answers: ['William Shakespeare']},
      {question: 'Who wrote Hamlet?', response: 'It was William Blake.', answers: ['William Shakespeare']},
      {question: 'Who painted Guernica?', response: 'Monet.', answers: ['Pablo Picasso', 'Picasso']},
      {question: 'How many legs?', response: 'Eight of them', answers: ['8', 'eight']},
    ],
    context,
  )
  assert.deepEqual(verdicts, [
    {correct: true, score: 1, note: 'words of "William Shakespeare" found: 100%'},
    {correct: false, score: 0.5, note: 'words of "William Shakespeare" found: 50%'},
    {correct: false, score: 0},
    {correct: true, score: 1, note: 'words of "eight" found: 100%'},
  ])
})
