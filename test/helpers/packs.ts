import {copyFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'

import {writeManifest, type PackManifest} from '../../src/models/pack.js'
import {FIXTURES} from './cli.js'

/**
 * A model pack around the masked-sum fixture graph (output: the sum of the unpadded token
 * ids of each request) and a fixture tokenizer, written as `models convert` would write one.
 */
export async function makeMaskedSumPack(dir: string, overrides: Partial<PackManifest> = {}, tokenizer = 'roberta-bpe'): Promise<string> {
  mkdirSync(dir, {recursive: true})
  copyFileSync(join(FIXTURES, 'models/masked-sum.onnx'), join(dir, 'model.onnx'))
  copyFileSync(join(FIXTURES, 'tokenizers', tokenizer, 'tokenizer.json'), join(dir, 'tokenizer.json'))
  await writeManifest(
    dir,
    {
      name: 'masked-sum',
      architecture: 'roberta',
      task: 'probe',
      inputs: [
        {name: 'input_ids', type: 'int64', dims: ['batch', 'sequence']},
        {name: 'attention_mask', type: 'int64', dims: ['batch', 'sequence']},
      ],
      outputs: [{name: 'masked_sum', type: 'float32', dims: ['batch', 1]}],
      maxLength: 16,
      tokenizer: {file: 'tokenizer.json'},
      precision: 'fp32',
      source: {converter: 'test'},
      ...overrides,
    },
    ['model.onnx', 'tokenizer.json'],
  )
  return dir
}
