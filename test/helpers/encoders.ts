/** Loading the encoder fixtures of scripts/fixtures/encoders.py and albert.py, and running graphs on them. */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import * as ort from 'onnxruntime-node'

import {parseEncoderConfig, type EncoderConfig} from '../../src/models/onnx/encoder-config.js'
import {RawTensorStore} from './raw-tensors.js'

export type FixtureModel = 'roberta' | 'bert' | 'albert'

export interface Reference {
  prefix: string
  lengths: number[]
  inputs: {input_ids: number[][]; attention_mask: number[][]; token_type_ids: number[][]}
  outputs: Record<string, {shape: number[]; data: number[]}>
}

export interface Fixture {
  store: RawTensorStore
  config: EncoderConfig
  reference: Reference
}

export function loadFixture(model: FixtureModel): Fixture {
  const folder = join('fixtures', 'encoders', model)
  return {
    store: new RawTensorStore(folder),
    config: parseEncoderConfig(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')), `${folder}/config.json`),
    reference: JSON.parse(readFileSync(join(folder, 'reference.json'), 'utf8')) as Reference,
  }
}

export type Rows = Reference['inputs']

/** Runs a graph (bytes or a path) on int64 rows; returns each output as float32 with its shape. */
export async function runGraph(model: Uint8Array | string, rows: Rows): Promise<Record<string, {dims: readonly number[]; data: Float32Array}>> {
  // Two calls because create() is overloaded on the argument's type.
  const options = {logSeverityLevel: 3} as const
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options)
  try {
    const batch = rows.input_ids.length
    const length = rows.input_ids[0]!.length
    const tensor = (values: number[][]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(values.flat(), (v) => BigInt(v)), [batch, length])
    const feeds: Record<string, ort.Tensor> = {input_ids: tensor(rows.input_ids), attention_mask: tensor(rows.attention_mask)}
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = tensor(rows.token_type_ids)
    const results = await session.run(feeds)
    return Object.fromEntries(Object.entries(results).map(([name, t]) => [name, {dims: t.dims, data: t.data as Float32Array}]))
  } finally {
    await session.release()
  }
}

export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`)
  let max = 0
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i]! - expected[i]!))
  return Number.isNaN(max) ? Infinity : max
}

/** One row of a batch, cut to `length` tokens: the same input with no padding. */
export function unpaddedRow(rows: Rows, row: number, length: number): Rows {
  const cut = (values: number[][]): number[][] => [values[row]!.slice(0, length)]
  return {input_ids: cut(rows.input_ids), attention_mask: cut(rows.attention_mask), token_type_ids: cut(rows.token_type_ids)}
}
