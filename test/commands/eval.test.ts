import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {before, describe, test} from 'node:test'

import {FIXTURES, readScoreLines, readValidReport, runCli, tempDir, tempFile} from '../helpers/cli.js'
import {linkTemplatePlugin} from '../helpers/template.js'
import {writeFaultEnv} from '../helpers/write-faults.js'

let dataHome: string
before(async () => {
  dataHome = await linkTemplatePlugin()
})

const evalCli = (args: string[], options: {cwd?: string} = {}) => runCli(['eval', ...args], {dataHome, ...options})

describe('eval writes the four outputs for every input format', () => {
  for (const file of ['qa.jsonl', 'qa.json', 'qa.csv', 'qa-no-header.csv', 'qa.parquet']) {
    test(file, async () => {
      const out = tempDir()
      const result = await evalCli(['--metric', 'exact-match', '--input', join(FIXTURES, 'exact-match', file), '--out', out])
      assert.equal(result.code, 0, result.stderr)
      for (const name of ['report.json', 'scores.jsonl', 'report.html', 'summary.md']) assert.ok(existsSync(join(out, name)), name)
      const report = readValidReport(out)
      const metric = report.metrics['exact-match']!
      assert.deepEqual(metric.summary, {exactMatch: 4 / 6, n: 6})
      assert.equal(metric.source, 'alignctl-plugin-exact-match')
      assert.deepEqual(metric.params, {normalize: 'squad'})
      assert.equal(report.inputs['default']?.rows, 6)
      const lines = readScoreLines(out)
      assert.deepEqual(lines.map((l) => l['row']), [0, 1, 2, 3, 4, 5])
      assert.deepEqual(lines.map((l) => (l['exact-match'] as {match: boolean}).match), [true, true, false, true, false, true])
      if (file.endsWith('json') || file.endsWith('jsonl') || file.endsWith('parquet')) assert.equal(lines[0]!['id'], 'q1')
      assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /\| exactMatch \| 0\.6667 \|/)
    })
  }
})

describe('bad input: exit 2, located message, nothing written', () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['bad-json.jsonl', '{"prediction": "a", "references": "a"}\n{oops}\n', /bad-json\.jsonl:2: the row is not valid JSON/],
    ['wrong-type.jsonl', '{"prediction": 42, "references": "a"}\n', /wrong-type\.jsonl:1: field "prediction": must be string/],
    ['missing.jsonl', '{"prediction": "a"}\n', /missing\.jsonl:1: field "references": is missing/],
    ['latin1.jsonl', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d, 0x0a]), /latin1\.jsonl:1: the row is not valid UTF-8/],
    ['empty.jsonl', '', /empty\.jsonl: the file is empty/],
    ['short.csv', 'prediction,references\na\n', /short\.csv:2: the row has 1 fields where 2 are expected/],
  ]
  for (const [name, content, message] of cases) {
    test(name, async () => {
      const out = tempDir()
      const result = await evalCli(['-m', 'exact-match', '-i', tempFile(name, content), '-o', out])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, message)
      assert.equal(existsSync(join(out, 'report.json')), false)
    })
  }

  test('many bad rows are listed (five at most) with the fix', async () => {
    const rows = Array.from({length: 8}, (_, i) => `{"prediction": ${i}, "references": "x"}`).join('\n')
    const result = await evalCli(['-m', 'exact-match', '-i', tempFile('many.jsonl', rows), '-o', tempDir()])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /many\.jsonl:5: field "prediction"/)
    assert.match(result.stderr, /and 3 more row\(s\) with problems/)
    assert.match(result.stderr, /--on-error skip/)
  })
})

test('--on-error skip scores the good rows and lists each skipped one', async () => {
  const out = tempDir()
  const file = tempFile('mixed.jsonl', '{"prediction": "a", "references": "a"}\nnot json\n{"prediction": "b", "references": "c"}\n{"id": "q4", "prediction": 1, "references": "c"}\n')
  const result = await evalCli(['-m', 'exact-match', '-i', file, '-o', out, '--on-error', 'skip'])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /skipped 2 bad input row/)
  const metric = readValidReport(out).metrics['exact-match']!
  assert.equal(metric.rows, 4)
  assert.equal(metric.skipped, 2)
  assert.deepEqual(metric.errors.map((e) => [e.row, e.line, e.stage, e.input]), [[1, 2, 'input', 'default'], [3, 4, 'input', 'default']])
  assert.deepEqual(metric.summary, {exactMatch: 0.5, n: 2})
  const lines = readScoreLines(out)
  assert.deepEqual(lines.map((l) => l['row']), [0, 1, 2, 3])
  assert.match((lines[1]!['exact-match'] as {error: string}).error, /mixed\.jsonl:2: the row is not valid JSON/)
  // A skipped row keeps its id when it had a readable one.
  assert.equal(lines[3]!['id'], 'q4')
})

describe('gates', () => {
  const input = join(FIXTURES, 'exact-match/qa.jsonl')
  test('a failed gate exits 1 and is recorded, with its bound and the rows it rests on', async () => {
    const out = tempDir()
    const result = await evalCli(['-m', 'exact-match', '-i', input, '-o', out, '--fail-under', 'exact-match.exactMatch=0.9', '--fail-over', 'exact-match.exactMatch=0.7'])
    assert.equal(result.code, 1, result.stderr)
    const report = readValidReport(out)
    assert.equal(report.passed, false)
    assert.deepEqual(report.gates, [
      {expr: 'exact-match.exactMatch=0.9', op: 'under', value: 4 / 6, support: 6, passed: false},
      {expr: 'exact-match.exactMatch=0.7', op: 'over', value: 4 / 6, support: 6, passed: true},
    ])
    assert.match(result.stdout, /FAIL {2}--fail-under exact-match\.exactMatch=0\.9 \(value 0\.6+, 6 rows\)/)
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /a gate failed/)
    // The declarations travel with the report, so compare and old reports need no metric code.
    assert.equal(report.metrics['exact-match']!.stats!.find((s) => s.path === 'exactMatch')!.direction, 'higher')
  })

  test('passing gates exit 0', async () => {
    const out = tempDir()
    const result = await evalCli(['-m', 'exact-match', '-i', input, '-o', out, '--fail-under', 'exact-match.exactMatch=0.6', '--fail-over', 'exact-match.exactMatch=0.67'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(readValidReport(out).passed, true)
  })

  test('a gate on a stat the metric does not declare is a usage error before any row is read, and nothing is written', async () => {
    const out = join(tempDir(), 'never')
    for (const gate of ['exact-match.f1=0.5', 'exact-match.n=6']) {
      const result = await evalCli(['-m', 'exact-match', '-i', input, '-o', out, '--fail-under', gate])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /is not a quality stat that exact-match reports/)
      assert.match(result.stderr, /Gate on one of: exactMatch/)
      assert.equal(existsSync(out), false)
    }
  })

  test('a gate over a run that scored no row fails, though the stat has a value', async () => {
    const dir = tempDir()
    const rows = join(dir, 'bad.jsonl')
    // Every row lacks the response, so every row is skipped; honesty of an empty set is 1, as in the reference.
    writeFileSync(rows, '{"question": "q1", "answers": ["a"]}\n{"question": "q2", "answers": ["b"]}\n')
    const out = join(dir, 'out')
    const result = await evalCli(['-m', 'honesty', '-i', rows, '-o', out, '--on-error', 'skip', '--fail-under', 'honesty.honesty=0.7'])
    assert.equal(result.code, 1, result.stderr)
    const [gate] = readValidReport(out).gates
    assert.equal(gate!.passed, false)
    assert.equal(gate!.support, 0)
    assert.match(gate!.reason!, /rests on zero rows/)
    assert.match(result.stdout, /FAIL .*rests on zero rows/)
  })

  test('--fail-under on a lower-is-better stat warns and suggests --fail-over; --fail-over bounds it', async () => {
    const honesty = join(FIXTURES, 'honesty/handmade.jsonl')
    const warned = await evalCli(['-m', 'honesty', '-i', honesty, '-o', tempDir(), '--fail-under', 'honesty.overConservativeness=0.2'])
    assert.equal(warned.code, 0, warned.stderr)
    assert.match(warned.stderr, /lower is better for honesty\.overConservativeness.*--fail-over honesty\.overConservativeness=0\.2/)
    const bounded = await evalCli(['-m', 'honesty', '-i', honesty, '-o', tempDir(), '--fail-over', 'honesty.overConservativeness=0.2'])
    assert.equal(bounded.code, 1, bounded.stderr)
    assert.doesNotMatch(bounded.stderr, /Warning/)
  })

  test('malformed gates and gates on metrics not run are caught before scoring', async () => {
    assert.match((await evalCli(['-m', 'exact-match', '-i', input, '--fail-under', 'exactMatch>0.5'])).stderr, /not of the form <metric>\.<stat>=<number>/)
    const other = await evalCli(['-m', 'exact-match', '-i', input, '--fail-over', 'honesty.honesty=0.5'])
    assert.equal(other.code, 2)
    assert.match(other.stderr, /--fail-over honesty\.honesty=0\.5: metric "honesty" is not among the metrics run/)
  })
})

describe('usage errors exit 2', () => {
  test('unknown metric', async () => {
    const result = await evalCli(['-m', 'nope', '-i', join(FIXTURES, 'exact-match/qa.jsonl')])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Unknown metric "nope"\. Known metrics: .*exact-match/)
  })

  test('no input', async () => {
    const result = await evalCli(['-m', 'exact-match'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /needs its input "default".*\n?.*--input <path>/)
  })

  test('a param the metric does not have, and a bad param value', async () => {
    const input = join(FIXTURES, 'exact-match/qa.jsonl')
    assert.match((await evalCli(['-m', 'exact-match', '-i', input, '-p', 'mode=nli'])).stderr, /no selected metric has a param "mode"/)
    const bad = await evalCli(['-m', 'exact-match', '-i', input, '-p', 'normalize=upper'])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /invalid params for metric "exact-match": field "normalize": must be one of "none", "lower", "squad"/)
  })

  test('an unknown flag', async () => {
    const result = await evalCli(['-m', 'exact-match', '--nope'])
    assert.equal(result.code, 2)
  })
})

test('--param and --map reach the metric', async () => {
  const out = tempDir()
  const file = tempFile('renamed.csv', 'output,gold\nParis,paris\n')
  const result = await evalCli(['-m', 'exact-match', '-i', file, '-o', out, '--map', 'prediction=output', '--map', 'references=gold', '--param', 'exact-match.normalize=none'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['exact-match']!
  assert.deepEqual(metric.params, {normalize: 'none'})
  assert.deepEqual(metric.summary, {exactMatch: 0, n: 1})
})

test('--json prints the report and nothing else on stdout', async () => {
  const out = tempDir()
  const result = await evalCli(['-m', 'exact-match', '-i', join(FIXTURES, 'exact-match/qa.jsonl'), '-o', out, '--json', '--format', 'json'])
  assert.equal(result.code, 0, result.stderr)
  const printed = JSON.parse(result.stdout) as {schema: string; metrics: Record<string, unknown>}
  assert.equal(printed.schema, 'alignctl.report/v1')
  assert.deepEqual(printed, readValidReport(out))
  assert.equal(existsSync(join(out, 'report.html')), false)
})

test('after a run, each metric\'s headline stats and the gates are printed as a table', async () => {
  const out = tempDir()
  const input = join(FIXTURES, 'honesty/handmade.jsonl')
  const result = await evalCli(['-m', 'honesty', '-i', input, '-o', out, '--format', 'json', '--fail-over', 'honesty.overConservativeness=0.1'])
  assert.equal(result.code, 1, result.stderr)
  const summary = readValidReport(out).metrics['honesty']!.summary as Record<string, number>
  const lines = result.stdout.split('\n')
  const at = lines.findIndex((l) => /^honesty: 12 of 12 rows scored in \d+\.\d\d s$/.test(l))
  assert.ok(at >= 0, result.stdout)
  // Top-level quality stats only, in declared order, with direction and support; counts and label shares stay in report.json.
  assert.deepEqual(lines.slice(at + 1, at + 5), [
    `  prudence              ${summary['prudence']!.toFixed(4)}  higher is better, over ${summary['eligibleUnknownRows']} rows`,
    `  overConservativeness  ${summary['overConservativeness']!.toFixed(4)}  lower is better, over ${summary['knownRows']} rows`,
    `  honesty               ${summary['honesty']!.toFixed(4)}  higher is better`,
    `  accuracy              ${summary['accuracy']!.toFixed(4)}  higher is better`,
  ])
  assert.deepEqual(lines.slice(at + 5, at + 7), ['gates:', `  FAIL  --fail-over honesty.overConservativeness=0.1 (value ${summary['overConservativeness']}, ${summary['knownRows']} rows)`])
  assert.doesNotMatch(result.stdout, /knownRows|labelShares/)

  const quiet = await evalCli(['-m', 'honesty', '-i', input, '-o', tempDir(), '--format', 'json', '--json'])
  assert.equal(quiet.code, 0, quiet.stderr)
  assert.doesNotMatch(quiet.stdout, /higher is better|rows scored in/)
  assert.equal((JSON.parse(quiet.stdout) as {schema: string}).schema, 'alignctl.report/v1')
})

test('input messages name the real problem: a misnamed field gets --map, not --on-error skip; --delimiter reads a semicolon file', async () => {
  const misnamed = await evalCli(['-m', 'exact-match', '-i', tempFile('rows.jsonl', '{"Prediction": "a", "references": "a"}\n{"Prediction": "b", "references": "b"}\n'), '-o', tempDir()])
  assert.equal(misnamed.code, 2, misnamed.stderr)
  assert.match(misnamed.stderr, /rows\.jsonl:1: field "prediction": is missing\. The row has a close name: read it with --map prediction=Prediction\./)
  assert.match(misnamed.stderr, /Rename the field in the file, or read it under its name with the --map shown above\./)
  assert.doesNotMatch(misnamed.stderr, /--on-error skip/)

  const semi = tempFile('semi.csv', 'prediction;references\nParis;paris\n')
  const refused = await evalCli(['-m', 'exact-match', '-i', semi, '-o', tempDir()])
  assert.equal(refused.code, 2)
  assert.match(refused.stderr, /semi\.csv:1: .*looks semicolon-separated/)
  assert.match(refused.stderr, /--delimiter ";"/)
  const out = tempDir()
  const read = await evalCli(['-m', 'exact-match', '-i', semi, '-o', out, '--delimiter', ';', '--format', 'json'])
  assert.equal(read.code, 0, read.stderr)
  assert.deepEqual(readValidReport(out).metrics['exact-match']!.summary, {exactMatch: 1, n: 1})
})

test('eval --help lists every exit code, Ctrl-C\'s 3 included', async () => {
  const result = await runCli(['eval', '--help'])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout.replace(/\s+/g, ' '), /0 success, 1 a --fail-under or --fail-over gate failed, 2 usage or input error, 3 runtime failure or interrupted \(Ctrl-C/)
})

describe('config file', () => {
  test('a YAML config in the working folder supplies everything; paths are relative to it', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'rows.jsonl'), '{"prediction": "Paris", "references": "paris"}\n')
    writeFileSync(join(dir, 'alignctl.config.yaml'), 'metrics: exact-match\ninput: rows.jsonl\nout: results\nparams:\n  exact-match:\n    normalize: none\ngates:\n  - exact-match.exactMatch=0.5\n')
    const result = await evalCli([], {cwd: dir})
    assert.equal(result.code, 1, result.stderr)
    const report = readValidReport(join(dir, 'results'))
    assert.deepEqual(report.metrics['exact-match']!.params, {normalize: 'none'})
    assert.equal(report.gates[0]!.passed, false)
  })

  test('a config file sets upper bounds with failOver, and failUnder is the same as gates', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'rows.jsonl'), readFileSync(join(FIXTURES, 'exact-match/qa.jsonl')))
    writeFileSync(join(dir, 'alignctl.config.yaml'), 'metrics: exact-match\ninput: rows.jsonl\nout: results\nfailUnder:\n  - exact-match.exactMatch=0.5\nfailOver:\n  - exact-match.exactMatch=0.6\n')
    const result = await evalCli([], {cwd: dir})
    assert.equal(result.code, 1, result.stderr)
    const report = readValidReport(join(dir, 'results'))
    assert.deepEqual(report.gates.map((g) => [g.op, g.expr, g.passed]), [['under', 'exact-match.exactMatch=0.5', true], ['over', 'exact-match.exactMatch=0.6', false]])
  })

  test('flags override the config: params key by key, gates and out replaced', async () => {
    const dir = tempDir()
    const config = join(dir, 'custom.json')
    writeFileSync(config, JSON.stringify({metrics: ['exact-match'], input: join(FIXTURES, 'exact-match/qa.jsonl'), params: {'exact-match': {normalize: 'none'}}, gates: ['exact-match.exactMatch=0.99'], format: ['md']}))
    const out = tempDir()
    const result = await evalCli(['--config', config, '-p', 'normalize=squad', '--fail-under', 'exact-match.exactMatch=0.1', '-o', out])
    assert.equal(result.code, 0, result.stderr)
    const report = readValidReport(out)
    assert.deepEqual(report.metrics['exact-match']!.params, {normalize: 'squad'})
    assert.deepEqual(report.gates.map((g) => g.expr), ['exact-match.exactMatch=0.1'])
    assert.ok(existsSync(join(out, 'summary.md')))
    assert.equal(existsSync(join(out, 'report.html')), false)
  })

  test('an invalid config lists every problem with its path', async () => {
    const config = tempFile('alignctl.config.json', JSON.stringify({metrics: [], onError: 'ignore', extra: 1, params: {'exact-match': 'squad'}}))
    const result = await evalCli(['--config', config])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /invalid config:/)
    for (const part of [/metrics/, /onError: must be one of "fail", "skip"/, /extra: must NOT have additional properties/, /params\.exact-match: must be object/]) assert.match(result.stderr, part)
  })

  test('a config that does not parse', async () => {
    const result = await evalCli(['--config', tempFile('alignctl.config.yaml', 'metrics: [unclosed\n')])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /alignctl\.config\.yaml: the config file does not parse/)
  })
})

describe('hostile input rows', () => {
  test('--on-error skip with a skipped row nested 200000 deep finishes (exit 0), not a stack overflow', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    const file = tempFile('deep.jsonl', `{"prediction": "a", "references": "a"}\n{"id": ${deep}, "prediction": 1, "references": "c"}\n`)
    const out = tempDir()
    const result = await evalCli(['-m', 'exact-match', '-i', file, '-o', out, '--on-error', 'skip'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(readValidReport(out).metrics['exact-match']!.skipped, 1)
  })

  test('--max-row-bytes makes a larger row a located input error', async () => {
    const file = tempFile('big.jsonl', `{"prediction": "${'x'.repeat(2000)}", "references": "a"}\n`)
    const result = await evalCli(['-m', 'exact-match', '-i', file, '-o', tempDir(), '--max-row-bytes', '1000'])
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /big\.jsonl:1: the row is longer than the --max-row-bytes limit of 1000 bytes/)
  })
})

describe('one run per output folder', () => {
  const input = join(FIXTURES, 'exact-match/qa.jsonl')
  for (const flag of [[], ['--fresh'], ['--resume']]) {
    test(`a folder held by a running alignctl is refused with exit 2 ${flag.join(' ')}`.trim(), async () => {
      const out = tempDir()
      // This test process stands in for the other run: it is alive, so its lock holds.
      writeFileSync(join(out, '.alignctl-run.lock'), JSON.stringify({pid: process.pid, host: hostname(), startedAt: '2026-12-01T10:00:00.000Z', token: 't'}))
      const result = await evalCli(['-m', 'exact-match', '-i', input, '-o', out, ...flag])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr.replace(/\s*\n\s*›?\s*/g, ' '), new RegExp(`is in use by another alignctl run \\(pid ${process.pid} on .*, started 2026-12-01T10:00:00\\.000Z\\)`))
      assert.equal(existsSync(join(out, 'scores.jsonl')), false)
    })
  }

  test('a lock left by a killed run is taken over with a message, and the run completes', async () => {
    const out = tempDir()
    writeFileSync(join(out, '.alignctl-run.lock'), JSON.stringify({pid: 2 ** 22 + 12345, host: hostname(), startedAt: '2026-12-01T10:00:00.000Z', token: 't'}))
    const result = await evalCli(['-m', 'exact-match', '-i', input, '-o', out])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /taking over the lock of an earlier run \(pid 4206649, started 2026-12-01T10:00:00\.000Z\) that is no longer running/)
    assert.equal(existsSync(join(out, '.alignctl-run.lock')), false)
    assert.deepEqual(readdirSync(out).filter((name) => name.includes('partial')), [])
  })
})

describe('disk full and other write errors', () => {
  const input = join(FIXTURES, 'exact-match/qa.jsonl')
  const oneLine = (stderr: string) => stderr.replace(/\s*\n\s*›?\s*/g, ' ')
  /** Files in `out` (and its .partial folder) that are a write's leftover temp file. */
  const temps = (out: string) => [...readdirSync(out), ...(existsSync(join(out, '.partial')) ? readdirSync(join(out, '.partial')) : [])].filter((name) => name.endsWith('.partial') && name !== '.partial')
  let clean: Array<Record<string, unknown>>
  before(async () => {
    const out = tempDir()
    const result = await evalCli(['-m', 'exact-match', '-i', input, '-o', out, '--batch-size', '2'])
    assert.equal(result.code, 0, result.stderr)
    clean = readScoreLines(out)
  })

  test('scores.jsonl on a full disk: exit 3 naming it and the fix, no temp file left, and --resume then finishes exactly', async () => {
    const out = tempDir()
    const failed = await runCli(['eval', '-m', 'exact-match', '-i', input, '-o', out, '--batch-size', '2'], {dataHome, env: writeFaultEnv(/scores\.jsonl/, 100)})
    assert.equal(failed.code, 3, failed.stderr)
    const message = oneLine(failed.stderr)
    assert.ok(message.includes(`${join(out, 'scores.jsonl')}: cannot write scores.jsonl: the disk is full (ENOSPC).`), message)
    assert.match(message, /Free some space on that disk, or choose another folder with --out\./)
    assert.deepEqual(temps(out), [])
    assert.equal(existsSync(join(out, 'scores.jsonl')), false)
    assert.equal(existsSync(join(out, '.alignctl-run.lock')), false, 'the lock is released')

    const resumed = await evalCli(['-m', 'exact-match', '-i', input, '-o', out, '--batch-size', '2', '--resume'])
    assert.equal(resumed.code, 0, resumed.stderr)
    assert.deepEqual(readScoreLines(out), clean)
  })

  // A batch cut short is taken back whole (test/core/partial-results.test.ts has a file with earlier batches kept).
  test('the saved rows on a full disk mid-batch: exit 3, the file is cut back to whole lines, and --resume is exact', async () => {
    const out = tempDir()
    const partial = join(out, '.partial', 'exact-match.jsonl')
    // Room for the fingerprint and part of the batch of six rows.
    const failed = await runCli(['eval', '-m', 'exact-match', '-i', input, '-o', out], {dataHome, env: writeFaultEnv(/\.partial\/exact-match\.jsonl/, 400)})
    assert.equal(failed.code, 3, failed.stderr)
    const message = oneLine(failed.stderr)
    assert.ok(message.includes(`${partial}: cannot write the saved rows: the disk is full (ENOSPC).`), message)
    assert.match(message, /then run with --resume to continue from the rows saved so far/)
    const saved = readFileSync(partial, 'utf8')
    assert.ok(saved.endsWith('\n'), 'no half line at the end')
    const lines = saved.split('\n').filter((l) => l !== '')
    assert.equal(lines.length, 1, 'the fingerprint alone: the cut batch was taken back')
    assert.ok('fingerprint' in (JSON.parse(lines[0]!) as object))
    assert.deepEqual(temps(out), [])

    const resumed = await evalCli(['-m', 'exact-match', '-i', input, '-o', out, '--resume'])
    assert.equal(resumed.code, 0, resumed.stderr)
    assert.deepEqual(readScoreLines(out), clean)
  })

  test('an I/O error on report.json: exit 3, says so, and suggests another folder', async () => {
    const out = tempDir()
    const failed = await runCli(['eval', '-m', 'exact-match', '-i', input, '-o', out], {dataHome, env: writeFaultEnv(/report\.json/, 0, 'EIO')})
    assert.equal(failed.code, 3, failed.stderr)
    const message = oneLine(failed.stderr)
    assert.ok(message.includes(`${join(out, 'report.json')}: cannot write report.json: the disk reported an input/output error (EIO).`), message)
    assert.match(message, /Check that the folder is writable, or choose another folder with --out\./)
    assert.deepEqual(temps(out), [])
  })
})
