import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {Dataset, type DatasetRecord} from '../../../src/core/datasets/dataset.js'
import {AlignctlError, ExitCode} from '../../../src/kernel/errors.js'
import type {MetricInput} from '../../../src/kernel/interfaces/index.js'
import {FIXTURES, tempFile} from '../../helpers/cli.js'

const qa: MetricInput = {
  name: 'default',
  description: 'qa rows',
  rowSchema: {
    type: 'object',
    required: ['prediction', 'references'],
    properties: {id: {type: 'string'}, prediction: {type: 'string'}, references: {type: ['array', 'string'], items: {type: 'string'}}},
  },
  columns: ['prediction', 'references'],
  aliases: {answer: 'references'},
}

const rated: MetricInput = {
  name: 'ratings',
  description: 'ratings',
  rowSchema: {type: 'object', required: ['output'], properties: {output: {type: 'string'}, rating: {type: 'number'}}},
  columns: ['output', 'rating'],
}

async function read(file: string, input: MetricInput = qa, options: Partial<ConstructorParameters<typeof Dataset>[1]> = {}): Promise<DatasetRecord[]> {
  const records: DatasetRecord[] = []
  for await (const record of new Dataset(file, {input, ...options}).records()) records.push(record)
  return records
}

async function failure(promise: Promise<unknown>): Promise<AlignctlError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof AlignctlError, `expected an AlignctlError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the read to fail')
}

const values = (records: DatasetRecord[]) => records.map((r) => (r.ok ? r.value : r.message))

describe('formats', () => {
  test('JSONL, JSON array, CSV with and without a header read the same rows', async () => {
    const jsonl = await read(join(FIXTURES, 'exact-match/qa.jsonl'))
    const json = await read(join(FIXTURES, 'exact-match/qa.json'))
    assert.deepEqual(values(json), values(jsonl))
    assert.equal(jsonl.length, 6)
    assert.deepEqual(jsonl.map((r) => r.line), [1, 2, 3, 4, 5, 6])
    // JSON.stringify(rows, null, 2): each element takes 7 lines, 8 with two references.
    assert.deepEqual(json.map((r) => r.line), [2, 10, 17, 24, 31, 38])

    const csv = await read(join(FIXTURES, 'exact-match/qa.csv'))
    const bare = await read(join(FIXTURES, 'exact-match/qa-no-header.csv'))
    const expected = jsonl.map((r) => (r.ok ? {prediction: r.value['prediction'], references: (r.value['references'] as string[])[0]} : r))
    assert.deepEqual(values(csv), expected)
    assert.deepEqual(values(bare), expected)
    // Row 6 spans two lines: it starts on line 7 with a header, line 6 without one.
    assert.deepEqual(csv.map((r) => r.line), [2, 3, 4, 5, 6, 7])
    assert.deepEqual(bare.map((r) => r.line), [1, 2, 3, 4, 5, 6])
  })

  test('Parquet reads the same rows, one row group at a time, numbered by row', async () => {
    const parquet = await read(join(FIXTURES, 'exact-match/qa.parquet'))
    const jsonl = await read(join(FIXTURES, 'exact-match/qa.jsonl'))
    assert.deepEqual(values(parquet), jsonl.map((r) => (r.ok ? {id: r.value['id'], prediction: r.value['prediction'], references: (r.value['references'] as string[])[0]} : r)))
    assert.deepEqual(parquet.map((r) => r.line), [1, 2, 3, 4, 5, 6])
    const notParquet = await failure(read(tempFile('fake.parquet', 'not parquet at all')))
    assert.match(notParquet.message, /fake\.parquet: not a readable Parquet file/)
    assert.match((await failure(new Dataset('/nonexistent/rows.parquet', {input: qa}).scan())).message, /\/nonexistent\/rows\.parquet: no such file/)
  })

  test('JSON array rows report the line each element starts on', async () => {
    const file = tempFile('rows.json', '[\n  {"prediction": "a", "references": "a"},\n  {"prediction": "b",\n   "references": "b"}, {"prediction": "c", "references": ["c"]}\n]\n')
    const records = await read(file)
    assert.deepEqual(records.map((r) => r.line), [2, 3, 4])
    assert.deepEqual(values(records)[2], {prediction: 'c', references: ['c']})
  })

  test('CSV keeps CRLF inside a quoted multi-line field byte for byte', async () => {
    const file = tempFile('crlf.csv', 'prediction,references\r\n"two\r\nlines",x\r\nb,y\r\n')
    const records = await read(file)
    assert.deepEqual(values(records), [{prediction: 'two\r\nlines', references: 'x'}, {prediction: 'b', references: 'y'}])
    assert.deepEqual(records.map((r) => r.line), [2, 4])
  })

  test('.tsv is read tab-separated; an unknown extension is a usage error', async () => {
    const tsv = tempFile('rows.tsv', 'prediction\treferences\na, b\tc\n')
    assert.deepEqual(values(await read(tsv)), [{prediction: 'a, b', references: 'c'}])
    const error = await failure(read(tempFile('rows.txt', 'x\n')))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /rows\.txt: cannot tell the format/)
  })
})

describe('renaming', () => {
  test('--map reads a column as a field, and aliases fill absent fields', async () => {
    const file = tempFile('rows.jsonl', '{"output": "a", "answer": "a"}\n')
    const records = await read(file, qa, {map: {prediction: 'output'}})
    assert.deepEqual(values(records), [{prediction: 'a', references: 'a'}])
  })

  test('a CSV header is detected through --map', async () => {
    const file = tempFile('rows.csv', 'output,gold\nx,y\n')
    assert.deepEqual(values(await read(file, qa, {map: {prediction: 'output', references: 'gold'}})), [{prediction: 'x', references: 'y'}])
  })
})

describe('bad input is located by file, line and field', () => {
  test('invalid JSON on a line', async () => {
    const file = tempFile('bad.jsonl', '{"prediction": "a", "references": "a"}\n{"prediction": "b", \n')
    const [good, bad] = await read(file)
    assert.equal(good?.ok, true)
    assert.equal(bad?.ok, false)
    assert.match(values([bad!])[0] as string, /bad\.jsonl:2: the row is not valid JSON/)
  })

  test('a line that is not an object', async () => {
    const [bad] = await read(tempFile('bad.jsonl', '[1, 2]\n'))
    assert.match(values([bad!])[0] as string, /bad\.jsonl:1: the row must be a JSON object .* found an array/)
  })

  test('a wrong type and a missing field name the field', async () => {
    const file = tempFile('bad.jsonl', '{"prediction": 3, "references": "a"}\n\n{"prediction": "b"}\n')
    const [wrongType, missing] = await read(file)
    assert.equal((wrongType as {message: string}).message, `${file}:1: field "prediction": must be string.`)
    assert.equal((missing as {message: string}).message, `${file}:3: field "references": is missing.`)
    assert.equal(missing?.row, 1)
  })

  test('invalid UTF-8 is a problem of its JSONL row (so --on-error skip can skip it)', async () => {
    const file = tempFile('latin1.jsonl', Buffer.concat([Buffer.from('{"prediction": "a", "references": "a"}\n{"prediction": "caf'), Buffer.from([0xe9]), Buffer.from('", "references": "x"}\n{"prediction": "b", "references": "b"}\n')]))
    const records = await read(file)
    assert.deepEqual(records.map((r) => r.ok), [true, false, true])
    assert.match(values(records)[1] as string, /latin1\.jsonl:2: the row is not valid UTF-8 text \(at byte 21 of the line\)\./)
  })

  test('an empty file, and a file of blank lines', async () => {
    assert.match((await failure(read(tempFile('empty.jsonl', '')))).message, /empty\.jsonl: the file is empty/)
    assert.match((await failure(read(tempFile('blank.jsonl', '\n\n')))).message, /blank\.jsonl: the file has no data rows/)
    assert.match((await failure(read(tempFile('header.csv', 'prediction,references\n')))).message, /header\.csv: the file has no data rows/)
  })

  test('a missing file', async () => {
    assert.match((await failure(read('/nonexistent/rows.jsonl'))).message, /\/nonexistent\/rows\.jsonl: no such file/)
  })

  test('JSON array: not an array, truncated, trailing text', async () => {
    assert.match((await failure(read(tempFile('obj.json', '{"prediction": "a"}')))).message, /obj\.json:1: a \.json input must be an array/)
    assert.match((await failure(read(tempFile('cut.json', '[{"prediction": "a", "references": "a"},\n{"pred')))).message, /cut\.json:2: the file ends before the JSON array is closed/)
    assert.match((await failure(read(tempFile('tail.json', '[]\nmore')))).message, /tail\.json:2: unexpected text after/)
    assert.match((await failure(read(tempFile('comma.json', '[{"prediction": "a", "references": "a"},\n]')))).message, /comma\.json:2: a comma before the closing "\]"/)
  })

  test('CSV: a row with the wrong number of fields, and unbalanced quotes', async () => {
    const [ok, short] = await read(tempFile('short.csv', 'prediction,references\na,b\nc\n'))
    assert.equal(ok?.ok, true)
    assert.match((short as {message: string}).message, /short\.csv:3: the row has 1 fields where 2 are expected/)
    assert.match((await failure(read(tempFile('quote.csv', 'prediction,references\n"a,b\n')))).message, /quote\.csv:\d+: /)
  })

  test('CSV: a stray or unclosed quote is an input error at its line, CRLF or not', async () => {
    for (const [name, content, line] of [
      ['stray.csv', 'prediction,references\na,b\nQ2,b"c\n', 3],
      ['open.csv', 'prediction,references\r\na,b\r\n\r\nc,"d\r\ne\r\n', 4],
    ] as const) {
      const error = await failure(read(tempFile(name, content)))
      assert.equal(error.exitCode, ExitCode.usage)
      assert.match(error.message, new RegExp(`${name.replace('.', '\\.')}:${line}: `))
      assert.doesNotMatch(error.message, / at line \d/)
    }
  })

  test('CSV: invalid UTF-8 and a missing file are input errors, not crashes', async () => {
    const bad = await failure(read(tempFile('bad.csv', Buffer.concat([Buffer.from('prediction,references\na,'), Buffer.from([0xff]), Buffer.from('\n')]))))
    assert.match(bad.message, /bad\.csv:2: the line is not valid UTF-8/)
    assert.match((await failure(read('/nonexistent/rows.csv'))).message, /\/nonexistent\/rows\.csv: no such file/)
  })

  test('CSV: a header without the required fields and no declared columns', async () => {
    const input: MetricInput = {...qa, columns: undefined} as unknown as MetricInput
    delete (input as {columns?: unknown}).columns
    const error = await failure(read(tempFile('cols.csv', 'pred,refs\na,b\n'), input))
    assert.match(error.message, /cols\.csv:1: the header row has no column for the required field\(s\) "prediction", "references"; columns found: pred, refs/)
    assert.deepEqual(error.suggestions, ['Rename the columns, or map them with --map prediction=<column>.'])
  })

  test('CSV numbers are coerced, an empty numeric cell is a missing value, and text is not a number', async () => {
    const records = await read(tempFile('r.csv', 'x,4\ny,\nz,high\n'), rated)
    assert.deepEqual(values(records).slice(0, 2), [{output: 'x', rating: 4}, {output: 'y'}])
    assert.match(values(records)[2] as string, /r\.csv:3: field "rating": must be number/)
  })
})

test('scan counts rows, hashes the bytes, and lists every problem', async () => {
  const file = tempFile('mixed.jsonl', '{"prediction": "a", "references": "a"}\nnot json\n{"prediction": 1, "references": "b"}\n')
  const scan = await new Dataset(file, {input: qa}).scan()
  assert.equal(scan.rows, 3)
  assert.equal(scan.sha256, createHash('sha256').update(readFileSync(file)).digest('hex'))
  assert.deepEqual(scan.problems.map((p) => [p.row, p.line]), [[1, 2], [2, 3]])
})

test('a CSV header that names some fields but lacks a required one is reported, not scored as data', async () => {
  const error = await failure(read(tempFile('partial.csv', 'prediction,gold\nx,y\n')))
  assert.match(error.message, /partial\.csv:1: the header row has no column for the required field\(s\) "references"; columns found: prediction, gold/)
  // With no cell naming a field, the declared columns apply (a header-less file).
  assert.deepEqual(values(await read(tempFile('bare.csv', 'x,y\n'))), [{prediction: 'x', references: 'y'}])
})

test('--map can swap two columns', async () => {
  const records = await read(tempFile('swap.jsonl', '{"prediction": "gold", "references": "model"}\n'), qa, {map: {prediction: 'references', references: 'prediction'}})
  assert.deepEqual(values(records), [{prediction: 'model', references: 'gold'}])
})

test('a JSON array on one line (json.dump style) is read element by element across chunks', async () => {
  // ~300 KB on one line: elements and multi-byte characters straddle the 64 KB read chunks.
  const rows = Array.from({length: 3000}, (_, i) => ({prediction: `café ${i} ${'é'.repeat(i % 37)}`, references: [`r${i}`]}))
  const records = await read(tempFile('one-line.json', JSON.stringify(rows)))
  assert.equal(records.length, 3000)
  assert.ok(records.every((r) => r.ok && r.line === 1))
  assert.deepEqual(values(records), rows)
})

describe('hostile and unlucky input', () => {
  test('a row whose only key is __proto__ fails the required-field checks instead of passing through the prototype', async () => {
    const file = tempFile('proto.jsonl', '{"__proto__": {"prediction": "a", "references": "a"}}\n{"prediction": "a", "references": "a", "__proto__": 1, "constructor": "c"}\n')
    const [first, second] = await read(file)
    assert.equal(first!.ok, false)
    assert.match((first as {message: string}).message, /proto\.jsonl:1: field "prediction": is missing/)
    assert.ok(second!.ok)
    const value = (second as {value: Record<string, unknown>}).value
    assert.equal(Object.getPrototypeOf(value), Object.prototype)
    assert.deepEqual(Object.keys(value), ['prediction', 'references', '__proto__', 'constructor'])
    assert.equal(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, 1)
  })

  test('a required field named constructor is missing unless the row has it', async () => {
    const input: MetricInput = {name: 'c', description: 'c', rowSchema: {type: 'object', required: ['constructor', 'toString'], properties: {}}}
    const [row] = await read(tempFile('ctor.jsonl', '{"other": 1}\n'), input)
    assert.equal(row!.ok, false)
    assert.match((row as {message: string}).message, /field "constructor": is missing/)
  })

  test('CSV and --map: __proto__ is an ordinary column name', async () => {
    const rows = await read(tempFile('proto.csv', '__proto__,references\nhello,a\n'), qa, {map: {prediction: '__proto__'}})
    assert.deepEqual(values(rows), [{prediction: 'hello', references: 'a'}])
  })

  test('a skipped row nested 200000 deep does not overflow the stack; only a scalar id is kept', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    const rows = await read(tempFile('deep.jsonl', `{"id": ${deep}, "prediction": 1, "references": "c"}\n{"id": "q2", "meta": ${deep}, "prediction": 1, "references": "c"}\n`))
    assert.deepEqual(rows.map((r) => r.ok), [false, false])
    assert.equal('id' in rows[0]!, false)
    assert.equal((rows[1] as {id?: unknown}).id, 'q2')
    // What the report and scores.jsonl do with a skipped row must not overflow either.
    assert.doesNotThrow(() => JSON.stringify(rows))
  })

  test('a JSON array on one line locates each bad row by its array index and byte offset', async () => {
    const good = '{"prediction": "a", "references": "a"}'
    const text = `[${good}, ${good}, {"prediction": 5, "references": "é"}, {oops}]`
    const rows = await read(tempFile('one-line.json', text))
    assert.match((rows[2] as {message: string}).message, new RegExp(`one-line\\.json:1 \\(array index 2, byte ${1 + 2 * (good.length + 2)}\\): field "prediction": must be string`))
    const byte = Buffer.byteLength(text.slice(0, text.indexOf('{oops}')))
    assert.match((rows[3] as {message: string}).message, new RegExp(`one-line\\.json:1 \\(array index 3, byte ${byte}\\): the row is not valid JSON`))
  })

  test('a row over --max-row-bytes is a bad row (JSONL, JSON array) or an input error (CSV), not a huge allocation', async () => {
    const big = `{"prediction": "${'x'.repeat(5000)}", "references": "a"}`
    const small = '{"prediction": "a", "references": "a"}'
    const jsonl = await read(tempFile('big.jsonl', `${small}\n${big}\n${small}\n`), qa, {maxRowBytes: 1000})
    assert.deepEqual(jsonl.map((r) => r.ok), [true, false, true])
    assert.match((jsonl[1] as {message: string}).message, /big\.jsonl:2: the row is longer than the --max-row-bytes limit of 1000 bytes/)
    const json = await read(tempFile('big.json', `[${small}, ${big}, ${small}]`), qa, {maxRowBytes: 1000})
    assert.deepEqual(json.map((r) => r.ok), [true, false, true])
    assert.match((json[1] as {message: string}).message, /big\.json:1 \(array index 1, byte \d+\): the row is longer than the --max-row-bytes limit of 1000 bytes/)
    const csv = await failure(read(tempFile('big.csv', `prediction,references\n${'x'.repeat(5000)},a\n`), qa, {maxRowBytes: 1000}))
    assert.match(csv.message, /big\.csv:2: the line is longer than the --max-row-bytes limit of 1000 bytes/)
    // A line without any newline at all (the whole file) is bounded too.
    const endless = await read(tempFile('endless.jsonl', 'y'.repeat(300_000)), qa, {maxRowBytes: 1000})
    assert.match((endless[0] as {message: string}).message, /endless\.jsonl:1: the row is longer than/)
  })

  test('invalid UTF-8 in a Parquet string is reported for its row and field, like the other formats', async () => {
    const {parquetWriteBuffer} = await import('hyparquet-writer')
    const buffer = parquetWriteBuffer({
      columnData: [
        {name: 'prediction', data: [Buffer.from('ok'), Buffer.from([0x61, 0xe9, 0x62])], type: 'BYTE_ARRAY'},
        {name: 'references', data: ['a', 'b'], type: 'STRING'},
      ],
    })
    const rows = await read(tempFile('latin1.parquet', Buffer.from(buffer)))
    assert.deepEqual(values(rows)[0], {prediction: 'ok', references: 'a'})
    assert.equal(rows[1]!.ok, false)
    assert.match((rows[1] as {message: string}).message, /latin1\.parquet:2: the row has text that is not valid UTF-8 in field "prediction" \(at byte 3 of the value\)/)
  })
})
