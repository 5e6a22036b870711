// `eval --shards n`: the 0-based index from --shard-index, ALIGNCTL_SHARD_INDEX or
// JOB_COMPLETION_INDEX, turned into the 1-based shard report.json records; and the usage
// errors, each naming the variable or flag and its value.
import assert from 'node:assert/strict'
import {test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {resolveShard} from '../../src/core/shard-source.js'

/** Expects a usage error (exit 2) whose message matches `pattern`. */
function refuses(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: AlignctlError) => {
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, pattern)
    return true
  })
}

test('without --shards or --shard the whole input is scored, whatever the environment holds', () => {
  assert.equal(resolveShard({}, {JOB_COMPLETION_INDEX: '3', ALIGNCTL_SHARD_INDEX: '1'}), undefined)
})

test('each index source gives shard index+1 of n', () => {
  assert.deepEqual(resolveShard({shards: 4}, {JOB_COMPLETION_INDEX: '0'}), {index: 1, count: 4})
  assert.deepEqual(resolveShard({shards: 4}, {JOB_COMPLETION_INDEX: '3'}), {index: 4, count: 4})
  assert.deepEqual(resolveShard({shards: 4}, {ALIGNCTL_SHARD_INDEX: '2'}), {index: 3, count: 4})
  assert.deepEqual(resolveShard({shards: 4, 'shard-index': '1'}, {}), {index: 2, count: 4})
  assert.deepEqual(resolveShard({shards: 1}, {JOB_COMPLETION_INDEX: '0'}), {index: 1, count: 1})
  // Sources that agree are fine.
  assert.deepEqual(resolveShard({shards: 4, 'shard-index': '2'}, {ALIGNCTL_SHARD_INDEX: '2', JOB_COMPLETION_INDEX: '2'}), {index: 3, count: 4})
})

test('--shard i/n names the shard outright; --shards must then equal n, and the environment is not read', () => {
  assert.deepEqual(resolveShard({shard: '2/4'}, {JOB_COMPLETION_INDEX: '0'}), {index: 2, count: 4})
  assert.deepEqual(resolveShard({shard: '2/4', shards: 4}, {JOB_COMPLETION_INDEX: '0'}), {index: 2, count: 4})
  assert.deepEqual(resolveShard({shard: '2/4', shards: 4, 'shard-index': '1'}, {}), {index: 2, count: 4})
  refuses(() => resolveShard({shard: '2/4', shards: 3}, {}), /^--shard 2\/4 and --shards 3 disagree: one says 4 shards, the other 3\.$/)
  refuses(() => resolveShard({shard: '2/4', shards: 4, 'shard-index': '2'}, {}), /^--shard 2\/4 and --shard-index 2 disagree: --shard is 1-based \(shard 2 is --shard-index 1\)\.$/)
})

test('--shards without any index source says where the index can come from', () => {
  refuses(() => resolveShard({shards: 4}, {}), /^--shards 4 needs the index of this shard, and neither --shard-index nor ALIGNCTL_SHARD_INDEX nor JOB_COMPLETION_INDEX is set\.$/)
  assert.throws(() => resolveShard({shards: 4}, {}), (e: AlignctlError) => e.suggestions.some((s) => s.includes('JOB_COMPLETION_INDEX') && s.includes('0 to 3')))
  refuses(() => resolveShard({'shard-index': '1'}, {}), /^--shard-index 1 needs --shards n/)
})

test('an index out of range, not a whole number, or empty is refused naming the variable and its value', () => {
  refuses(() => resolveShard({shards: 4}, {JOB_COMPLETION_INDEX: '4'}), /^JOB_COMPLETION_INDEX="4" is out of range for --shards 4: a shard index is 0-based, from 0 to 3\.$/)
  refuses(() => resolveShard({shards: 4}, {ALIGNCTL_SHARD_INDEX: '9'}), /^ALIGNCTL_SHARD_INDEX="9" is out of range for --shards 4/)
  refuses(() => resolveShard({shards: 4, 'shard-index': '7'}, {}), /^--shard-index "7" is out of range for --shards 4/)
  for (const raw of ['1.5', '-1', 'two', '0x1', '1e0']) {
    refuses(() => resolveShard({shards: 4}, {JOB_COMPLETION_INDEX: raw}), new RegExp(`^JOB_COMPLETION_INDEX=${JSON.stringify(raw).replace(/[.]/g, '\\.')} is not a shard index: it must be a whole number from 0 to 3`))
  }
  assert.throws(
    () => resolveShard({shards: 4}, {ALIGNCTL_SHARD_INDEX: ''}),
    (e: AlignctlError) => /^ALIGNCTL_SHARD_INDEX="" is not a shard index/.test(e.message) && e.suggestions.some((s) => s.includes('ALIGNCTL_SHARD_INDEX is empty')),
  )
})

test('index sources that disagree stop the run instead of scoring the wrong rows', () => {
  refuses(() => resolveShard({shards: 4}, {ALIGNCTL_SHARD_INDEX: '1', JOB_COMPLETION_INDEX: '2'}), /^ALIGNCTL_SHARD_INDEX=1 and JOB_COMPLETION_INDEX=2 disagree on which shard this is\.$/)
  refuses(() => resolveShard({shards: 4, 'shard-index': '0'}, {JOB_COMPLETION_INDEX: '2'}), /^--shard-index 0 and JOB_COMPLETION_INDEX=2 disagree/)
})

test('a malformed --shard is refused as before', () => {
  for (const value of ['0/4', '5/4', '2', 'a/b', '1/0']) refuses(() => resolveShard({shard: value}, {}), /expected i\/n with 1 ≤ i ≤ n/)
})
