import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {Dataset, type DatasetRecord} from '../../../src/core/datasets/dataset.js'
import {closeName} from '../../../src/core/datasets/near-names.js'
import {parseDelimiter, utf16Kind} from '../../../src/core/datasets/sniff.js'
import {AlignctlError, ExitCode} from '../../../src/kernel/errors.js'
import type {MetricInput} from '../../../src/kernel/interfaces/index.js'
import {tempDir, tempFile} from '../../helpers/cli.js'

const qa: MetricInput = {
  name: 'default',
  description: 'qa rows',
  rowSchema: {type: 'object', required: ['prediction', 'references'], properties: {prediction: {type: 'string'}, references: {type: 'string'}}},
  columns: ['prediction', 'references'],
}

async function read(file: string, options: {delimiter?: string} = {}): Promise<DatasetRecord[]> {
  const records: DatasetRecord[] = []
  for await (const record of new Dataset(file, {input: qa, ...options}).records()) records.push(record)
  return records
}

async function failure(run: () => Promise<unknown>): Promise<AlignctlError> {
  try {
    await run()
  } catch (error) {
    assert.ok(error instanceof AlignctlError, `expected an AlignctlError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the read to fail')
}

const JSONL = '{"prediction": "Paris", "references": "paris"}\n'

describe('a folder as input', () => {
  test('is named as a folder, with the data files inside it', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    for (const name of ['b.csv', 'a.jsonl', 'notes.txt']) writeFileSync(join(dir, 'data', name), JSONL)
    const error = await failure(async () => read(join(dir, 'data')))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /data: is a folder; --input takes one file\./)
    assert.match(error.suggestions?.[0] ?? '', /--input .*data\/a\.jsonl \(2 data files there: .*a\.jsonl, .*b\.csv\)/)
  })

  test('an empty folder says it holds no data file', async () => {
    const error = await failure(async () => read(tempDir()))
    assert.match(error.suggestions?.[0] ?? '', /this folder holds none/)
  })
})

describe('UTF-16 files', () => {
  const le = Buffer.from(JSONL, 'utf16le')
  const be = Buffer.from(le).swap16()
  for (const [name, bytes, kind, from] of [
    ['bom-le.jsonl', Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'UTF-16LE', 'UTF-16'],
    ['bom-be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(Buffer.from('prediction,references\na,a\n', 'utf16le')).swap16()]), 'UTF-16BE', 'UTF-16'],
    ['plain-le.jsonl', le, 'UTF-16LE', 'UTF-16LE'],
    ['plain-be.json', Buffer.from(Buffer.from(`[${JSONL}]`, 'utf16le')).swap16(), 'UTF-16BE', 'UTF-16BE'],
  ] as const) {
    test(`${name}: detected as ${kind}, with the iconv line that converts it`, async () => {
      const file = tempFile(name, bytes)
      const error = await failure(async () => read(file))
      assert.equal(error.exitCode, ExitCode.usage)
      assert.match(error.message, new RegExp(`${name}: the file is ${kind} text`))
      assert.match(error.suggestions?.[0] ?? '', new RegExp(`iconv -f ${from} -t UTF-8 '`))
      assert.doesNotMatch(error.suggestions?.[0] ?? '', /latin1/)
    })
  }
  test('UTF-8 text, accented or not, is not taken for UTF-16', () => {
    assert.equal(utf16Kind(Buffer.from('{"prediction": "café", "references": "ça"}\n')), undefined)
    assert.equal(utf16Kind(Buffer.from('a')), undefined)
    assert.equal(utf16Kind(be), 'UTF-16BE')
  })
})

describe('CSV delimiters', () => {
  test('a semicolon-separated file read as CSV names the delimiter and the flag', async () => {
    const error = await failure(async () => read(tempFile('semi.csv', 'prediction;references\nParis;paris\n')))
    assert.equal(error.exitCode, ExitCode.usage)
    assert.match(error.message, /semi\.csv:1: the row is one field where 2 are expected: the file looks semicolon-separated, but it is read with "," between fields\./)
    assert.equal(error.suggestions?.[0], 'Pass --delimiter ";".')
  })

  test('a tab-separated .csv suggests --delimiter tab or the .tsv name; header-less rows too', async () => {
    const error = await failure(async () => read(tempFile('tabs.csv', 'Paris\tparis\n')))
    assert.match(error.message, /looks tab-separated/)
    assert.equal(error.suggestions?.[0], 'Pass --delimiter tab, or name the file .tsv.')
  })

  test('--delimiter reads the file', async () => {
    const records = await read(tempFile('semi.csv', 'prediction;references\nParis;paris\n'), {delimiter: parseDelimiter(';')})
    assert.deepEqual(records.map((r) => r.ok && r.value), [{prediction: 'Paris', references: 'paris'}])
    const tabs = await read(tempFile('tabs.csv', 'prediction\treferences\nParis\tparis\n'), {delimiter: parseDelimiter('tab')})
    assert.deepEqual(tabs.map((r) => r.ok && r.value), [{prediction: 'Paris', references: 'paris'}])
  })

  test('a bad --delimiter is a usage error', () => {
    assert.throws(() => parseDelimiter(';;'), /a delimiter is one character/)
    assert.throws(() => parseDelimiter('"'), /a delimiter is one character/)
  })
})

describe('a misnamed field suggests --map', () => {
  test('JSONL: the close key is named with the --map that reads it', async () => {
    const records = await read(tempFile('rows.jsonl', '{"prediction": "a", "reference": "a"}\n'))
    assert.equal(records[0]?.ok, false)
    assert.match(!records[0]!.ok ? records[0]!.message : '', /field "references": is missing\. The row has a close name: read it with --map references=reference\./)
  })

  test('a CSV header suggests the close column', async () => {
    const error = await failure(async () => read(tempFile('rows.csv', 'Prediction,reference\na,a\n')))
    assert.match(error.suggestions?.[0] ?? '', /--map prediction=Prediction\./)
  })

  test('no close name, no --map hint', async () => {
    const records = await read(tempFile('rows.jsonl', '{"prediction": "a", "gold": "a"}\n'))
    assert.doesNotMatch(!records[0]!.ok ? records[0]!.message : '', /--map/)
  })

  test('closeName: case, separators, plurals and small typos; short names only exactly', () => {
    assert.equal(closeName('reference_response', ['referenceResponse', 'response']), 'referenceResponse')
    assert.equal(closeName('references', ['refrences']), 'refrences')
    assert.equal(closeName('claim', ['claims', 'context']), 'claims')
    assert.equal(closeName('id', ['ix']), undefined)
    assert.equal(closeName('question', ['answer']), undefined)
  })
})
