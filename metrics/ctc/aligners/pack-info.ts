import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {usageError} from '../../../src/kernel/errors.js'
import type {LoadedModel} from '../../../src/kernel/interfaces/index.js'

/**
 * What the CTC aligners need from a pack's manifest beyond the engine's `ModelInfo`: the
 * converted architecture, the hidden-state layer of an E pack, the hub repository it came
 * from, and the tokenizer file (the aligners read token ids and strings themselves).
 */
export interface PackInfo {
  dir: string
  name: string
  task: string
  architecture: 'bert' | 'roberta'
  layer?: number
  repo?: string
  tokenizer: string
  maxLength: number
}

export function packInfo(model: LoadedModel): PackInfo {
  const file = join(model.info.dir, 'alignctl-model.json')
  // The engine has read and validated this manifest already (openPack); this only picks fields.
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {architecture: 'bert' | 'roberta'; layer?: number; source?: {repo?: string}; tokenizer: {file: string}}
  return {
    dir: model.info.dir,
    name: model.info.name,
    task: model.info.task,
    architecture: manifest.architecture,
    ...(manifest.layer === undefined ? {} : {layer: manifest.layer}),
    ...(manifest.source?.repo === undefined ? {} : {repo: manifest.source.repo}),
    tokenizer: join(model.info.dir, manifest.tokenizer.file),
    maxLength: model.info.maxLength,
  }
}

/** The aligner kind a pack was converted for. */
export function packKind(info: PackInfo): 'E' | 'D' | 'R' {
  switch (info.task) {
    case 'ctc-e':
      return 'E'
    case 'ctc-d':
      return 'D'
    case 'ctc-r':
      return 'R'
    default:
      throw usageError(
        `Model pack ${info.dir} was converted for "${info.task}", not for a CTC aligner.`,
        'Use a pack made with `alignctl models convert --arch ctc-e|ctc-d|ctc-r`, or `alignctl models pull ctc-e-bert|ctc-e-roberta|ctc-e-roberta-mnli`.',
      )
  }
}
